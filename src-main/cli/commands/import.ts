import { readFile, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { PROVIDER_KINDS, type ProviderKind } from '../../contract/providers.js';
import { parseBaseUrl } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import { TokenDeskError, loadExports, loadImport } from '../../core/facade.js';

interface ImportOptions {
  name?: string;
  url?: string;
  provider?: ProviderKind;
}

/** What a failed read means, in words ("no such file", not ENOENT). */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
};

async function readImportFile(file: string, maxBytes: number): Promise<string> {
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new TokenDeskError('invalid_input', `Cannot read ${file}: it is not a file`);
    if (st.size > maxBytes) throw new TokenDeskError('invalid_input', `${file} is larger than 5 MB; a Postman export is much smaller`);
    return await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof TokenDeskError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = (code && READ_ERRORS[code]) ?? `${code ?? 'I/O error'}`;
    throw new TokenDeskError('invalid_input', `Cannot read ${file}: ${why}`, { cause: e });
  }
}

/** Creates the environment, or updates the one it came from (same Postman id) or with that name; keys go to the keychain. */
async function runImport(f: Factory, file: string, o: ImportOptions): Promise<void> {
  const { parsePostmanFile, MAX_IMPORT_BYTES } = await loadExports();
  const { applyImport } = await loadImport();
  const text = await readImportFile(file, MAX_IMPORT_BYTES);
  let parsed: ReturnType<typeof parsePostmanFile>;
  try {
    parsed = parsePostmanFile(text);
  } catch (e) {
    // Name the file: "File is not valid JSON" alone does not say which one, in a script importing several.
    if (e instanceof TokenDeskError) throw new TokenDeskError(e.code, `Cannot import ${file}: ${e.message}`, { cause: e });
    throw e;
  }
  // The same use case as the app's import (core/environments/import-environment.ts).
  const outcome = await applyImport(f.core().envs, parsed, {
    ...(o.name !== undefined && { name: o.name }),
    ...(o.url !== undefined && { baseUrl: o.url }),
    ...(o.provider !== undefined && { provider: o.provider }),
  }).catch((e: unknown) => {
    if (e instanceof TokenDeskError && /has no base URL variable/.test(e.message)) {
      throw new TokenDeskError('invalid_input', 'The file has no base URL variable (url, baseUrl, base_url): pass --url', { cause: e });
    }
    throw e;
  });
  const tokensLeft = /^Tokens in the file were not imported/;
  for (const w of outcome.warnings) if (!tokensLeft.test(w)) f.term.warn(w);
  if (outcome.warnings.some((w) => tokensLeft.test(w))) {
    f.term.warn('the tokens in the file were not imported (TokenDesk cannot know their owner or expiry): sign in with "tokendesk login"');
  }
  // Expected for a fresh export: said once, without "warning:".
  for (const n of outcome.notes) f.term.info(n);
  const env = outcome.environment;
  // The environment as stored says which variables went to the keychain (by value as well as by type).
  const secretVars = env.secretVariables?.length ?? 0;
  const stored = [
    parsed.secrets.anonKey && 'anon key',
    parsed.secrets.apiKey && 'API key',
    secretVars > 0 && `${secretVars} secret variable${secretVars === 1 ? '' : 's'}`,
  ].filter((x): x is string => typeof x === 'string');
  const listed = stored.length > 1 ? `${stored.slice(0, -1).join(', ')} and ${stored[stored.length - 1]}` : (stored[0] ?? '');
  f.term.out(
    `${outcome.created ? 'Imported' : 'Updated'} environment "${env.name}" (${env.provider}, ${env.baseUrl})` +
      `${listed ? `; the ${listed} went to the OS keychain` : ''}`,
  );
  if (parsed.accountId !== undefined) f.term.out(`Its account id ${parsed.accountId} was kept as the variable ${env.variableNames.account_id ?? 'account_id'}`);
}

export function registerImport(program: Command, f: Factory): void {
  program
    .command('import')
    .summary('create/update from a Postman file')
    .description('create or update an environment from a Postman environment file or a collection\'s variables')
    .argument('<file>', 'a *.postman_environment.json, globals or collection (v2.x) export')
    .option('--name <name>', 'environment name (default: the name in the file)')
    .option('--url <url>', 'base URL, when the file has none', parseBaseUrl)
    .addOption(new Option('-p, --provider <kind>', 'override the guessed provider').choices(PROVIDER_KINDS))
    .addHelpText(
      'after',
      '\nSecrets (type "secret", or "secret": true in Postman 12+) such as the anon key and the API key go to the\nOS keychain, never to the configuration file, as do variables that look like credentials (passwords,\nAuthorization values, API keys, URLs with a password). An existing environment with the same name is updated.',
    )
    .action(withFactory(f, runImport));
}
