import { readFile, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { PROVIDER_KINDS, type ProviderKind } from '../../contract/providers.js';
import { parseBaseUrl } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import { askLine, canPrompt } from '../prompt.js';
import { EXIT } from '../output.js';
import { TokenDeskError, loadExports, loadImport } from '../../core/facade.js';

interface ImportOptions {
  name?: string;
  url?: string;
  provider?: ProviderKind;
  yes?: boolean;
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
  const run = (confirmUrlChange: boolean) =>
    applyImport(f.core().envs, parsed, {
      ...(o.name !== undefined && { name: o.name }),
      ...(o.url !== undefined && { baseUrl: o.url }),
      ...(o.provider !== undefined && { provider: o.provider }),
      confirmUrlChange,
    }).catch((e: unknown) => {
      if (e instanceof TokenDeskError && /has no base URL variable/.test(e.message)) {
        throw new TokenDeskError('invalid_input', 'The file has no base URL variable (url, baseUrl, base_url): pass --url', { cause: e });
      }
      throw e;
    });
  let outcome: Awaited<ReturnType<typeof run>>;
  try {
    outcome = await run(o.yes === true);
  } catch (e) {
    // It would change an existing environment's URL: said (which one, what it does), then asked.
    if (!(e instanceof TokenDeskError && e.code === 'confirmation_required')) throw e;
    if (!canPrompt(f.io)) {
      const how = 'Nothing was changed: confirm with --yes (it asks only when standard input and standard error are a terminal)';
      throw new TokenDeskError(e.code, e.message.replace(/Confirm to import it; nothing was changed$/, how), { cause: e });
    }
    f.term.errLine(e.message.replace(/\. Confirm to import it; nothing was changed$/, '.'));
    if (!/^y(es)?$/i.test(await askLine(f, 'Import it and change the URL? [y/N] '))) {
      f.term.errLine('Nothing was changed.');
      f.setExitCode(EXIT.error);
      return;
    }
    outcome = await run(true);
  }
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
  if (outcome.signedOut.length) f.term.out(`Signed out (the environment moved to another server): ${outcome.signedOut.join(', ')}; sign in again with "tokendesk login"`);
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
    .option('-y, --yes', "change an existing environment's URL without asking (needed when standard input is not a terminal)")
    .addHelpText(
      'after',
      '\nSecrets (type "secret", or "secret": true in Postman 12+) such as the anon key and the API key go to the\nOS keychain, never to the configuration file, as do variables that look like credentials (passwords,\nAuthorization values, API keys, URLs with a password). An existing environment with the same name is updated;\nif the file changes its URL, it asks first (a new server signs its identities out).',
    )
    .action(withFactory(f, runImport));
}
