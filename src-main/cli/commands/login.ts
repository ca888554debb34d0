import { identityLabel } from '../../contract/identity-label.js';
import type { Command } from 'commander';
import { missingMethodNeed, providerInfo, signInMethodsOf } from '../../contract/providers.js';
import { chooseIdentity, resolveTarget } from '../context.js';
import { localTime, relativeTime, UsageError } from '../output.js';
import { askLine, canPrompt, readPassword } from '../prompt.js';
import { emailOption, identityOption, envOption, noBrowserOption } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import type { Identity } from '../../core/facade.js';
import type { SignInMethodInfo } from '../../contract/flows.js';
import { readAll, renderSignInFlow } from '../flow-render.js';
import { ASSURANCE_WORDS } from './status.js';

interface LoginOptions {
  env: string;
  email?: string;
  remember?: boolean;
  method?: string;
  /** --device and --client-credentials: short for --method device / --method client-credentials. */
  device?: boolean;
  clientCredentials?: boolean;
  withToken?: boolean;
  /** false with --no-browser. */
  browser?: boolean;
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
  const who = identity.displayName ? `${identityLabel(identity)} (${identity.displayName})` : identityLabel(identity);
  const until = session ? `; token valid until ${localTime(session.expiresAt)} (${relativeTime(session.expiresAt)})` : '';
  const aal = session?.profile.claims?.aal;
  const level = aal === 'aal1' || aal === 'aal2' ? `; assurance ${ASSURANCE_WORDS[aal]}` : '';
  return `Signed in to "${envName}" as ${who}${until}${level}`;
}

async function login(f: Factory, o: LoginOptions): Promise<void> {
  const core = f.core();
  const env = await core.envs.resolve(o.env);
  const { label, capabilities: can } = providerInfo(env.provider);
  const method = chooseMethod(env.name, label, signInMethodsOf(env.provider, env.settings), o, (id) => missingMethodNeed(env.provider, env.settings, id));
  const fields = method.fields.map((x) => x.name);
  const answers: Record<string, string> = {};
  if (o.withToken) {
    // Like `gh auth login --with-token`: the token is what was piped in (a hidden prompt on a terminal).
    answers.token = canPrompt(f.io) ? await readPassword(f, `${method.fields.find((x) => x.name === 'token')?.label ?? 'Token'} for ${env.name}: `, { what: 'token' }) : await readAll(f.io.stdin, 'token');
  }
  if (fields.includes('email') && o.email !== undefined && o.email.trim() !== '') answers.email = o.email.trim();
  if (o.remember !== undefined && !fields.includes('remember')) {
    // Sessions that renew with their refresh token, or a sign-in without a password (a pasted token, a
    // browser): storing a password would add a secret for nothing, or there is none to store.
    if (o.remember) {
      const why = can.renewal.kind === 'refresh' ? 'sessions renew with the refresh token' : 'this sign-in has no password to keep';
      f.term.warn(`--remember is not needed for ${label} (${why}); no password is stored`);
    }
  } else if (o.remember !== undefined) answers.remember = String(o.remember);
  const identity = await renderSignInFlow(f, { envId: env.id, envName: env.name, method: method.id, answers, noBrowser: o.browser === false, verb: 'login' });
  f.term.out(await signedInLine(f, env.name, identity));
  if (identity.warning) f.term.warn(identity.warning);
  if (fields.includes('remember') && !identity.rememberPassword) {
    f.term.out(`The ${label} has no refresh: sign in again when it expires, or use --remember to let TokenDesk renew it`);
  }
}

/** The method --device or --client-credentials names (one at most), as the flag was written. */
function methodAlias(o: LoginOptions): { id: string; flag: string } | undefined {
  if (o.device && o.clientCredentials) throw new UsageError('--device and --client-credentials are two different sign-ins: give one');
  if (o.device) return { id: 'device', flag: '--device' };
  if (o.clientCredentials) return { id: 'client-credentials', flag: '--client-credentials' };
  return undefined;
}

/** --method, or with --with-token the method that takes a token, else the kind's first (its default). */
function chooseMethod(envName: string, label: string, methods: readonly SignInMethodInfo[], o: LoginOptions, needOf: (id: string) => string | undefined): SignInMethodInfo {
  const ids = methods.map((m) => m.id).join(', ');
  const because = (id: string) => (needOf(id) ? ` (${needOf(id)})` : '');
  const aliased = methodAlias(o);
  if (aliased) {
    if (o.method !== undefined && o.method !== aliased.id) throw new UsageError(`${aliased.flag} means --method ${aliased.id}: it cannot be used with --method ${o.method}`);
    if (!methods.some((x) => x.id === aliased.id)) throw new UsageError(`${aliased.flag} does not apply: "${envName}" (${label}) has no ${aliased.id} sign-in${because(aliased.id)}; its methods: ${ids}`);
    o = { ...o, method: aliased.id };
  }
  if (o.method !== undefined) {
    const m = methods.find((x) => x.id === o.method);
    if (!m) throw new UsageError(`"${envName}" (${label}) has no sign-in method "${o.method}"${because(o.method)}; its methods: ${ids}`);
    if (o.withToken && !m.fields.some((x) => x.name === 'token')) throw new UsageError(`--with-token needs a method that takes a token; "${m.id}" does not`);
    return m;
  }
  if (o.withToken) {
    const m = methods.find((x) => x.fields.some((y) => y.name === 'token'));
    if (!m) throw new UsageError(`"${envName}" (${label}) signs in with ${ids}: none takes a token, so --with-token does not apply`);
    return m;
  }
  return methods[0]!;
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
  const { identity, warning } = await core.sessions.signOut(env.id, target.id, { forget: o.forget ?? false });
  if (warning) f.term.warn(warning);
  const what = hadSession ? `Signed out ${identityLabel(identity)} from "${env.name}"` : `${identityLabel(identity)} was already signed out of "${env.name}"`;
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
    .description('sign in with one of the environment\'s methods (email and password by default); the session goes to the OS keychain')
    .addOption(envOption())
    .option('--method <id>', 'sign-in method (the environment\'s first by default; `tokendesk env show` lists them)')
    .option('--device', 'sign in with a device code (same as --method device; OpenID Connect)')
    .option('--client-credentials', 'sign in as a machine client (same as --method client-credentials; OpenID Connect)')
    .option('--with-token', 'read a token (or a pasted browser session) from standard input, like gh auth login --with-token')
    .addOption(noBrowserOption())
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
    .addOption(identityOption())
    .option('--forget', 'also remove the identity from the list')
    .action(withFactory(f, logout));
}
