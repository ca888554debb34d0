import { readFile, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import type { Environment } from '../../core/config/schema.js';
import type { EnvironmentInput } from '../../core/environments/service.js';
import { TokenDeskError } from '../../core/errors.js';
import { getCore } from '../context.js';
import { out, warn } from '../output.js';
import { parseBaseUrl } from './common.js';

interface ImportOptions {
  name?: string;
  url?: string;
  provider?: 'supabase' | 'session';
}

async function readImportFile(file: string, maxBytes: number): Promise<string> {
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new TokenDeskError('invalid_input', `${file} is not a file`);
    if (st.size > maxBytes) throw new TokenDeskError('invalid_input', `${file} is larger than 5 MB; a Postman export is much smaller`);
    return await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof TokenDeskError) throw e;
    throw new TokenDeskError('invalid_input', `Cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'I/O error'})`, { cause: e });
  }
}

/** Creates the environment, or updates the one with that name; anon and API keys go to the keychain. */
async function runImport(file: string, o: ImportOptions): Promise<void> {
  const { parsePostmanFile, MAX_IMPORT_BYTES } = await import('../../core/exports/index.js');
  const text = await readImportFile(file, MAX_IMPORT_BYTES);
  let parsed: ReturnType<typeof parsePostmanFile>;
  try {
    parsed = parsePostmanFile(text);
  } catch (e) {
    // Name the file: "File is not valid JSON" alone does not say which one, in a script importing several.
    if (e instanceof TokenDeskError) throw new TokenDeskError(e.code, `Cannot import ${file}: ${e.message}`, { cause: e });
    throw e;
  }
  for (const w of parsed.warnings) warn(w);
  const name = o.name ?? parsed.name;
  const provider = o.provider ?? parsed.provider;
  const baseUrl = o.url ?? parsed.baseUrl;
  const core = getCore();
  const existing = (await core.envs.list()).find((e) => e.name.toLowerCase() === name.toLowerCase());

  let env: Environment;
  if (existing) {
    if (existing.provider !== provider) {
      throw new TokenDeskError('invalid_input', `"${existing.name}" is a ${existing.provider} environment but the file looks like ${provider}: use --name to import it as a new one`);
    }
    const patch: Partial<EnvironmentInput> = {
      variables: { ...existing.variables, ...parsed.variables },
      secretVariables: parsed.secretVariables,
      variableNames: { ...existing.variableNames, ...parsed.variableNames },
    };
    if (baseUrl) patch.baseUrl = baseUrl;
    if (parsed.secrets.anonKey) patch.anonKey = parsed.secrets.anonKey;
    if (parsed.secrets.apiKey) patch.apiKey = parsed.secrets.apiKey;
    env = await core.envs.update(existing.id, patch);
  } else {
    if (!baseUrl) throw new TokenDeskError('invalid_input', 'The file has no base URL variable (url, baseUrl, base_url): pass --url');
    const input: EnvironmentInput = {
      name,
      provider,
      baseUrl,
      variables: parsed.variables,
      secretVariables: parsed.secretVariables,
      variableNames: parsed.variableNames,
    };
    if (parsed.secrets.anonKey) input.anonKey = parsed.secrets.anonKey;
    if (parsed.secrets.apiKey) input.apiKey = parsed.secrets.apiKey;
    env = await core.envs.add(input);
  }
  if (parsed.secrets.accessToken || parsed.secrets.refreshToken) {
    warn('the tokens in the file were not imported (TokenDesk cannot know their owner or expiry): sign in with "tokendesk login"');
  }
  // The environment as stored says which variables went to the keychain (by value as well as by type).
  const secretVars = env.secretVariables?.length ?? 0;
  const stored = [
    parsed.secrets.anonKey && 'anon key',
    parsed.secrets.apiKey && 'API key',
    secretVars > 0 && `${secretVars} secret variable${secretVars === 1 ? '' : 's'}`,
  ].filter((x): x is string => typeof x === 'string');
  const listed = stored.length > 1 ? `${stored.slice(0, -1).join(', ')} and ${stored[stored.length - 1]}` : (stored[0] ?? '');
  out(
    `${existing ? 'Updated' : 'Imported'} environment "${env.name}" (${env.provider}, ${env.baseUrl})` +
      `${listed ? `; the ${listed} went to the OS keychain` : ''}`,
  );
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .summary('create/update from a Postman file')
    .description('create or update an environment from a Postman environment file or a collection\'s variables')
    .argument('<file>', 'a *.postman_environment.json, globals or collection (v2.x) export')
    .option('--name <name>', 'environment name (default: the name in the file)')
    .option('--url <url>', 'base URL, when the file has none', parseBaseUrl)
    .addOption(new Option('-p, --provider <kind>', 'override the guessed provider').choices(['supabase', 'session']))
    .addHelpText(
      'after',
      '\nSecrets (type "secret", or "secret": true in Postman 12+) such as the anon key and the API key go to the\nOS keychain, never to the configuration file, as do variables that look like credentials (passwords,\nAuthorization values, API keys, URLs with a password). An existing environment with the same name is updated.',
    )
    .action(runImport);
}
