import type { Command } from 'commander';
import { emailOption, envOption, identityOption } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import { localTime, relativeTime } from '../output.js';
import { identityLabel } from '../../contract/identity-label.js';

/** Renews now, however long the token still lives (after a server-side change of roles, or to test a renewal). */
async function refresh(f: Factory, o: { env: string; email?: string }): Promise<void> {
  const fresh = await f.core().sessions.renewNow(o.env, o.email);
  if (fresh.warning) f.term.warn(fresh.warning);
  const until = fresh.session.noExpiry ? 'no expiry' : `valid until ${localTime(fresh.session.expiresAt)} (${relativeTime(fresh.session.expiresAt)})`;
  f.term.out(`Renewed the session of ${identityLabel(fresh.identity)} in "${fresh.env.name}": the new token is ${until}`);
}

export function registerRefresh(program: Command, f: Factory): void {
  program
    .command('refresh')
    .summary('renew a session now')
    .description('renew the session now, even when its token still has time left; fails with the reason when it cannot')
    .addOption(envOption())
    .addOption(emailOption())
    .addOption(identityOption())
    .addHelpText('after', '\nExample:\n  tokendesk refresh --env staging --email admin@example.com')
    .action(withFactory(f, refresh));
}
