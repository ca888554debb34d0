import type { Command } from 'commander';
import { parseBaseUrl, parsePort, parsePositiveInt } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import { DEMO_ENVIRONMENTS, DEMO_OIDC_MACHINE_ENVIRONMENT, TokenDeskError, loadDemoEnvironments, loadDemoServer, type Environment } from '../../core/facade.js';

/** The port the desktop app prefers for its embedded demo too, so both find the same server. */
export const DEFAULT_DEMO_PORT = 54329;

/**
 * Adds (or re-points) the demo environments — the same names the desktop app uses, so both share
 * them. Keys and the machine client's secret are the demo server's public ones.
 */
async function setupDemoEnvironments(f: Factory, url: string): Promise<Environment[]> {
  const { ensureDemoEnvironments } = await loadDemoEnvironments();
  return ensureDemoEnvironments(f.core().envs, url);
}

function printSetup(f: Factory, envs: Environment[]): void {
  for (const e of envs) f.term.out(`Environment "${e.name}" (${e.provider}) → ${e.baseUrl}`);
}

async function demoSetup(f: Factory, o: { url: string }): Promise<void> {
  printSetup(f, await setupDemoEnvironments(f, o.url.replace(/\/+$/, '')));
  f.term.out(
    [
      '',
      `Next: tokendesk login --env "${DEMO_ENVIRONMENTS.supabase}" --email owner@connectgain.test   (password: demo-password)`,
      `  or: tokendesk login --env "${DEMO_ENVIRONMENTS.oidc}"   (the browser; --device for a code; sign in there as alice@oidc.test, demo-password)`,
      `  or: tokendesk login --env "${DEMO_OIDC_MACHINE_ENVIRONMENT}" --client-credentials`,
    ].join('\n'),
  );
}

interface ServerOptions {
  port: number;
  host: string;
  tokenTtl?: number;
  sessionTtl?: number;
  setup?: boolean;
}

/** The demo server in the foreground until Ctrl-C. */
async function demoServer(f: Factory, o: ServerOptions): Promise<void> {
  const { startDemoServer, DEMO_CREDENTIALS } = await loadDemoServer();
  const server = await startDemoServer({
    port: o.port,
    host: o.host,
    ...(o.tokenTtl !== undefined && { accessTokenTtlSeconds: o.tokenTtl, openId: { accessTokenTtlSeconds: o.tokenTtl } }),
    ...(o.sessionTtl !== undefined && { sessionTtlSeconds: o.sessionTtl }),
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') {
      throw new TokenDeskError('invalid_input', `Port ${o.port} is already in use (a demo server already running?): pick another with --port, or --port 0 for any free one`);
    }
    if (e.code === 'EADDRNOTAVAIL') throw new TokenDeskError('invalid_input', `Cannot listen on ${o.host}: no such local address`);
    throw e;
  });
  const lines = [
    `TokenDesk demo server listening on ${server.url}`,
    '',
    'Supabase Auth (seed 000): /auth/v1/*, protected endpoint GET /rest/v1/profiles',
    `  anon key: ${DEMO_CREDENTIALS.anonKey}`,
    `  API key:  ${DEMO_CREDENTIALS.apiKey}`,
    ...DEMO_CREDENTIALS.supabase.map((c) => `  ${c.email.padEnd(32)} ${c.password.padEnd(15)} ${c.label}`),
    'Session API (seed 003): /api/auth/*, protected endpoint GET /api/applications',
    ...DEMO_CREDENTIALS.session.map((c) => `  ${c.email.padEnd(32)} ${c.password.padEnd(15)} ${c.label}`),
    `OpenID Connect issuer: ${server.issuer} (sign in on its own pages; ${server.issuer}/ lists everything)`,
    ...DEMO_CREDENTIALS.oidc.users.map((c) => `  ${c.email.padEnd(32)} ${c.password.padEnd(15)} ${c.label}`),
    `  client ${DEMO_CREDENTIALS.oidc.publicClient} (public: browser with PKCE, device code), ${DEMO_CREDENTIALS.oidc.machineClient} (secret ${DEMO_CREDENTIALS.oidc.machineSecret}: client credentials)`,
    '',
  ];
  f.term.out(lines.join('\n'));
  if (o.setup) printSetup(f, await setupDemoEnvironments(f, server.url));
  else f.term.out(`Add the demo environments with: tokendesk demo-setup --url ${server.url}`);
  f.term.out('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerDemo(program: Command, f: Factory): void {
  program
    .command('demo-server')
    .summary('run the embedded demo auth server')
    .description('run the embedded demo auth server (both seed APIs, a token API and an OpenID Connect issuer) in the foreground')
    .option('--port <n>', 'port, 0 for any free one', parsePort, DEFAULT_DEMO_PORT)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--token-ttl <seconds>', 'access-token lifetime of Supabase and the OpenID issuer (default 3600)', parsePositiveInt)
    .option('--session-ttl <seconds>', 'session-API token lifetime (default 8 h)', parsePositiveInt)
    .option('--setup', 'also add the demo environments, pointing at this server')
    .action(withFactory(f, demoServer));

  program
    .command('demo-setup')
    .summary('add the demo environments')
    .description(`add the demo environments (${[...Object.values(DEMO_ENVIRONMENTS), DEMO_OIDC_MACHINE_ENVIRONMENT].map((n) => `"${n}"`).join(', ')}), pointing at a running demo server`)
    .option('--url <url>', 'the demo server URL', parseBaseUrl, `http://127.0.0.1:${DEFAULT_DEMO_PORT}`)
    .action(withFactory(f, demoSetup));
}
