import { randomUUID } from 'node:crypto';
import { TokenDeskError } from '../errors.js';
import type { ConfigStore } from '../config/store.js';
import { EnvironmentSchema, type Config, type Environment } from '../config/schema.js';
import { secretKeys, type SecretKey, type SecretStore } from '../secrets/types.js';
import { looksLikeSecret } from '../config/secret-guard.js';
import type { RefreshLock } from '../sessions/refresh-lock.js';

export interface EnvironmentInput {
  name: string;
  provider: Environment['provider'];
  baseUrl: string;
  label?: string;
  color?: string;
  production?: boolean;
  variables?: Record<string, string>;
  variableNames?: Environment['variableNames'];
  /** Secrets: stored in the keychain. `null` removes a stored key on update. */
  anonKey?: string | null;
  apiKey?: string | null;
}

/** Finds an environment by id or by name (case-insensitive), with an error that lists what exists. */
export function findEnvironment(cfg: Config, ref: string): Environment {
  const lower = ref.toLowerCase();
  const env = cfg.environments.find((e) => e.id === ref) ?? cfg.environments.find((e) => e.name.toLowerCase() === lower);
  if (!env) {
    const known = cfg.environments.map((e) => e.name).join(', ');
    throw new TokenDeskError('not_found', `No environment named "${ref}"${known ? ` (known: ${known})` : ' (none configured yet)'}`);
  }
  return env;
}

/** A production-like name is shown in red and treated with care, unless the user says otherwise. */
export function looksLikeProduction(name: string, baseUrl: string): boolean {
  return /\bprod(uction)?\b/i.test(name) || /(^|\.)prod(uction)?[.-]/i.test(new URL(baseUrl).hostname);
}

function validateSecret(name: string, value: string): string {
  const v = value.trim();
  if (v.length === 0 || v.length > 8192 || /\s/.test(v)) {
    throw new TokenDeskError('invalid_input', `The ${name} must be a single non-empty value without spaces`);
  }
  return v;
}

/** Variables go to the plaintext config file: refuse anything that looks like a credential. */
function validateVariables(vars: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(vars ?? {})) {
    if (looksLikeSecret(name, value)) {
      throw new TokenDeskError(
        'invalid_input',
        `The variable "${name}" looks like a secret; variables are stored in plain text. Use the anon key or API key fields, which go to the keychain`,
      );
    }
  }
}

/** Field names as the user knows them from the form and the CLI options. */
const FIELD_LABELS: Record<string, string> = { baseUrl: 'URL', name: 'name', color: 'colour', label: 'label', variables: 'variable' };

function issueText(e: unknown): string {
  type Issue = { path: PropertyKey[]; message: string; issues?: Issue[] };
  const issues = (e as { issues?: Issue[] }).issues ?? [];
  return issues
    .map((i) => {
      const [field, ...rest] = i.path.map(String);
      const label = field ? (FIELD_LABELS[field] ?? field) : 'value';
      // A bad record key nests its real reason ("Invalid key in record" says nothing).
      const message = i.issues?.[0]?.message ?? i.message;
      return `${[label, ...rest].join(' ')}: ${message}`;
    })
    .join('; ');
}

export class EnvironmentService {
  constructor(
    private readonly config: ConfigStore,
    private readonly secrets: SecretStore,
    /** The sessions' lock: removal waits for a renewal in flight so it cannot write a session back. */
    private readonly lock?: RefreshLock,
  ) {}

  async list(): Promise<Environment[]> {
    return (await this.config.read()).environments;
  }

  async resolve(ref: string): Promise<Environment> {
    return findEnvironment(await this.config.read(), ref);
  }

  /** Validates everything first; writes secrets, then the config; undoes the secrets if the config write fails. */
  async add(input: EnvironmentInput): Promise<Environment> {
    validateVariables(input.variables);
    const parsed = EnvironmentSchema.safeParse({
      id: randomUUID(),
      name: input.name.trim(),
      provider: input.provider,
      baseUrl: input.baseUrl.trim().replace(/\/+$/, ''),
      label: input.label,
      color: input.color ?? (input.production ? '#d92d20' : undefined),
      production: input.production ?? (URL.canParse(input.baseUrl) && looksLikeProduction(input.name, input.baseUrl)),
      variables: input.variables ?? {},
      variableNames: input.variableNames ?? {},
      createdAt: Date.now(),
    });
    if (!parsed.success) throw new TokenDeskError('invalid_input', `Invalid environment: ${issueText(parsed.error)}`);
    const env = parsed.data;
    if (env.provider === 'supabase' && !input.anonKey) {
      throw new TokenDeskError('invalid_input', 'A Supabase environment needs its anon key (the gateway rejects requests without one)');
    }
    const anonKey = input.anonKey ? validateSecret('anon key', input.anonKey) : undefined;
    const apiKey = input.apiKey ? validateSecret('API key', input.apiKey) : undefined;
    const existing = await this.config.read();
    if (existing.environments.some((e) => e.name.toLowerCase() === env.name.toLowerCase())) {
      throw new TokenDeskError('already_exists', `An environment named "${env.name}" already exists`);
    }
    const written: SecretKey[] = [];
    try {
      if (anonKey) {
        await this.secrets.set(secretKeys.anonKey(env.id), anonKey);
        written.push(secretKeys.anonKey(env.id));
      }
      if (apiKey) {
        await this.secrets.set(secretKeys.apiKey(env.id), apiKey);
        written.push(secretKeys.apiKey(env.id));
      }
      await this.config.update((cfg) => {
        if (cfg.environments.some((e) => e.name.toLowerCase() === env.name.toLowerCase())) {
          throw new TokenDeskError('already_exists', `An environment named "${env.name}" already exists`);
        }
        return { ...cfg, environments: [...cfg.environments, env] };
      });
    } catch (e) {
      await Promise.all(written.map((k) => this.secrets.delete(k).catch(() => undefined)));
      throw e;
    }
    return env;
  }

  async update(ref: string, patch: Partial<EnvironmentInput>): Promise<Environment> {
    const current = await this.resolve(ref);
    const parsed = EnvironmentSchema.safeParse({
      ...current,
      ...(patch.name !== undefined && { name: patch.name.trim() }),
      ...(patch.baseUrl !== undefined && { baseUrl: patch.baseUrl.trim().replace(/\/+$/, '') }),
      ...(patch.label !== undefined && { label: patch.label }),
      ...(patch.color !== undefined && { color: patch.color }),
      ...(patch.production !== undefined && { production: patch.production }),
      ...(patch.variables !== undefined && { variables: patch.variables }),
      ...(patch.variableNames !== undefined && { variableNames: patch.variableNames }),
    });
    if (!parsed.success) throw new TokenDeskError('invalid_input', `Invalid environment: ${issueText(parsed.error)}`);
    if (patch.provider !== undefined && patch.provider !== current.provider) {
      throw new TokenDeskError('invalid_input', 'The provider of an environment cannot change: add a new environment instead');
    }
    const next = parsed.data;
    validateVariables(patch.variables);
    const anonKey = typeof patch.anonKey === 'string' ? validateSecret('anon key', patch.anonKey) : patch.anonKey;
    const apiKey = typeof patch.apiKey === 'string' ? validateSecret('API key', patch.apiKey) : patch.apiKey;
    if (next.provider === 'supabase' && anonKey === null) {
      throw new TokenDeskError('invalid_input', 'A Supabase environment needs its anon key');
    }
    // Secrets first, remembering the old values, so a failed config write can be undone.
    const changes: Array<[SecretKey, string | null]> = [];
    if (typeof anonKey === 'string') changes.push([secretKeys.anonKey(next.id), anonKey]);
    if (apiKey !== undefined) changes.push([secretKeys.apiKey(next.id), apiKey]);
    const previous = await Promise.all(changes.map(async ([k]) => [k, await this.secrets.get(k)] as const));
    try {
      for (const [k, v] of changes) {
        if (v === null) await this.secrets.delete(k);
        else await this.secrets.set(k, v);
      }
      await this.config.update((cfg) => {
        const clash = cfg.environments.find((e) => e.id !== next.id && e.name.toLowerCase() === next.name.toLowerCase());
        if (clash) throw new TokenDeskError('already_exists', `An environment named "${next.name}" already exists`);
        if (!cfg.environments.some((e) => e.id === next.id)) throw new TokenDeskError('not_found', `Environment "${current.name}" was removed meanwhile`);
        return { ...cfg, environments: cfg.environments.map((e) => (e.id === next.id ? next : e)) };
      });
    } catch (e) {
      for (const [k, old] of previous) {
        await (old === undefined ? this.secrets.delete(k) : this.secrets.set(k, old)).catch(() => undefined);
      }
      throw e;
    }
    return next;
  }

  /** Removes the environment, its identities and every secret that belonged to them. */
  async remove(ref: string): Promise<Environment> {
    const env = await this.resolve(ref);
    let identityIds: string[] = [];
    await this.config.update((cfg) => {
      identityIds = cfg.identities.filter((i) => i.envId === env.id).map((i) => i.id);
      const activeIdentity = { ...cfg.activeIdentity };
      delete activeIdentity[env.id];
      return {
        ...cfg,
        environments: cfg.environments.filter((e) => e.id !== env.id),
        identities: cfg.identities.filter((i) => i.envId !== env.id),
        activeIdentity,
      };
    });
    await this.secrets.delete(secretKeys.anonKey(env.id));
    await this.secrets.delete(secretKeys.apiKey(env.id));
    for (const id of identityIds) {
      const forget = async () => {
        await this.secrets.delete(secretKeys.session(id));
        await this.secrets.delete(secretKeys.password(id));
      };
      await (this.lock ? this.lock.exclusive(id, forget) : forget());
    }
    return env;
  }
}
