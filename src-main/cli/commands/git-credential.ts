import { Argument, type Command } from 'commander';
import { collect, emailOption, identityOption } from './common.js';
import { Option } from 'commander';
import { withFactory, type Factory } from '../factory.js';
import { readUserFile } from '../references.js';
import { freshToken } from '../fresh.js';
import { offered, projectContext, resolveGivenEnv } from '../project-context.js';
import {
  comparableGitHost,
  findEnvironment,
  firstCredentialValue,
  gitHostOf,
  parseCredentialRequest,
  renderCredential,
  requestOrigin,
  safeTransport,
  type Environment,
} from '../../core/facade.js';

interface GitCredentialOptions {
  env?: string;
  email?: string;
  host?: string[];
  username?: string;
}

/**
 * The environment whose token git may have for this host: the named one when the host is its own or
 * one allowed with --host, else the only environment on that host. Anything else answers nothing, and
 * git asks its next helper (or the user): a helper set for every remote never hands a token to another server.
 */
function chooseEnvironment(f: Factory, envs: Environment[], named: Environment | undefined, host: string, allowed: readonly string[]): Environment | undefined {
  if (named) return gitHostOf(named.baseUrl) === host || allowed.includes(host) ? named : undefined;
  const matching = envs.filter((e) => gitHostOf(e.baseUrl) === host);
  if (matching.length > 1) f.term.warn(`several environments are on ${host} (${matching.map((e) => e.name).join(', ')}): pass --env NAME to the helper`);
  return matching.length === 1 ? matching[0] : undefined;
}

async function gitCredential(f: Factory, operation: string, o: GitCredentialOptions): Promise<void> {
  const request = parseCredentialRequest(await readUserFile(f, '-', 'request from git'));
  // store and erase: TokenDesk keeps the session itself; what git would store is a copy that goes stale.
  if (operation !== 'get') return;
  const origin = requestOrigin(request);
  if (!origin) return;
  const cfg = await f.core().config.read();
  // The environments offered in this folder: the user's own and this repository's project file's, not
  // those of files synced from other folders (one on the same host would make the choice ambiguous).
  const project = await projectContext(f);
  const named = o.env === undefined ? undefined : findEnvironment(cfg, resolveGivenEnv(cfg, o.env, project));
  const host = comparableGitHost(origin.protocol, origin.host);
  const env = chooseEnvironment(f, offered(cfg, project), named, host, (o.host ?? []).map((h) => comparableGitHost(origin.protocol, h)));
  if (!env) return;
  if (!safeTransport(origin)) {
    f.term.warn(`not handing a token to ${origin.protocol}://${origin.host}: only https (or http to this machine)`);
    return;
  }
  const fresh = await freshToken(f, env.id, o.email);
  const username = firstCredentialValue(request, 'username') ?? o.username ?? fresh.identity.email ?? 'tokendesk';
  const fields: Array<[string, string]> = [
    ['protocol', origin.protocol],
    ['host', origin.host],
    ['username', username],
    ['password', fresh.session.accessToken],
  ];
  // git 2.41+ forgets the password at this time (git-credential(1)); older versions ignore the line.
  if (!fresh.session.noExpiry) fields.push(['password_expiry_utc', String(Math.floor(fresh.session.expiresAt / 1000))]);
  f.term.raw(renderCredential(fields));
}

export function registerGitCredential(program: Command, f: Factory): void {
  program
    .command('git-credential')
    .summary('git credential helper (a fresh token as the password)')
    .description('answer git\'s credential requests with a fresh token (the git-credential protocol on stdin)')
    .addArgument(new Argument('<operation>', 'what git asks').choices(['get', 'store', 'erase']))
    .addOption(new Option('-e, --env <name>', 'environment whose token to give (default: the only environment on the host git asks about)'))
    .addOption(emailOption())
    .addOption(identityOption())
    .option('--host <host>', "also answer for this host (host[:port] as git sends it), besides the environment's own (repeatable)", collect)
    .option('--username <name>', 'user name to give git with the token (default: the one in the URL, else the identity\'s email)')
    .addHelpText(
      'after',
      [
        '',
        'A token is given only to the environment\'s own host or a --host you allowed, over https (http only to',
        'this machine); otherwise the helper answers nothing and git goes on. store and erase do nothing.',
        '',
        'Example:',
        "  git config --global credential.https://git.example.com.helper '!tokendesk git-credential --env staging --host git.example.com'",
      ].join('\n'),
    )
    .action(withFactory(f, gitCredential));
}
