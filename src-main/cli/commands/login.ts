import type { Command } from 'commander';
import { providerInfo } from '../../contract/providers.js';
import { chooseIdentity, resolveTarget } from '../context.js';
import { localTime, relativeTime, UsageError } from '../output.js';
import { askLine, canPrompt, readPassword } from '../prompt.js';
import { emailOption, envOption } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import type { Identity } from '../../core/facade.js';

interface LoginOptions {
  env: string;
  email?: string;
  remember?: boolean;
}

/** --email, or on a terminal the question `gh auth login` would ask; a pipe gets one line naming the flag. */
async function emailFor(f: Factory, o: LoginOptions, envName: string, verb: string): Promise<string> {
  if (o.email !== undefined && o.email.trim() !== '') return o.email.trim();
  if (!canPrompt(f.io)) throw new UsageError(`${verb} needs --email EMAIL (nothing is asked when standard input is not a terminal)`);
  for (;;) {
    const email = await askLine(f, `Email for ${envName}: `);
    if (/^[^\s@]+@[^\s@]+$/.test(email)) return email;
    f.term.errLine('Enter an email address such as me@example.com');
  }
}

async function signedInLine(f: Factory, envName: string, identity: Identity): Promise<string> {
  const session = await f.core().sessions.readSession(identity.id);
  const who = identity.displayName ? `${identity.email} (${identity.displayName})` : identity.email;
  const until = session ? `; token valid until ${localTime(session.expiresAt)} (${relativeTime(session.expiresAt)})` : '';
  return `Signed in to "${envName}" as ${who}${until}`;
}

async function login(f: Factory, o: LoginOptions): Promise<void> {
  const core = f.core();
  const env = await core.envs.resolve(o.env);
  const { label, capabilities: can } = providerInfo(env.provider);
  let remember = o.remember ?? false;
  if (remember && !can.canRememberPassword) {
    // Sessions that renew with their refresh token: storing the password would add a secret for nothing.
    f.term.warn(`--remember is not needed for ${label} (sessions renew with the refresh token); the password is not stored`);
    remember = false;
  }
  const email = await emailFor(f, o, env.name, 'login');
  if (!remember && can.canRememberPassword && o.remember === undefined && canPrompt(f.io)) {
    // Asked only at a terminal, as gh asks its questions; a script says --remember or not.
    const answer = await askLine(f, `The ${label} has no refresh. Keep the password in the keychain so the session renews itself? [y/N] `);
    remember = /^y(es)?$/i.test(answer);
  }
  const password = await readPassword(f, `Password for ${email} (${env.name}): `);
  const identity = await core.sessions.signIn(env.id, { email, password, remember });
  f.term.out(await signedInLine(f, env.name, identity));
  if (identity.warning) f.term.warn(identity.warning);
  if (can.canRememberPassword && !remember) {
    f.term.out(`The ${label} has no refresh: sign in again when it expires, or use --remember to let TokenDesk renew it`);
  }
}

async function signup(f: Factory, o: LoginOptions): Promise<void> {
  const core = f.core();
  const env = await core.envs.resolve(o.env);
  const email = await emailFor(f, o, env.name, 'signup');
  const password = await readPassword(f, `New password for ${email} (${env.name}): `, { confirm: true });
  const result = await core.sessions.signUp(env.id, { email, password });
  if (result.kind === 'confirmation_sent') {
    f.term.out(`Check your email: ${result.email} must confirm the address before signing in`);
    return;
  }
  f.term.out(await signedInLine(f, env.name, result.identity));
  if (result.warning) f.term.warn(result.warning);
}

async function logout(f: Factory, o: { env: string; email?: string; forget?: boolean }): Promise<void> {
  const core = f.core();
  const resolved = await resolveTarget(f, o.env, o.email);
  const { env } = resolved;
  // On a terminal without --email: which one, from a list (a pipe keeps signing out the active one).
  const target = o.email === undefined && canPrompt(f.io) ? await chooseIdentity(f, resolved.cfg, env, `Sign out which identity of "${env.name}"?`) : resolved.identity;
  // Signing out twice is fine (exit 0), but say so rather than claim a sign-out that did not happen.
  const hadSession = (await core.sessions.readSession(target.id)) !== undefined;
  const { identity, warning } = await core.sessions.signOut(env.id, target.email, { forget: o.forget ?? false });
  if (warning) f.term.warn(warning);
  const what = hadSession ? `Signed out ${identity.email} from "${env.name}"` : `${identity.email} was already signed out of "${env.name}"`;
  f.term.out(`${what}${o.forget ? `${hadSession ? ' and' : ';'} forgot the identity` : ''}`);
}

/** Help for the password, with the command's own example (signup's help used to show a login line). */
const passwordHelp = (command: 'login' | 'signup'): string =>
  `\nOn a terminal, ${command} asks for what is missing (environment, email) and reads the password from a hidden prompt;\n` +
  'otherwise the password is the first line of standard input, and --email is required:\n' +
  `  printf '%s\\n' "$PASSWORD" | tokendesk ${command} --env staging --email me@example.com\n` +
  'It is never accepted as an argument (shell history, ps).';

export function registerLogin(program: Command, f: Factory): void {
  program
    .command('login')
    .summary('sign in; the session goes to the keychain')
    .description('sign in with email and password; the session goes to the OS keychain')
    .addOption(envOption())
    .addOption(emailOption('email to sign in with (asked on a terminal)'))
    .option('--remember', 'keep the password in the keychain so a session-API session renews itself')
    .option('--no-remember', 'do not keep the password (and do not ask)')
    .addHelpText('after', passwordHelp('login'))
    .action(withFactory(f, login));

  program
    .command('signup')
    .summary('create a Supabase account and sign in')
    .description('create an account (Supabase) and sign in, or get a confirmation email')
    .addOption(envOption())
    .addOption(emailOption('email of the new account (asked on a terminal)'))
    .addHelpText('after', passwordHelp('signup'))
    .action(withFactory(f, signup));

  program
    .command('logout')
    .summary('sign out this session only')
    .description('sign out this session only (other devices and browsers stay signed in)')
    .addOption(envOption())
    .addOption(emailOption('identity to sign out (default: the active one; asked on a terminal)'))
    .option('--forget', 'also remove the identity from the list')
    .action(withFactory(f, logout));
}
