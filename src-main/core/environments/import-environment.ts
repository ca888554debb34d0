import type { Environment } from '../config/schema.js';
import { TokenDeskError } from '../errors.js';
import { parsePostmanFile, type ImportedEnvironment } from '../exports/import.js';
import type { EnvironmentService } from './service.js';

export interface ImportOutcome {
  environment: Environment;
  created: boolean;
  warnings: string[];
}

/**
 * Creates or updates (same name) an environment from a Postman environment or collection file.
 * The file is fully parsed and validated before anything is stored; secret values go to the keychain.
 */
export async function importPostmanText(envs: EnvironmentService, text: string, opts: { name?: string } = {}): Promise<ImportOutcome> {
  const imported = parsePostmanFile(text);
  return applyImport(envs, imported, opts);
}

export async function applyImport(envs: EnvironmentService, imported: ImportedEnvironment, opts: { name?: string } = {}): Promise<ImportOutcome> {
  const warnings = [...imported.warnings];
  const name = opts.name ?? imported.name;
  if (imported.secrets.accessToken || imported.secrets.refreshToken) {
    warnings.push('Tokens in the file were not imported: sign in from TokenDesk to get a session it can keep fresh');
  }
  const existing = (await envs.list()).find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (existing) {
    if (existing.provider !== imported.provider) {
      throw new TokenDeskError(
        'invalid_input',
        `The file looks like a ${imported.provider} environment but "${existing.name}" is a ${existing.provider} environment; import it under another name`,
      );
    }
    const environment = await envs.update(existing.id, {
      ...(imported.baseUrl && { baseUrl: imported.baseUrl }),
      variables: { ...existing.variables, ...imported.variables },
      secretVariables: imported.secretVariables,
      variableNames: { ...existing.variableNames, ...imported.variableNames },
      ...(imported.secrets.anonKey && { anonKey: imported.secrets.anonKey }),
      ...(imported.secrets.apiKey && { apiKey: imported.secrets.apiKey }),
    });
    return { environment, created: false, warnings };
  }
  if (!imported.baseUrl) {
    throw new TokenDeskError('invalid_input', 'The file has no base URL variable (url, baseUrl, base_url or supabase_url): add one and import again');
  }
  const environment = await envs.add({
    name,
    provider: imported.provider,
    baseUrl: imported.baseUrl,
    variables: imported.variables,
    secretVariables: imported.secretVariables,
    variableNames: imported.variableNames,
    ...(imported.secrets.anonKey && { anonKey: imported.secrets.anonKey }),
    ...(imported.secrets.apiKey && { apiKey: imported.secrets.apiKey }),
  });
  return { environment, created: true, warnings };
}
