import type { Command } from 'commander';
import type { EnvironmentView, IdentityView } from '../../contract/types.js';
import { providerInfo } from '../../contract/providers.js';
import { withDefaults } from '../../contract/settings.js';
import { clean, count, EXIT, localTime, paint, PROGRAM, relativeTime, symbol } from '../output.js';
import { defaultEnvironmentId } from '../default-env.js';
import { offered, projectContext, resolveGivenEnv } from '../project-context.js';
import { jsonOption } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import { describeChoice, environmentViews, findEnvironment, keychainName, type Environment, type SessionCheckOutcome } from '../../core/facade.js';

/** What status shows about an identity. Built field by field from the profile: never a token or a key. */
interface IdentityStatus {
  /** Its id: what --identity takes. */
  id: string;
  /** null for identities without one (a pasted token without an email claim, a phone user). */
  email: string | null;
  label: string;
  displayName: string | null;
  userId: string | null;
  active: boolean;
  /** A live token right now. */
  signedIn: boolean;
  /**
   * signed-in; expired-renewable (the token ran out but the next token/header/export/exec renews it);
   * expired (sign in again); signed-out (no session stored).
   */
  state: 'signed-in' | 'expired-renewable' | 'expired' | 'signed-out';
  /** null when signed out, or when the token has no expiry (noExpiry). */
  expiresAt: string | null;
  expiresInSeconds: number | null;
  /** The token has no end of its own (a pasted opaque token): it lasts until revoked. */
  noExpiry: boolean;
  renewal: 'refresh-token' | 'remembered-password' | 'client-credentials' | 'none';
  accounts: { id: string; name: string; primary: boolean; active: boolean }[];
  roles: string[];
  permissions: string[];
  permissionsFromRoles: string[];
  /** The scopes the server granted (OAuth/OIDC), when it said; [] otherwise. */
  scopes: string[];
  /** The user's picture URL (OIDC `picture`), or null. */
  picture: string | null;
  /** When the refresh token itself ends (the server said: Keycloak's refresh_expires_in), or null. */
  refreshExpiresAt: string | null;
  lastError: string | null;
  /** The session's assurance level (Supabase MFA: aal2 after the second factor), null when the token names none. */
  assurance: 'aal1' | 'aal2' | null;
  /** Only with --check: what the identity's server said of its session (SessionManager.checkIdentity). */
  check?: { result: SessionCheckOutcome['result']; reason: string | null };
}

interface EnvStatus {
  name: string;
  provider: Environment['provider'];
  url: string;
  production: boolean;
  /** What a command without --env acts on here: the project file's default, else the one `tokendesk env use` set. */
  default: boolean;
  /** The project file it comes from (its real path), or null for the user's own environment (issue 24). */
  project: string | null;
  /** Its kind's declared settings (defaults filled in); secret ones by name only, those the vault holds. */
  settings: Record<string, string>;
  secretSettings: string[];
  identities: IdentityStatus[];
}

/** ISO time, or null for a value no Date can hold (toISOString throws on those): status never crashes on stored data. */
function isoTime(ms: number): string | null {
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : null;
}

/** How a renewable session renews itself, in words. */
const RENEWAL_WORDS: Record<IdentityStatus['renewal'], string> = {
  'refresh-token': 'refresh token',
  'remembered-password': 'remembered password',
  'client-credentials': 'client credentials',
  none: 'none',
};

/** The assurance level in words (the JWT's aal claim). */
export const ASSURANCE_WORDS: Record<'aal1' | 'aal2', string> = {
  aal1: 'aal1 (one factor)',
  aal2: 'aal2 (second factor verified)',
};

/**
 * What `status` reports about an identity, from the same view the app shows (core/app/state-view.ts),
 * in the CLI's words: "expired-renewable" is an expired token the next token/header/export/exec renews.
 */
function identityStatus(v: IdentityView, now: number): IdentityStatus {
  const hasSession = v.expiresAt !== undefined;
  const live = hasSession && v.expiresAt! > now;
  const renewal: IdentityStatus['renewal'] = v.renewal === 'refresh_token' ? 'refresh-token' : v.renewal === 'remembered_password' ? 'remembered-password' : v.renewal === 'client_credentials' ? 'client-credentials' : 'none';
  const state: IdentityStatus['state'] = !hasSession ? 'signed-out' : live ? 'signed-in' : renewal === 'none' ? 'expired' : 'expired-renewable';
  const noExpiry = hasSession && v.noExpiry === true;
  const expiresAt = hasSession && !noExpiry ? isoTime(v.expiresAt!) : null;
  return {
    id: v.id,
    email: v.email ?? null,
    label: v.label,
    displayName: v.displayName ?? null,
    userId: v.userId ?? null,
    active: v.active,
    signedIn: live,
    state,
    expiresAt,
    expiresInSeconds: expiresAt ? Math.round((v.expiresAt! - now) / 1000) : null,
    noExpiry,
    renewal,
    accounts: (v.profile?.accounts ?? []).map((a) => ({ id: a.id, name: a.name, primary: a.primary, active: a.id === v.activeAccountId })),
    roles: [...(v.profile?.roles ?? [])],
    permissions: [...(v.profile?.permissions ?? [])],
    permissionsFromRoles: [...(v.profile?.permissionsFromRoles ?? [])],
    scopes: [...(v.profile?.scopes ?? [])],
    picture: v.profile?.picture ?? null,
    refreshExpiresAt: hasSession && v.refreshExpiresAt !== undefined ? isoTime(v.refreshExpiresAt) : null,
    // A real failure only: an expiry is told by state and expiresAt, not dressed up as an error.
    lastError: v.lastError ?? null,
    assurance: v.assurance ?? null,
  };
}

export function buildStatus(
  views: readonly EnvironmentView[],
  now: number,
  checks?: ReadonlyMap<string, SessionCheckOutcome>,
  defaultId?: string,
  projectOf: (envId: string) => string | undefined = () => undefined,
): EnvStatus[] {
  return views.map((env) => ({
    name: env.name,
    project: projectOf(env.id) ?? null,
    provider: env.provider,
    url: env.baseUrl,
    production: env.production,
    default: env.id === defaultId,
    settings: withDefaults(providerInfo(env.provider).settings, env.settings),
    secretSettings: [...env.secretSettings],
    identities: env.identities.map((i) => {
      const status = identityStatus(i, now);
      const c = checks?.get(i.id);
      return c ? { ...status, check: { result: c.result, reason: c.reason ?? null } } : status;
    }),
  }));
}

/** The --check line under an identity; an ended session's reason is already on its own line (signed out: …). */
function checkText(c: NonNullable<IdentityStatus['check']>, tty: boolean): string | undefined {
  const why = c.reason ? `: ${clean(c.reason)}` : '';
  switch (c.result) {
    case 'accepted':
      return `checked:     ${paint('accepted by the server', 'green', tty)}`;
    case 'renewed':
      return `checked:     ${paint('renewed', 'green', tty)}${why}`;
    case 'ended':
      return `checked:     ${paint('ended by the server', 'red', tty)}`;
    case 'unknown':
      return `checked:     ${paint('could not check', 'yellow', tty)}${why}; the session is kept`;
    case 'skipped':
      return undefined;
  }
}

const MAX_LISTED = 12;
/** "a, b, c" up to 12, then "12 of 5,000 shown — see --json": long permission lists stay one readable line. */
function listed(items: string[]): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, MAX_LISTED).map(clean).join(', ');
  return items.length > MAX_LISTED ? `${shown} … (${MAX_LISTED} of ${count(items.length)} — see --json)` : shown;
}

function stateText(i: IdentityStatus, now: number, tty: boolean): string {
  const at = i.expiresAt ? Date.parse(i.expiresAt) : NaN;
  const known = Number.isFinite(at);
  const until = known ? `${localTime(at)} (${relativeTime(at, now)})` : 'an unknown time';
  const ago = known ? relativeTime(at, now) : 'at an unknown time';
  const error = i.lastError ? ` (last error: ${clean(i.lastError)})` : '';
  switch (i.state) {
    case 'signed-in':
      if (i.noExpiry) return `${paint('signed in', 'green', tty)}, token has no expiry (valid until revoked)`;
      return `${paint('signed in', 'green', tty)}, token valid until ${until}`;
    case 'expired-renewable':
      return `token expired ${ago}; renewed on next use (${RENEWAL_WORDS[i.renewal]})${error}`;
    case 'expired':
      return `${paint('session expired', 'red', tty)} ${ago}: sign in again${error}`;
    case 'signed-out':
      return `${paint('signed out', 'dim', tty)}${i.lastError ? `: ${clean(i.lastError)}` : ''}`;
  }
}

/** A session the next token/header/export/exec can use (renewing it first if need be). */
function usable(i: IdentityStatus): boolean {
  return i.state === 'signed-in' || i.state === 'expired-renewable';
}

function mark(i: IdentityStatus, tty: boolean): string {
  // In a pipe: "* " for the active identity, as before; on a terminal ✓ / ✗ like `gh auth status`.
  if (!tty) return i.active ? '*' : ' ';
  return `${usable(i) ? symbol('ok', true) : symbol('fail', true)}`.trimEnd();
}

function render(doc: EnvStatus[], now: number, tty: boolean): string {
  const lines: string[] = [];
  for (const env of doc) {
    const isDefault = env.default ? '  (default)' : '';
    const project = env.project === null ? '' : `  ${paint(`[project ${clean(env.project)}]`, 'dim', tty)}`;
    lines.push(`${paint(clean(env.name), 'bold', tty)}  (${env.provider}, ${clean(env.url)})${env.production ? `  ${paint('[production]', 'red', tty)}` : ''}${project}${isDefault}`);
    if (env.identities.length === 0) lines.push(`    ${paint('nobody signed in', 'dim', tty)}`);
    for (const i of env.identities) {
      const who = i.displayName ? `${clean(i.label)} (${clean(i.displayName)})` : clean(i.label);
      const active = tty && i.active ? ` ${paint('(active)', 'bold', tty)}` : '';
      lines.push(`  ${mark(i, tty)} ${who}${active}  ${stateText(i, now, tty)}`);
      const checked = i.check && checkText(i.check, tty);
      if (checked) lines.push(`      ${checked}`);
      if (!i.signedIn) continue;
      const renewal = i.renewal === 'none' ? paint('none: sign in again when it expires', 'yellow', tty) : `automatic (${RENEWAL_WORDS[i.renewal]})`;
      lines.push(`      renewal:     ${renewal}`);
      if (i.assurance) lines.push(`      assurance:   ${ASSURANCE_WORDS[i.assurance]}`);
      if (i.accounts.length) {
        lines.push(`      accounts:    ${i.accounts.map((a) => `${a.active ? '*' : ''}${clean(a.id)} ${clean(a.name)}${a.primary ? ' (primary)' : ''}`).join(', ')}`);
      }
      lines.push(`      roles:       ${listed(i.roles)}`);
      if (i.permissions.length) lines.push(`      permissions: ${listed(i.permissions)}`);
      if (i.scopes.length) lines.push(`      scopes:      ${listed(i.scopes)}`);
      if (i.refreshExpiresAt) lines.push(`      sign-in ends: ${clean(i.refreshExpiresAt)} (the refresh token's own end)`);
    }
  }
  return lines.join('\n');
}

/** How long --check waits for each server (the checks run concurrently). */
const CHECK_TIMEOUT_MS = 10_000;

async function status(f: Factory, o: { env?: string; json?: boolean; check?: boolean }): Promise<void> {
  const core = f.core();
  // The project file here (synced first): its environments are listed beside the user's own, its default marked.
  const project = await projectContext(f);
  let cfg = await core.config.read();
  // Every environment, like `gh auth status` (the default is marked, not a filter: hiding the others
  // hid their signed-in identities); --env narrows it to one.
  const chosen = o.env;
  const envs = chosen !== undefined ? [findEnvironment(cfg, resolveGivenEnv(cfg, chosen, project))] : offered(cfg, project);
  // Asked first, so a session the server ended is reported as what it now is: signed out, with the reason.
  const outcomes = o.check ? await core.sessions.checkSessions({ envIds: envs.map((e) => e.id), timeoutMs: CHECK_TIMEOUT_MS }) : [];
  const checks = new Map(outcomes.map((c) => [c.identityId, c]));
  if (o.check) cfg = await core.config.read();
  // One keychain round trip for every identity, however many there are (and for --json, which names the stored secret settings).
  const secrets = cfg.identities.length || (o.json && cfg.environments.length) ? await core.secrets.loadAll() : new Map<string, string>();
  const now = Date.now();
  const profiles = await core.sessions.readProfiles(cfg.identities.map((i) => i.id));
  // The app's own view of every identity (state-view.ts), so the terminal and the window cannot drift apart.
  const shown = new Set(envs.map((e) => e.id));
  const views = environmentViews(cfg, secrets, { now, refreshing: new Set(), profiles }).filter((v) => shown.has(v.id));
  const own = await defaultEnvironmentId(f);
  const defaultId = project?.defaultId ?? (offered(cfg, project).some((e) => e.id === own) ? own : undefined);
  const projectOf = (id: string) => cfg.environments.find((e) => e.id === id)?.project?.file;
  const doc = buildStatus(views, now, o.check ? checks : undefined, defaultId, projectOf);
  // Which file chose the default a command without --env uses (the project file's wins over `env use`).
  const chosenBy = project?.defaultId !== undefined ? project.file : undefined;
  // Like `gh auth status`: exit 4 when what is reported has nobody with a usable session, so scripts can test it.
  const anyUsable = doc.some((e) => e.identities.some(usable));
  // --check: also when a server ended any session checked (a network failure ends none).
  const anyEnded = outcomes.some((c) => c.result === 'ended');
  if ((doc.length > 0 && !anyUsable) || anyEnded) f.setExitCode(EXIT.auth);
  // Which store keeps the vault's key, and what chose it (the variable, the setting, or nothing: the keychain).
  const store = core.secretStore;
  const storeChosenBy = describeChoice({ kind: store.kind, by: store.chosenBy });
  const secretStore =
    store.kind === 'file' ? { kind: 'file', keyFile: store.keyFile, chosenBy: store.chosenBy } : { kind: 'keychain', name: keychainName(process.platform), chosenBy: store.chosenBy };
  if (o.json) return f.term.outJson({ environments: doc, secretStore, project: project ? { file: project.file, defaultChosen: chosenBy !== undefined } : null });
  if (doc.length === 0) return f.term.out('No environments yet. Add one with "tokendesk env add", or try "tokendesk demo-setup".');
  const tty = f.term.styled();
  f.term.outStyled(render(doc, now, tty));
  if (project) {
    const def = project.environments.find((e) => e.id === project.defaultId);
    f.term.out(`Project file: ${clean(project.file)}${def ? ` (its default "${clean(def.name)}" is used without --env)` : ''}`);
  }
  f.term.out(
    store.kind === 'file'
      ? `Secrets: encrypted vault, its key in the passphrase-protected file ${store.keyFile ?? ''} (chosen by ${storeChosenBy})`
      : `Secrets: encrypted vault, its key in the ${keychainName(process.platform)}${store.chosenBy === 'default' ? '' : ` (chosen by ${storeChosenBy})`}`,
  );
  if (anyEnded) f.term.errLine(`${PROGRAM}: a server ended ${count(outcomes.filter((c) => c.result === 'ended').length)} of the sessions checked: sign in again with "tokendesk login"`);
  if (!anyUsable) f.term.errLine(`${PROGRAM}: nobody is signed in${chosen ? ` to "${envs[0]!.name}"` : ''}: sign in with: ${PROGRAM} login${chosen ? ` --env ${JSON.stringify(envs[0]!.name)}` : ''}`);
}

export function registerStatus(program: Command, f: Factory): void {
  program
    .command('status')
    .summary('who is signed in where, until when')
    .description('environments, identities (* = active), expiry, accounts, roles and permissions; never a secret')
    .option('-e, --env <name>', 'only this environment (default: every environment; the one set with "tokendesk env use" is marked)')
    .option('--check', "ask each signed-in session's server whether it still accepts the session; one it refused is ended")
    .addHelpText('after', '\nExit status 4 when the environments shown have nobody signed in, or only expired sessions that cannot renew;\nwith --check, also when a server ended any session (a server that cannot be reached ends none).')
    .addOption(jsonOption())
    .action(withFactory(f, status));
}
