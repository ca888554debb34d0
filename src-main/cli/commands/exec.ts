import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Command } from 'commander';
import { exportInput, freshToken } from '../fresh.js';
import { emailOption, identityOption, envOption } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import { TokenDeskError, accessTokenHeader, accountHeader, accountQuery, authHeaders, dotenvKey, exportVariables, type ExportInput } from '../../core/facade.js';

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

/** Runs the command, forwarding signals; resolves with the exit status a shell would report. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    // Listening before the spawn: the child can run and print before spawn() returns here, and a
    // signal sent at once (Ctrl+C, a test reacting to the child's first line) would otherwise kill
    // us by default and leave the child running, orphaned.
    const started: { child?: ReturnType<typeof spawn> } = {};
    const forward = (sig: NodeJS.Signals): void => {
      started.child?.kill(sig);
    };
    for (const s of FORWARDED) process.on(s, forward);
    const child = spawn(command, args, { stdio: 'inherit', env });
    started.child = child;
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

async function exec(f: Factory, command: string, args: string[], o: { env: string; email?: string }): Promise<void> {
  const fresh = await freshToken(f, o.env, o.email);
  const input = await exportInput(f, fresh);
  const status = await run(command, args, { ...f.io.env, ...childEnvironment(input, fresh.env.name) });
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
        'Example:',
        '  tokendesk exec --env staging -- sh -c \'curl -H "Authorization: $TOKENDESK_AUTH_HEADER" "$TOKENDESK_URL/api/me"\'',
      ].join('\n'),
    )
    .action(withFactory(f, exec));
}
