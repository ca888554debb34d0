import type { Command } from 'commander';
import type { Identity } from '../../core/config/schema.js';
import { getCore, resolveTarget } from '../context.js';
import { localTime, out, relativeTime, warn } from '../output.js';
import { readPassword } from '../prompt.js';
import { emailOption, envOption } from './common.js';

interface LoginOptions {
  env: string;
  email: string;
  remember?: boolean;
}

async function signedInLine(envName: string, identity: Identity): Promise<string> {
  const session = await getCore().sessions.readSession(identity.id);
  const who = identity.displayName ? `${identity.email} (${identity.displayName})` : identity.email;
  const until = session ? `; token valid until ${localTime(session.expiresAt)} (${relativeTime(session.expiresAt)})` : '';
  return `Signed in to "${envName}" as ${who}${until}`;
}

async function login(o: LoginOptions): Promise<void> {
  const core = getCore();
  const env = await core.envs.resolve(o.env);
  let remember = o.remember ?? false;
  if (remember && env.provider === 'supabase') {
    // Supabase sessions renew with their refresh token: storing the password would add a secret for nothing.
    warn('--remember is not needed for Supabase (sessions renew with the refresh token); the password is not stored');
    remember = false;
  }
  const password = await readPassword(`Password for ${o.email} (${env.name}): `);
  const identity = await core.sessions.signIn(env.id, { email: o.email, password, remember });
  out(await signedInLine(env.name, identity));
  if (identity.warning) warn(identity.warning);
  if (env.provider === 'session' && !remember) {
    out('The session API has no refresh: sign in again when it expires, or use --remember to let TokenDesk renew it');
  }
}

async function signup(o: LoginOptions): Promise<void> {
  const core = getCore();
  const env = await core.envs.resolve(o.env);
  const password = await readPassword(`New password for ${o.email} (${env.name}): `, { confirm: true });
  const result = await core.sessions.signUp(env.id, { email: o.email, password });
  if (result.kind === 'confirmation_sent') {
    out(`Check your email: ${result.email} must confirm the address before signing in`);
    return;
  }
  out(await signedInLine(env.name, result.identity));
  if (result.warning) warn(result.warning);
}

async function logout(o: { env: string; email?: string; forget?: boolean }): Promise<void> {
  const core = getCore();
  const { env, identity: target } = await resolveTarget(o.env, o.email);
  // Signing out twice is fine (exit 0), but say so rather than claim a sign-out that did not happen.
  const hadSession = (await core.sessions.readSession(target.id)) !== undefined;
  const { identity, warning } = await core.sessions.signOut(env.id, o.email, { forget: o.forget ?? false });
  if (warning) warn(warning);
  const what = hadSession ? `Signed out ${identity.email} from "${env.name}"` : `${identity.email} was already signed out of "${env.name}"`;
  out(`${what}${o.forget ? `${hadSession ? ' and' : ';'} forgot the identity` : ''}`);
}

const passwordHelp =
  '\nThe password is read from a hidden prompt on a terminal, otherwise from the first line of standard input:\n' +
  '  printf \'%s\\n\' "$PASSWORD" | tokendesk login --env staging --email me@example.com\n' +
  'It is never accepted as an argument (shell history, ps).';

export function registerLogin(program: Command): void {
  program
    .command('login')
    .summary('sign in; the session goes to the keychain')
    .description('sign in with email and password; the session goes to the OS keychain')
    .addOption(envOption())
    .addOption(emailOption('email to sign in with').makeOptionMandatory())
    .option('--remember', 'keep the password in the keychain so a session-API session renews itself')
    .addHelpText('after', passwordHelp)
    .action(login);

  program
    .command('signup')
    .summary('create a Supabase account and sign in')
    .description('create an account (Supabase) and sign in, or get a confirmation email')
    .addOption(envOption())
    .addOption(emailOption('email of the new account').makeOptionMandatory())
    .addHelpText('after', passwordHelp)
    .action(signup);

  program
    .command('logout')
    .summary('sign out this session only')
    .description('sign out this session only (other devices and browsers stay signed in)')
    .addOption(envOption())
    .addOption(emailOption())
    .option('--forget', 'also remove the identity from the list')
    .action(logout);
}
