import { identityLabel } from '../../contract/identity-label.js';
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { exportInput, freshToken } from '../fresh.js';
import { emailOption, identityOption, envOption } from './common.js';
import { resolveTarget } from '../context.js';
import { EXIT, PROGRAM } from '../output.js';
import { withFactory, type Factory } from '../factory.js';
import { alreadyExists, TokenDeskError, loadEndpoint, loadExports, writePrivateFile, type FreshToken } from '../../core/facade.js';

interface ExportOptions {
  env: string;
  email?: string;
  format: 'postman' | 'curl' | 'dotenv' | 'json' | 'postman-script';
  secrets: boolean;
  live?: boolean;
  output?: string;
  yes?: boolean;
  force?: boolean;
  path?: string;
  method?: string;
  refreshToken?: boolean;
}

/**
 * The session to export. Secrets asked for and nobody signed in: the keys and variables are still
 * exported (an imported environment's keys are worth a file), but the run exits 4 like `token`, so a
 * script does not take a file with an empty token for a good one. Without secrets the session is not
 * touched (nothing to renew), but the file still names who is signed in.
 */
async function sessionFor(f: Factory, o: ExportOptions): Promise<Partial<FreshToken> & Pick<FreshToken, 'env'>> {
  const core = f.core();
  const env = await core.envs.resolve(o.env);
  if (o.secrets) {
    try {
      return await freshToken(f, env.id, o.email);
    } catch (e) {
      if (o.email === undefined && e instanceof TokenDeskError && e.code === 'not_signed_in') {
        f.term.errLine(`${PROGRAM}: nobody is signed in to "${env.name}": the token variables are empty; sign in with: ${PROGRAM} login --env ${JSON.stringify(env.name)}`);
        f.setExitCode(EXIT.auth);
        return { env };
      }
      throw e;
    }
  }
  const { identity } = await resolveTarget(f, env.id, o.email).catch((e: unknown) => {
    // Nobody to name: a shareable file of a signed-out environment is still a file.
    if (o.email === undefined && e instanceof TokenDeskError && e.code === 'not_signed_in') return { identity: undefined };
    throw e;
  });
  const signedIn = identity !== undefined && (await core.sessions.readSession(identity.id)) !== undefined;
  return signedIn ? { env, identity } : { env };
}

/**
 * Whether the "refresh token was left out" note goes to stderr: only for a format with a refresh-token
 * variable (not curl), and not when the body carrying the same note (dotenv, json) is already on the
 * terminal: said once where the user reads it.
 */
function noteOnStderr(f: Factory, o: ExportOptions): boolean {
  if (o.format === 'curl') return false;
  const toStdout = o.output === undefined || o.output === '-';
  return !(toStdout && f.io.stdout.isTTY === true && (o.format === 'dotenv' || o.format === 'json'));
}

/** Prints to stdout, or writes FILE (mode 600, no overwrite without --force). */
async function emit(f: Factory, o: ExportOptions, text: string, what: string): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (o.output === undefined || o.output === '-') {
    f.term.raw(body);
    return;
  }
  await writePrivateFile(o.output, body, { overwrite: o.force === true });
  f.term.info(`Wrote ${what} to ${o.output} (mode 600)`);
}

/**
 * The live Postman pair: a pre-request script asking the local endpoint for fresh variables, and an
 * environment holding only the endpoint's URL and secret. No token is written anywhere, so none goes
 * stale in Postman; the endpoint keeps refusing a production environment until it is allowed there.
 */
async function runLiveExport(f: Factory, o: ExportOptions): Promise<void> {
  const core = f.core();
  const env = await core.envs.resolve(o.env);
  const { liveExport } = await loadEndpoint();
  // --no-secrets: a file to share, each user fills in their own install's secret.
  const out = await liveExport(core, await core.config.read(), env, o.format === 'postman-script' ? 'postman-script' : 'postman-live', { includeSecret: o.secrets });
  await emit(f, o, out.text, out.what);
}

async function runExport(f: Factory, o: ExportOptions): Promise<void> {
  if (o.live && o.format !== 'postman') throw new TokenDeskError('invalid_input', '--live goes with --format postman');
  // Before renewing anything: a refused file should cost nothing.
  if (o.output !== undefined && o.output !== '-' && !o.force && existsSync(o.output)) {
    throw alreadyExists(o.output);
  }
  if (o.live || o.format === 'postman-script') return runLiveExport(f, o);
  const env = await f.core().envs.resolve(o.env);
  if (env.production && o.secrets && !o.yes) {
    throw new TokenDeskError(
      'invalid_input',
      `"${env.name}" is a production environment: exporting its secrets needs --yes (or use --no-secrets for a shareable file)`,
    );
  }
  const { renderExport, omittedNotes } = await loadExports();
  const target = await sessionFor(f, o);
  const input = await exportInput(f, target);
  // --no-secrets: no session was read for tokens, but the file names the signed-in identity and its account.
  if (!target.session && target.identity) {
    input.identityEmail = identityLabel(target.identity);
    if (target.identity.activeAccountId) input.accountId = target.identity.activeAccountId;
  }
  const includeRefreshToken = o.refreshToken ?? false;
  // Said on stderr so stdout stays the file; JSON and .env carry the same note inside.
  if (noteOnStderr(f, o)) for (const note of omittedNotes(input, { includeSecrets: o.secrets, includeRefreshToken })) f.term.info(`${note}: add --refresh-token to include it.`);
  const text = renderExport(o.format as 'postman' | 'curl' | 'dotenv' | 'json', input, {
    includeSecrets: o.secrets,
    includeRefreshToken,
    ...(o.path !== undefined && { path: o.path }),
    ...(o.method !== undefined && { method: o.method }),
  });
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (o.output === undefined || o.output === '-') {
    f.term.raw(body);
    return;
  }
  await writePrivateFile(o.output, body, { overwrite: o.force === true });
  f.term.info(`Wrote ${o.format} export of "${env.name}" to ${o.output} (mode 600${o.secrets ? ', contains secrets' : ', secrets blanked'})`);
}

export function registerExport(program: Command, f: Factory): void {
  program
    .command('export')
    .summary('export as postman, curl, dotenv or json')
    .description('export the environment as a Postman environment, a curl command, a .env file or JSON')
    .addOption(envOption())
    .addOption(emailOption())
    .addOption(identityOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['postman', 'curl', 'dotenv', 'json', 'postman-script']).makeOptionMandatory())
    .option('--live', 'postman: an environment with the local endpoint\'s URL and secret (no token), for the postman-script pre-request script')
    .option('--no-secrets', 'blank every secret value (keys kept), for a file you can share')
    .option('--refresh-token', 'include the Supabase refresh token (left out by default: it is single-use, so a tool that spends it ends TokenDesk\'s session)')
    .option('-o, --output <file>', 'write to FILE (mode 600, never over an existing file unless --force) instead of stdout')
    .option('--force', 'replace FILE if it already exists')
    .option('-y, --yes', 'allow exporting the secrets of a production environment')
    .option('--path <path>', 'curl: request path (default: the "who am I" endpoint)')
    .option('--method <method>', 'curl: HTTP method (default GET)')
    .addHelpText(
      'after',
      [
        '',
        'The token is renewed first when it is about to expire. Postman files type secrets as "secret" and keep',
        'a stable id, so importing a newer export updates the environment instead of adding a copy.',
        'The refresh token is left empty unless --refresh-token is given: Supabase refresh tokens work once,',
        'and a tool that spends the copy ends TokenDesk\'s own session at its next renewal.',
        'variable names follow the environment (url, anon_key, api_key, user_jwt_token, refresh_token, … for',
        'Supabase; url, token, account_id for the session API; rename them with env edit --var-name).',
        'Exporting the secrets of a production environment is refused unless --yes is given.',
        '',
        'Examples:',
        '  tokendesk export --env staging --format postman -o staging.postman_environment.json',
        '  tokendesk export --env staging --format dotenv --no-secrets > .env.example',
        '  tokendesk export --env staging --format postman-script        # collection pre-request script',
        '  tokendesk export --env staging --format postman --live -o staging-live.postman_environment.json',
      ].join('\n'),
    )
    .action(withFactory(f, runExport));
}
