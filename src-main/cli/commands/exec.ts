import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { Option, type Command } from 'commander';
import { UsageError } from '../output.js';
import { exportInput, freshToken } from '../fresh.js';
import { collect, emailOption, identityOption, envOption } from './common.js';
import { readUserFile, resolveWith } from '../references.js';
import { withFactory, type Factory } from '../factory.js';
import { parseDuration } from '../duration.js';
import { DEFAULT_SCOPED_LIFETIME_MS, ENDPOINT_VARIABLES, endpointForChild, type ChildEndpoint } from '../exec-endpoint.js';
import { TokenDeskError, parseEnvFile, type Reference, accessTokenHeader, accountHeader, accountQuery, authHeaders, dotenvKey, exportVariables, type ExportInput } from '../../core/facade.js';

/** Set by TokenDesk itself; an exported variable never overrides them. */
const RESERVED = new Set([
  'TOKENDESK_TOKEN',
  'TOKENDESK_AUTH_HEADER',
  'TOKENDESK_URL',
  'TOKENDESK_ENV',
  'TOKENDESK_HOME',
  'TOKENDESK_HEADERS',
  'TOKENDESK_ACCOUNT_HEADER',
  'TOKENDESK_ACCOUNT_QUERY',
  ...ENDPOINT_VARIABLES,
]);

/**
 * The child's extra environment. The refresh token is left out on purpose: Supabase refresh tokens
 * are single-use, so a child that spent it would end TokenDesk's own session.
 */
export function childEnvironment(input: ExportInput, envName: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const v of exportVariables(input, { includeSecrets: true })) {
    if (v.role === 'refresh_token') continue;
    const name = `TOKENDESK_${dotenvKey(v.key)}`;
    if (!RESERVED.has(name)) vars[name] = v.value;
  }
  // The value of the header that carries the token (Authorization's `Bearer …`, or the environment's own header).
  const auth = accessTokenHeader(input);
  vars.TOKENDESK_TOKEN = input.secrets.accessToken ?? '';
  vars.TOKENDESK_AUTH_HEADER = auth?.value ?? '';
  vars.TOKENDESK_URL = input.env.baseUrl;
  vars.TOKENDESK_ENV = envName;
  // Every header line a request needs, the chosen tenant account included (curl -H @<(printf '%s\n' "$TOKENDESK_HEADERS")).
  vars.TOKENDESK_HEADERS = authHeaders(input).map((h) => `${h.name}: ${h.value}`).join('\n');
  const account = accountHeader(input);
  const query = accountQuery(input);
  if (account) vars.TOKENDESK_ACCOUNT_HEADER = `${account.name}: ${account.value}`;
  if (query) vars.TOKENDESK_ACCOUNT_QUERY = new URLSearchParams({ [query.name]: query.value }).toString();
  return vars;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** Runs the command, forwarding signals; resolves with the exit status a shell would report. `started` runs once it did start. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, started: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    // Listening before the spawn: the child can run and print before spawn() returns here, and a
    // signal sent at once (Ctrl+C, a test reacting to the child's first line) would otherwise kill
    // us by default and leave the child running, orphaned.
    const spawned: { child?: ReturnType<typeof spawn> } = {};
    const forward = (sig: NodeJS.Signals): void => {
      spawned.child?.kill(sig);
    };
    for (const s of FORWARDED) process.on(s, forward);
    const child = spawn(command, args, { stdio: 'inherit', env });
    spawned.child = child;
    child.once('spawn', started);
    const cleanup = (): void => {
      for (const s of FORWARDED) process.off(s, forward);
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      cleanup();
      if (e.code === 'ENOENT') reject(Object.assign(new TokenDeskError('invalid_input', `Command not found: ${command}`), { exitCode: 127 }));
      else if (e.code === 'EACCES') reject(Object.assign(new TokenDeskError('invalid_input', `Permission denied: ${command}`), { exitCode: 126 }));
      else reject(new TokenDeskError('invalid_input', `Cannot run ${command} (${e.code ?? 'error'})`, { cause: e }));
    });
    child.once('exit', (code, signal) => {
      cleanup();
      if (!signal) return resolve(code ?? 1);
      // Die by the same signal, so our parent sees what the child's parent would have seen. Other
      // listeners (signal-exit, which some dependencies load) would defer it to the event loop, where our
      // own exit would win: remove them so the default action applies at once.
      const status = 128 + (constants.signals[signal] ?? 0);
      if (signal === 'SIGUSR1') return resolve(status); // Node's SIGUSR1 starts the inspector instead
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      setTimeout(() => resolve(status), 500); // in case the signal is ignored here
    });
  });
}

/**
 * The variables of `--envfile` files, the user's own names (op run's mapping): plain values as they
 * are, `tokendesk://` references resolved. Every file is read and every reference resolved before the
 * command runs, so a typo stops the run with its file and line.
 */
async function fileEnvironment(f: Factory, files: readonly string[]): Promise<{ vars: Record<string, string>; refs: Reference[] }> {
  const entries = [];
  for (const file of files) entries.push(...parseEnvFile(await readUserFile(f, file, 'env file'), file).map((e) => ({ ...e, file })));
  const refs = entries.flatMap((e) => (e.ref ? [{ ref: e.ref, where: `${e.file}, line ${e.line} (${e.name})` }] : []));
  const values = await resolveWith(f, refs);
  const out: Record<string, string> = {};
  let next = 0;
  for (const e of entries) out[e.name] = e.ref ? values[next++]! : e.value;
  return { vars: out, refs: refs.map((r) => r.ref) };
}

interface ExecOptions {
  env?: string;
  email?: string;
  envfile?: string[];
  /** false with --no-endpoint. */
  endpoint: boolean;
  endpointLifetime?: string;
}

async function exec(f: Factory, command: string, args: string[], o: ExecOptions): Promise<void> {
  const lifetimeMs = o.endpointLifetime === undefined ? DEFAULT_SCOPED_LIFETIME_MS : parseDuration(o.endpointLifetime, '--endpoint-lifetime');
  if (lifetimeMs === 0) throw new UsageError('--endpoint-lifetime must be longer than 0 (or --no-endpoint)');
  const files = await fileEnvironment(f, o.envfile ?? []);
  // With --envfile and no environment named (or defaulted), the child gets the file's variables only.
  let own: Record<string, string> = {};
  if (o.env !== undefined) {
    const fresh = await freshToken(f, o.env, o.email);
    own = childEnvironment(await exportInput(f, fresh), fresh.env.name);
  }
  const inherited = { ...f.io.env };
  let endpoint: ChildEndpoint = { vars: {} };
  if (o.endpoint) {
    const targets = [...(o.env === undefined ? [] : [{ env: o.env, ...(o.email !== undefined && { who: o.email }) }]), ...files.refs];
    endpoint = await endpointForChild(f, targets, command, lifetimeMs);
  } else {
    // Not even an outer exec's: --no-endpoint means the command gets no way to the endpoint from us.
    for (const name of ENDPOINT_VARIABLES) delete inherited[name];
  }
  // Said once the command runs (a command not found is that one line alone), and only to a person at a
  // terminal: a script's stderr, often the command's own log, is not the place for a hint on every run.
  const status = await run(command, args, { ...inherited, ...own, ...endpoint.vars, ...files.vars }, () => {
    if (endpoint.note && f.io.stderr.isTTY === true) f.term.errLine(endpoint.note);
  });
  f.setExitCode(status);
}

export function registerExec(program: Command, f: Factory): void {
  program
    .command('exec')
    .summary('run a command with a fresh token')
    .description("run a command with a fresh token in its environment; exits with the command's status")
    .argument('<command>', 'the command to run')
    .argument('[args...]', 'its arguments (put -- before the command so its options are not read as ours)')
    .addOption(envOption())
    .addOption(emailOption())
    .addOption(identityOption())
    .option('--envfile <file>', 'variables for the command, with your own names: NAME=tokendesk://ENV/FIELD lines (repeatable; - reads stdin)', collect)
    // Node itself reads --env-file anywhere on its command line, after the script too (nodejs/node#54232):
    // a missing file stops node before we run, an existing one is loaded into our own environment.
    // So ours is --envfile, and --env-file (when node let it through) says so instead of half working.
    .addOption(new Option('--env-file <file>').hideHelp().argParser(() => {
      throw new UsageError('use --envfile FILE (node reads --env-file itself, before TokenDesk runs)');
    }))
    .option('--endpoint-lifetime <duration>', "how long the command's endpoint secret is valid (90s, 10m, 1h; default 12h)")
    .option('--no-endpoint', 'do not pass TOKENDESK_ENDPOINT and TOKENDESK_ENDPOINT_SECRET')
    .passThroughOptions()
    .addHelpText(
      'after',
      [
        '',
        'The command gets TOKENDESK_TOKEN (the access token), TOKENDESK_AUTH_HEADER (the full Authorization',
        'value), TOKENDESK_URL, TOKENDESK_ENV and TOKENDESK_<NAME> for each exported variable (e.g.',
        'TOKENDESK_ANON_KEY, TOKENDESK_ORGANIZATION_ID). TOKENDESK_HEADERS holds every header line a request',
        'needs, one per line; with a tenant account chosen, TOKENDESK_ACCOUNT_HEADER ("X-Account-Id: 4200") or',
        'TOKENDESK_ACCOUNT_QUERY ("accountId=4200") carries it, as the environment says (env edit --account-header).',
        'The refresh token is not passed: it is single-use.',
        'Signals are forwarded to the command.',
        '',
        'For a command that outlives its token, TOKENDESK_ENDPOINT is the local credential endpoint',
        '(http://127.0.0.1:PORT) and TOKENDESK_ENDPOINT_SECRET a secret for it scoped to this command: it is',
        'served only the environments this exec resolved (--env, and the --envfile references), with the',
        'identity chosen by --email/--identity or a reference, and only until it expires (12h, or',
        '--endpoint-lifetime). Any other environment is refused (403 out_of_scope); once expired it is refused',
        'like a wrong secret (401). It is derived from the endpoint\'s install secret, so a new install secret',
        'invalidates every scoped one. The endpoint must be running (tokendesk serve, or the app); a production',
        'environment is served only once allowed (tokendesk endpoint allow NAME). --no-endpoint passes neither.',
        '',
        '--envfile FILE sets the variables you name, as `op run --env-file` does: NAME=value lines (# comments,',
        'quotes, `export` allowed), where a value tokendesk://ENVIRONMENT/FIELD[?identity=ID|?email=EMAIL] is',
        'resolved first. FIELD: token, header (the Authorization value), headers (every line), refresh_token',
        '(single-use: handed out only when named), or an exported variable (url, anon_key, organization_id…).',
        'A bad reference stops with its file and line; nothing is run. Without --env (or a default), only the',
        "file's variables are added (and the endpoint's two, for the file's environments).",
        '',
        'Examples:',
        '  tokendesk exec --env staging -- python worker.py   # asks $TOKENDESK_ENDPOINT/v1/token?env=staging itself',
        '  tokendesk exec --env staging -- sh -c \'curl -H "Authorization: $TOKENDESK_AUTH_HEADER" "$TOKENDESK_URL/api/me"\'',
        '  printf \'API_TOKEN=tokendesk://staging/token\\n\' > app.env; tokendesk exec --envfile app.env -- npm start',
      ].join('\n'),
    )
    .action(withFactory(f, exec));
}
