import type { Command } from 'commander';
import { providerInfo } from '../../contract/providers.js';
import { assertVaultKeyLost, vaultFile, type Config } from '../../core/facade.js';
import { askLine, canPrompt } from '../prompt.js';
import { EXIT, UsageError } from '../output.js';
import { withFactory, type Factory } from '../factory.js';

/**
 * What each environment kept in the vault that the user must enter again, as far as the config tells:
 * a Supabase anon key always, the secret variables it lists by name; an X-API-Key is not listed anywhere.
 */
export function keysToReenter(cfg: Config): string[] {
  return cfg.environments.map((env) => {
    const sure = [
      ...(providerInfo(env.provider).capabilities.needsAnonKey ? ['its anon key'] : []),
      ...(env.secretVariables?.length ? [`the secret variables ${env.secretVariables.join(', ')}`] : []),
    ];
    return `  ${env.name}: ${[...sure, `${sure.length > 0 ? 'and ' : ''}its X-API-Key if it had one`].join(', ')}`;
  });
}

/**
 * `vault start-over`: after the vault's key was lost from the keychain (or the vault was restored from
 * an older copy), move the vault aside and begin
 * with an empty one. Checked first (a vault that opens, or a keychain that is only locked, is refused
 * with nothing moved), then confirmed: a question on a terminal, else --yes.
 */
async function startOver(f: Factory, o: { yes?: boolean }): Promise<void> {
  const core = f.core();
  const reason = await assertVaultKeyLost(core.secrets, vaultFile(core.home));
  if (!o.yes) {
    if (!canPrompt(f.io)) throw new UsageError('vault start-over moves the secrets vault aside: confirm with --yes (it asks only when standard input and standard error are a terminal)');
    f.term.errLine(
      reason === 'vault_rolled_back'
        ? 'The secrets vault was restored from an older copy: its sessions may have been signed out since and their refresh tokens spent, so it is not used.'
        : core.secretStore.kind === 'file'
          ? "The secrets vault's key file (secrets.key) is gone, so the sessions and keys in it cannot be read."
          : "The secrets vault's key is gone from the OS keychain, so the sessions and keys in it cannot be read.",
    );
    const answer = await askLine(f, 'Move it aside (it is kept, not deleted) and start with an empty vault? [y/N] ');
    if (!/^y(es)?$/i.test(answer)) {
      // Not a success: a script that asked to start over can tell it did not happen.
      f.term.errLine('Nothing was changed.');
      f.setExitCode(EXIT.error);
      return;
    }
  }
  const aside = await core.startOverVault();
  // Where the old vault went comes first: it is said even if what follows fails.
  f.term.out(`The old vault was moved to ${aside} (kept: nothing was deleted). TokenDesk now starts with an empty vault.`);
  const reenter = keysToReenter(await core.config.read());
  f.term.out(
    [
      'Sign in again (tokendesk login).',
      ...(reenter.length > 0 ? ['Enter the environments\' keys again with tokendesk env edit NAME (--anon-key -, --api-key -, --var KEY=VALUE):', ...reenter] : []),
    ].join('\n'),
  );
}

export function registerVault(program: Command, f: Factory): void {
  const vault = program.command('vault').summary('the secrets vault: start over after its key was lost or an older copy was put back').description('the secrets vault (every token and key, sealed with a key kept in the OS keychain)');
  vault
    .command('start-over')
    .summary('move a vault whose key is gone (or an older copy) aside and start empty')
    .description("when the vault's key is gone from the OS keychain (vault_key_missing) or the vault was restored from an older copy (vault_rolled_back): move the vault aside, kept, and start with an empty one")
    .option('-y, --yes', 'do not ask (needed when standard input is not a terminal)')
    .addHelpText('after', '\nRefused, with nothing moved, while the vault still opens or the keychain is only locked or unreachable.')
    .action(withFactory(f, startOver));
}
