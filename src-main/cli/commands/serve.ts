import type { Command } from 'commander';
import { DEFAULT_ENDPOINT_PORT, TokenDeskError, loadEndpoint } from '../../core/facade.js';
import { parsePort } from './common.js';
import { withFactory, type Factory } from '../factory.js';

/**
 * `tokendesk serve`: the local credential endpoint in the foreground, for terminals, CI runners and
 * containers on this host (the desktop app serves the same one while it runs). One line with its URL,
 * then it serves until SIGINT or SIGTERM, and stops cleanly (open connections closed, log written).
 */
async function serve(f: Factory, o: { port?: number }): Promise<void> {
  const ep = await loadEndpoint();
  const core = f.core();
  const port = o.port ?? ep.endpointPort(await core.config.read());
  // Made on first use, so the secret exists before the first caller asks.
  await ep.ensureEndpointSecret(core.secrets, core.lock);
  let endpoint;
  try {
    endpoint = await ep.startEndpoint({ core, port, servedBy: 'serve', onLogProblem: (problem) => f.term.warn(problem ?? 'the access log is written again') });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new TokenDeskError('invalid_input', `Port ${port} is already in use (the desktop app may be serving the endpoint: see tokendesk endpoint), or choose another with --port`);
    }
    throw new TokenDeskError('invalid_input', `The endpoint could not listen on 127.0.0.1:${port} (${code ?? 'error'})`, { cause: e });
  }
  f.term.out(`TokenDesk endpoint listening on ${endpoint.url} (tokendesk endpoint --show-secret prints its secret; Ctrl+C stops it)`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await endpoint.close();
}

export function registerServe(program: Command, f: Factory): void {
  program
    .command('serve')
    .summary('serve fresh tokens to other tools on 127.0.0.1 (foreground)')
    .description('serve the local credential endpoint in the foreground until Ctrl+C: any tool on this machine asks it for a fresh token')
    .option('-p, --port <port>', `port to listen on (default: the configured one, else ${DEFAULT_ENDPOINT_PORT}; tokendesk endpoint port N sets it)`, parsePort)
    .addHelpText(
      'after',
      [
        '',
        'Routes (GET, with Authorization: Bearer <secret>; tokendesk endpoint --show-secret prints it):',
        '  /v1/token?env=NAME[&identity=ID][&min-valid=SECONDS]   the access token (text/plain)',
        '  /v1/headers?env=NAME…                                   the header lines a request needs (JSON)',
        '  /v1/postman?env=NAME…                                   the Postman variables (JSON)',
        'A production environment is served only after tokendesk endpoint allow NAME.',
        'tokendesk exec gives its command TOKENDESK_ENDPOINT and a secret scoped to the environments it resolved',
        '(TOKENDESK_ENDPOINT_SECRET, 12h unless --endpoint-lifetime): any other environment is 403 out_of_scope,',
        'an expired or altered one 401. Scoped secrets are derived from the install secret: a new one ends them all.',
        '',
        'Example:',
        '  curl -H "Authorization: Bearer $(tokendesk endpoint --show-secret --json | jq -r .secret)" \\',
        `    "http://127.0.0.1:${DEFAULT_ENDPOINT_PORT}/v1/token?env=staging"`,
      ].join('\n'),
    )
    .action(withFactory(f, serve));
}
