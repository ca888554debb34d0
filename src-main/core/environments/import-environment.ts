import type { Environment } from '../config/schema.js';
import { TokenDeskError } from '../errors.js';
import { parsePostmanFile, type ImportedEnvironment } from '../exports/import.js';
import { checkBaseUrl } from '../../contract/validators.js';
import { providerInfo, type ProviderKind } from '../../contract/providers.js';
import { findSetting } from '../../contract/settings.js';
import { originChangeText, type EnvironmentInput, type EnvironmentService } from './service.js';

/**
 * An import names an existing environment and carries another URL: said, with what it would do, and
 * refused until the user agrees (the CLI asks on a terminal or takes --yes; the window asks in a dialog).
 */
async function urlChangeRefused(envs: EnvironmentService, env: Environment, to: string, patch: Partial<EnvironmentInput>): Promise<TokenDeskError> {
  const move = await envs.originChange(env.id, to, patch);
  const what = move ? originChangeText(move) : `The file changes the URL of "${env.name}" from ${env.baseUrl} to ${to} (the same server: its sessions are kept)`;
  return new TokenDeskError('confirmation_required', `The file would update the existing environment "${env.name}". ${what}. Confirm to import it; nothing was changed`);
}

export interface ImportOutcome {
  environment: Environment;
  created: boolean;
  warnings: string[];
  /** Quiet, expected facts (ImportedEnvironment.notes): shown once, not as warnings. */
  notes: string[];
  /** Identities signed out because the import moved the environment to another server. */
  signedOut: string[];
}

export interface ImportOverrides {
  /** Environment name instead of the file's. */
  name?: string;
  /** Base URL when the file has none (or another one). */
  baseUrl?: string;
  /** Provider instead of the guessed one. */
  provider?: Environment['provider'];
  /**
   * The user agreed to change an existing environment's URL (said to them from the `confirmation_required`
   * error). Without it an import that would change it is refused with nothing stored.
   */
  confirmUrlChange?: boolean;
}

/**
 * Creates or updates an environment from a Postman environment or collection file.
 * The file is fully parsed and validated before anything is stored; secret values go to the keychain.
 */
export async function importPostmanText(envs: EnvironmentService, text: string, opts: ImportOverrides = {}): Promise<ImportOutcome> {
  const imported = parsePostmanFile(text);
  return applyImport(envs, imported, opts);
}

/**
 * The environment a file updates: the one it was exported from or imported as (same Postman `id`,
 * whatever it is called now), else the one with the same name.
 */
function findTarget(list: Environment[], imported: ImportedEnvironment, name: string): Environment | undefined {
  const id = imported.postmanId;
  if (id) {
    const byId = list.find((e) => (e.postmanId ?? e.id) === id);
    if (byId) return byId;
  }
  return list.find((e) => e.name.toLowerCase() === name.toLowerCase());
}

export async function applyImport(envs: EnvironmentService, imported: ImportedEnvironment, opts: ImportOverrides = {}): Promise<ImportOutcome> {
  const warnings = [...imported.warnings];
  const notes = [...imported.notes];
  const name = opts.name ?? imported.name;
  const provider = opts.provider ?? imported.provider;
  const baseUrl = opts.baseUrl ?? imported.baseUrl;
  if (imported.secrets.accessToken || imported.secrets.refreshToken) {
    warnings.push('Tokens in the file were not imported: sign in from TokenDesk to get a session it can keep fresh');
  }
  // A name given explicitly always means that environment; otherwise the file's id finds a renamed one.
  // Only among the user's own: a project file's environment is changed in its file (an import into it
  // would be undone by the next sync, and a URL in it would sign everyone out twice on the way).
  const all = await envs.list();
  const list = all.filter((e) => e.project === undefined);
  const existing = opts.name !== undefined ? list.find((e) => e.name.toLowerCase() === name.toLowerCase()) : findTarget(list, imported, name);
  const projectTwin = existing ? undefined : (opts.name !== undefined ? undefined : findTarget(all.filter((e) => e.project !== undefined), imported, name));
  if (projectTwin?.project) notes.push(`"${projectTwin.name}" of ${projectTwin.project.file} is changed in that file: this import is one of your own environments`);
  if (existing) {
    if (existing.provider !== provider) {
      throw new TokenDeskError(
        'invalid_input',
        `The file looks like a ${provider} environment but "${existing.name}" is a ${existing.provider} environment; import it under another name`,
      );
    }
    // Patches on the stored environment, applied under the config lock: an edit made meanwhile stays.
    const patch: Partial<EnvironmentInput> = {
      setVariables: imported.variables,
      secretVariables: imported.secretVariables,
      setVariableNames: imported.variableNames,
    };
    const keys = keysFor(existing.provider, imported, notes);
    if (keys) patch.secrets = keys;
    if (baseUrl) {
      const to = checkBaseUrl(baseUrl, existing.provider);
      // A refused URL is left to update(), which says what is wrong with it.
      const changes = !to.ok || to.value !== existing.baseUrl;
      if (to.ok && changes && !opts.confirmUrlChange) throw await urlChangeRefused(envs, existing, to.value, patch);
      // The URL it already has is not sent: a move made meanwhile (another window, the CLI) stays, and
      // nobody was asked about moving it back.
      if (changes) patch.baseUrl = baseUrl;
      // Asked once for the URL: that answer, and only that answer, covers a production environment moving too.
      if (opts.confirmUrlChange === true) patch.confirmOriginChange = true;
    }
    if (imported.postmanId && existing.postmanId === undefined && existing.id !== imported.postmanId) patch.postmanId = imported.postmanId;
    const outcome = await envs.edit(existing.id, patch);
    return { environment: outcome.environment, created: false, warnings: [...warnings, ...outcome.warnings], notes, signedOut: outcome.signedOut };
  }
  if (!baseUrl) {
    throw new TokenDeskError('invalid_input', 'The file has no base URL variable (url, baseUrl, base_url or supabase_url): add one and import again');
  }
  const input: EnvironmentInput = {
    name,
    provider,
    baseUrl,
    variables: imported.variables,
    secretVariables: imported.secretVariables,
    variableNames: imported.variableNames,
  };
  if (imported.postmanId) input.postmanId = imported.postmanId;
  const keys = keysFor(provider, imported, notes);
  if (keys) input.secrets = keys;
  const environment = await envs.add(input);
  return { environment, created: true, warnings, notes, signedOut: [] };
}

/** The file's keys the environment's kind declares as secret settings; one it does not is left out, and said. */
function keysFor(kind: ProviderKind, imported: ImportedEnvironment, notes: string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  const info = providerInfo(kind);
  for (const [name, value] of Object.entries({ anonKey: imported.secrets.anonKey, apiKey: imported.secrets.apiKey })) {
    if (!value) continue;
    const declared = findSetting(info.settings, name);
    if (declared?.secret) out[name] = value;
    else notes.push(`The file's ${name === 'anonKey' ? 'anon_key' : 'api_key'} was not imported: ${info.label} environments have no such key`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
