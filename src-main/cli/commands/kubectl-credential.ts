import type { Command } from 'commander';
import { emailOption, envOption, identityOption } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import { freshToken } from '../fresh.js';
import { execCredential, TokenDeskError } from '../../core/facade.js';

const API_VERSION = 'client.authentication.k8s.io/v1';

/**
 * kubectl runs the plugin with KUBERNETES_EXEC_INFO (an ExecCredential with the kubeconfig's apiVersion);
 * an answer in another version is refused by kubectl with an unclear message, so a mismatch is said here.
 */
function checkExecInfo(raw: string | undefined): void {
  if (raw === undefined || raw === '') return;
  let version: unknown;
  try {
    version = (JSON.parse(raw) as { apiVersion?: unknown }).apiVersion;
  } catch {
    return; // not ours to judge: kubectl reads only our answer
  }
  if (typeof version === 'string' && version !== API_VERSION) {
    throw new TokenDeskError('unsupported', `kubectl asked for ${version}; set apiVersion: ${API_VERSION} in the kubeconfig's exec entry`);
  }
}

async function kubectlCredential(f: Factory, o: { env: string; email?: string }): Promise<void> {
  checkExecInfo(f.io.env.KUBERNETES_EXEC_INFO);
  const fresh = await freshToken(f, o.env, o.email);
  const { settings } = await f.core().config.read();
  f.term.outJson(execCredential(fresh.session, settings.marginSeconds, Date.now()));
}

export function registerKubectlCredential(program: Command, f: Factory): void {
  program
    .command('kubectl-credential')
    .summary('kubectl exec credential plugin (a fresh token for the cluster)')
    .description(`print a ${API_VERSION} ExecCredential with a fresh token, for kubectl's exec credential plugin`)
    .addOption(envOption())
    .addOption(emailOption())
    .addOption(identityOption())
    .addHelpText(
      'after',
      [
        '',
        'In the kubeconfig (users: entry):',
        '  user:',
        '    exec:',
        `      apiVersion: ${API_VERSION}`,
        '      command: tokendesk',
        '      args: [kubectl-credential, --env, staging]',
        '      interactiveMode: Never',
        'expirationTimestamp is when TokenDesk would renew (the token\'s end minus the margin): kubectl asks again then.',
      ].join('\n'),
    )
    .action(withFactory(f, kubectlCredential));
}
