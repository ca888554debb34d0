import type { Command } from 'commander';
import { DEFAULT_ENDPOINT_PORT, loadEndpoint, localTime } from '../../core/facade.js';
import { InvalidArgumentError } from 'commander';
import { jsonOption, parsePositiveInt } from './common.js';
import { withFactory, type Factory } from '../factory.js';

function parseListenPort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number (1-65535)');
  return n;
}

/** `tokendesk endpoint`: where the endpoint is, whether it is running, and (asked for) its secret. */
async function show(f: Factory, o: { json?: boolean; showSecret?: boolean }): Promise<void> {
  const ep = await loadEndpoint();
  const core = f.core();
  const cfg = await core.config.read();
  const port = ep.endpointPort(cfg);
  // Asking to see it is its first use: it is made then, never by a plain look.
  const secret = o.showSecret ? await ep.ensureEndpointSecret(core.secrets, core.lock) : await ep.readEndpointSecret(core.secrets);
  const probe = await ep.probeEndpoint(port, secret);
  const allowed = ep.allowedProduction(cfg).map((a) => a.name);
  if (o.json) {
    f.term.outJson({
      url: ep.endpointUrl(port),
      port,
      running: probe.state === 'running',
      ...(probe.state === 'running' && { servedBy: probe.servedBy, pid: probe.pid }),
      ...(probe.state === 'other' && { portTakenByOther: true }),
      secretMade: secret !== undefined,
      ...(o.showSecret && secret !== undefined && { secret }),
      allowedProduction: allowed,
    });
    return;
  }
  const state =
    probe.state === 'running'
      ? `running (${probe.servedBy === 'app' ? 'the desktop app' : 'tokendesk serve'}, process ${probe.pid})`
      : probe.state === 'stopped'
        ? 'not running (start the desktop app, or tokendesk serve)'
        : 'not running here: something else answers on this port (another program, or TokenDesk with another TOKENDESK_HOME)';
  f.term.out(
    [
      `URL:     ${ep.endpointUrl(port)}`,
      `State:   ${state}`,
      `Secret:  ${secret === undefined ? 'not made yet (tokendesk endpoint --show-secret makes it)' : o.showSecret ? secret : `${ep.maskSecret(secret)} (--show-secret prints it)`}`,
      `Production environments served: ${allowed.length > 0 ? allowed.join(', ') : 'none (tokendesk endpoint allow NAME)'}`,
    ].join('\n'),
  );
}

async function allow(f: Factory, name: string): Promise<void> {
  const ep = await loadEndpoint();
  const env = await ep.allowProduction(f.core().config, name);
  f.term.out(
    env.production
      ? `The endpoint now serves "${env.name}" (a production environment) to any caller with its secret.`
      : `"${env.name}" is not a production environment: the endpoint serves it without being allowed. It is now allowed anyway, should it become one.`,
  );
}

async function log(f: Factory, o: { json?: boolean; limit?: number }): Promise<void> {
  const ep = await loadEndpoint();
  const entries = await ep.readAccessLog(f.core().home, o.limit ?? 50);
  if (o.json) return f.term.outJson(entries);
  if (entries.length === 0) return f.term.out('No calls yet.');
  // Oldest first, like any log, the newest at the bottom where the terminal is.
  f.term.out(
    entries
      .reverse()
      .map((e) => [localTime(e.time), e.status, e.route, e.env ?? '-', e.identity ?? '-', e.userAgent ? `"${e.userAgent}"` : '-', ...(e.code ? [e.code] : []), ...(e.scoped ? [`scoped secret (${e.scoped})`] : [])].join('  '))
      .join('\n'),
  );
}

async function port(f: Factory, value: number): Promise<void> {
  const ep = await loadEndpoint();
  await ep.setEndpointPort(f.core().config, value);
  f.term.out(`The endpoint listens on ${ep.endpointUrl(value)} from its next start (restart the app or tokendesk serve).`);
}

export function registerEndpoint(program: Command, f: Factory): void {
  const cmd = program
    .command('endpoint')
    .summary('where the local credential endpoint is, whether it runs, its secret')
    .description('show the local credential endpoint: its URL, whether it is running, and its secret (with --show-secret)')
    .addOption(jsonOption())
    .option('--show-secret', 'print the secret callers send as Authorization: Bearer (made on first use)')
    .action(withFactory(f, show));
  cmd
    .command('allow')
    .summary('let the endpoint serve a production environment')
    .argument('<name>', 'environment name')
    .action(withFactory(f, allow));
  cmd
    .command('port')
    .summary('change the port the endpoint listens on')
    .argument('<port>', `port number (default ${DEFAULT_ENDPOINT_PORT})`, parseListenPort)
    .action(withFactory(f, port));
  cmd
    .command('log')
    .summary("the endpoint's access log (never a token)")
    .addOption(jsonOption())
    .option('-n, --limit <count>', 'how many of the most recent calls (default 50)', parsePositiveInt)
    .action(withFactory(f, log));
}
