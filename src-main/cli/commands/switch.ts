import { identityLabel } from '../../contract/identity-label.js';
import type { Command } from 'commander';
import { providerInfo } from '../../contract/providers.js';
import { chooseIdentity, resolveTarget } from '../context.js';
import { UsageError } from '../output.js';
import { canPrompt } from '../prompt.js';
import { emailOption, identityOption, envOption, jsonOption } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import { TokenDeskError } from '../../core/facade.js';

async function switchIdentity(f: Factory, o: { env: string; email?: string }): Promise<void> {
  const core = f.core();
  const env = await core.envs.resolve(o.env);
  let email = o.email;
  if (email === undefined) {
    // A script names the identity; a person at a terminal picks it from a list.
    if (!canPrompt(f.io)) throw new UsageError('switch needs --email EMAIL (nothing is asked when standard input is not a terminal)');
    email = (await chooseIdentity(f, await core.config.read(), env, `Which identity of "${env.name}" should be active?`)).id;
  }
  const identity = await core.sessions.switchIdentity(env.id, email);
  f.term.out(`Active identity in "${env.name}": ${identityLabel(identity)}`);
}

/** Lists the tenant accounts of the identity, or makes one active (by id or by name). */
async function account(f: Factory, accountRef: string | undefined, o: { env: string; email?: string; json?: boolean }): Promise<void> {
  const core = f.core();
  const { env, identity } = await resolveTarget(f, o.env, o.email);
  const session = await core.sessions.readSession(identity.id);
  if (!session) throw new TokenDeskError('not_signed_in', `${identityLabel(identity)} is not signed in to "${env.name}": sign in first`);
  const accounts = session.profile.accounts;
  if (accounts.length === 0) {
    throw new TokenDeskError('not_found', `${identityLabel(identity)} has no tenant accounts${providerInfo(env.provider).capabilities.hasAccounts ? '' : ` (${providerInfo(env.provider).label} identities have none)`}`);
  }
  if (accountRef === undefined) {
    const rows = accounts.map((a) => ({ id: a.id, name: a.name, primary: a.primary, active: a.id === identity.activeAccountId }));
    if (o.json) return f.term.outJson(rows);
    f.term.out(rows.map((a) => `${a.active ? '*' : ' '} ${a.id}  ${a.name}${a.primary ? '  (primary)' : ''}`).join('\n'));
    return;
  }
  const byName = accounts.filter((a) => a.name.toLowerCase() === accountRef.toLowerCase());
  const id = accounts.some((a) => a.id === accountRef) ? accountRef : byName.length === 1 ? byName[0]!.id : accountRef;
  const updated = await core.sessions.setActiveAccount(env.id, id, identityLabel(identity));
  const chosen = accounts.find((a) => a.id === updated.activeAccountId);
  f.term.out(`Active account of ${identityLabel(identity)} in "${env.name}": ${chosen ? `${chosen.id} (${chosen.name})` : id}`);
}

export function registerSwitch(program: Command, f: Factory): void {
  program
    .command('switch')
    .summary('change the active identity')
    .description("make another signed-in identity the environment's active one")
    .addOption(envOption())
    .addOption(emailOption('identity to make active (asked on a terminal)'))
    .addOption(identityOption())
    .action(withFactory(f, switchIdentity));

  program
    .command('account')
    .summary('list tenant accounts, or make one active')
    .description('list the tenant accounts of the identity, or make one active')
    .argument('[account]', 'account id (or name) to make active')
    .addOption(envOption())
    .addOption(emailOption())
    .addOption(identityOption())
    .addOption(jsonOption())
    .action(withFactory(f, account));
}
