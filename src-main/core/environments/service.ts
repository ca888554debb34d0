import { randomUUID } from 'node:crypto';
import { TokenDeskError } from '../errors.js';
import type { ConfigStore } from '../config/store.js';
import { EnvironmentSchema, environmentScopeKey, type AccountTransport, type Config, type Environment, type Identity } from '../config/schema.js';
import type { StoredSession } from '../providers/types.js';
import { ProfileStore } from '../sessions/profile-store.js';
import { changesServers, describeMove, serversFingerprint } from '../../contract/servers.js';
import { checkAccountTransport, checkBaseUrl, describeProblem, type FieldCheck } from '../../contract/validators.js';
import { providerInfo, type ProviderKind } from '../../contract/providers.js';
import { settingsOf, settingWords } from '../../contract/settings.js';
import { planSettings, secretsOf } from './settings.js';
import { describeIssues, type IssueLike } from '../../contract/issues.js';
import { secretKeys, type SecretKey, type SecretStore } from '../secrets/types.js';
import { hasVariable, quoteName, splitVariables, variableMap } from './variables.js';
import { firstControlCharacter } from '../text/sanitize.js';
import { RefreshLock } from '../sessions/refresh-lock.js';
import { removeOrphanSecrets } from './orphans.js';
import { identityLabel } from '../../contract/identity-label.js';

export interface EnvironmentInput {
  name: string;
  provider: Environment['provider'];
  baseUrl: string;
  label?: string;
  color?: string;
  production?: boolean;
  /**
   * Extra variables. Each one whose value looks like a credential (config/secret-guard.ts) is kept in
   * the keychain and listed in the config by name only. On update this replaces the plain variables;
   * secret variables it does not name are kept (remove them with `unsetVariables`).
   */
  variables?: Record<string, string>;
  /** Variables kept in the keychain whatever they look like (Postman's "secret" type). */
  secretVariables?: Record<string, string>;
  /** Update only: names of variables (plain or secret) to remove. */
  unsetVariables?: string[];
  /**
   * Update only: variables set on top of the ones stored, applied to the stored set under the config
   * lock (a patch), so concurrent edits of different variables all survive. Unset names win.
   */
  setVariables?: Record<string, string>;
  variableNames?: Environment['variableNames'];
  /** Update only: exported names changed on top of the stored ones under the lock; '' or null restores the default. */
  setVariableNames?: Partial<Record<keyof Environment['variableNames'], string | null>>;
  /** How the active account travels; `{kind:'none'}` clears it. */
  accountTransport?: AccountTransport;
  /**
   * Update only: the user confirmed moving a production environment to another server (a new scheme,
   * host or port), which signs out its identities. Without it such a move is refused.
   */
  confirmOriginChange?: boolean;
  /** Import only: the Postman file's id, written back on export. */
  postmanId?: string;
  /**
   * Values of the kind's declared non-secret settings (catalogue `settings`), kept in config.json.
   * On update these are set on top of the stored ones; '' removes one (its default applies again).
   */
  settings?: Record<string, string>;
  /** Values of the kind's declared secret settings, kept in the vault only; `null` removes one on update. */
  secrets?: Record<string, string | null>;
  /** The secret settings `anonKey` and `apiKey` as they were given before settings were data (the same as `secrets`). */
  anonKey?: string | null;
  apiKey?: string | null;
}

/**
 * Finds an environment by id or by name (case-insensitive), with an error that lists what exists.
 * Here there is no project context (the endpoint, references, `project export`; the CLI's --env picks
 * with the folder's project file first, cli/project-context.ts): a name an own environment and a
 * project file's share means the own one, as the fast path does (cli/fast-config.ts). `own:NAME` and
 * `project:NAME` pick a side; two project files' environments of one name are refused, never guessed.
 */
export function findEnvironment(cfg: Config, ref: string): Environment {
  const byId = cfg.environments.find((e) => e.id === ref);
  if (byId) return byId;
  const m = /^(project|own):(.+)$/i.exec(ref);
  const side = m?.[1]?.toLowerCase();
  const lower = (m?.[2] ?? ref).trim().toLowerCase();
  const named = cfg.environments.filter((e) => e.name.toLowerCase() === lower && (side === undefined || (side === 'project') === (e.project !== undefined)));
  const own = named.filter((e) => !e.project);
  if (named.length > 1 && own.length === 1) return own[0]!;
  if (named.length > 1) {
    const which = named.map((e) => `${e.id} (${e.project ? `from ${e.project.file}` : 'your own'})`).join(', ');
    throw new TokenDeskError('invalid_input', `"${ref}" names ${named.length} environments: ${which}; name one by its id`);
  }
  const env = named[0];
  if (!env) {
    const known = cfg.environments.map((e) => e.name).join(', ');
    throw new TokenDeskError('not_found', `No environment named "${ref}"${known ? ` (known: ${known})` : ' (none configured yet)'}`);
  }
  return env;
}

/** A production-like name is shown in red and treated with care, unless the user says otherwise. */
export function looksLikeProduction(name: string, baseUrl: string): boolean {
  return /\bprod(uction)?\b/i.test(name) || /(^|\.)prod(uction)?[.-]/i.test(new URL(baseUrl).hostname);
}

/** Text the user or a file gave that will be shown and exported as is: no control characters in it. */
function assertNoControls(input: Partial<EnvironmentInput>): void {
  const fields: Array<[string, string | undefined]> = [
    ['The name', input.name],
    ['The label', input.label],
    ...Object.entries({ ...input.variables, ...input.setVariables }).map(([k, v]): [string, string] => [`The value of variable ${quoteName(k)}`, v]),
  ];
  for (const [what, text] of fields) {
    const bad = text === undefined ? undefined : firstControlCharacter(text);
    if (bad) {
      throw new TokenDeskError('invalid_input', `${what} contains a control character (${bad}); it would reach terminals and exported files as is. Nothing was changed`);
    }
  }
}

/** The shared field rules (contract/validators.ts): the form, the CLI and imports refuse the same values, naming the field. */
function checked<T>(r: FieldCheck<T>): T {
  if (r.ok) return r.value;
  throw new TokenDeskError('invalid_input', `Invalid environment: ${describeProblem(r)}`);
}

/** `settings`: the environment's settings as they will be stored (its own paths move what the URL may end in). */
function baseUrlOf(raw: string, provider: Environment['provider'], settings?: Readonly<Record<string, string>>): string {
  return checked(checkBaseUrl(raw, provider, settings));
}

/** Stored only when it says something: `{kind:'none'}` is the same as no setting. */
function transportOf(t: AccountTransport | undefined): AccountTransport | undefined {
  if (t === undefined) return undefined;
  const v = checked(checkAccountTransport(t));
  return v.kind === 'none' ? undefined : v;
}

/** Field names as the user knows them from the form and the CLI options. */
const FIELD_LABELS: Record<string, string> = { baseUrl: 'URL', name: 'name', color: 'colour', label: 'label', variables: 'variable' };

function issueText(e: unknown): string {
  return describeIssues((e as { issues?: IssueLike[] }).issues ?? [], { labels: FIELD_LABELS, rootName: 'value' });
}

/** Unset names are dropped before anything is checked: a name stored by an older version can always be removed. */
function withoutUnset(vars: Record<string, string> | undefined, unset: readonly string[] | undefined): Record<string, string> | undefined {
  if (!vars || !unset?.length) return vars;
  return variableMap(Object.entries(vars).filter(([k]) => !unset.includes(k)));
}

/** `vars` with `set` on top (a fresh map: the stored one is not changed). */
function withSet(vars: Record<string, string>, set: Record<string, string> | undefined): Record<string, string> {
  return set ? variableMap([...Object.entries(vars), ...Object.entries(set)]) : vars;
}

/** The exported names after a patch of the stored ones: an empty or null name restores the default. */
function withNames(stored: Environment['variableNames'], set: EnvironmentInput['setVariableNames']): Environment['variableNames'] {
  const next: Environment['variableNames'] = { ...stored };
  for (const [role, name] of Object.entries(set ?? {}) as Array<[keyof Environment['variableNames'], string | null | undefined]>) {
    if (name === undefined) continue;
    if (name === null || name.trim() === '') delete next[role];
    else next[role] = name.trim();
  }
  return next;
}

/** The variables after a patch: which stay plain, which names are secret, which keychain entries to write or delete. */
function nextVariables(
  fresh: Environment,
  patch: Partial<EnvironmentInput>,
): { plain: Record<string, string>; secretNames: string[]; writes: Map<string, string>; deletes: string[] } {
  const unset = new Set(patch.unsetVariables ?? []);
  // Plain values already stored are checked again: one the guard now recognises moves to the keychain.
  const split = splitVariables(withoutUnset(withSet(patch.variables ?? fresh.variables, patch.setVariables), patch.unsetVariables), patch.secretVariables);
  const plain = split.plain;
  const writes = new Map([...split.secret].filter(([k]) => !unset.has(k)));
  const kept = (fresh.secretVariables ?? []).filter((n) => !unset.has(n) && !hasVariable(plain, n));
  const secretNames = [...kept, ...[...writes.keys()].filter((n) => !kept.includes(n))];
  const deletes = (fresh.secretVariables ?? []).filter((n) => !secretNames.includes(n));
  return { plain, secretNames, writes, deletes };
}

/** What `edit` did beyond the environment itself. */
export interface EditOutcome {
  environment: Environment;
  /** Emails of the identities signed out because the environment moved to another server. */
  signedOut: string[];
  /** Logouts at the old server that failed (the sessions are removed here either way). */
  warnings: string[];
}

/** A change of URL to another server, described before it happens (EnvironmentService.originChange). */
export interface OriginChange {
  environment: Environment;
  /** What moves: 'URL' (the base URL), or 'servers' (a setting naming one, an issuer, changed). */
  what: string;
  from: string;
  to: string;
  production: boolean;
  /** Emails of the identities with a session or a remembered password, which the move signs out. */
  signedIn: string[];
  /** The environment's stored keys the move removes (the edit supplies no new value for them), as the user knows them. */
  removedKeys: string[];
}

/** What the environments need of the sessions (SessionManager): the stored session, and a logout at a given server. */
export interface SessionEnding {
  readSession(identityId: string): Promise<StoredSession | undefined>;
  /** `secrets`: the environment's secret settings as they were for that server (the anon key…). */
  revokeAt(env: Environment, session: StoredSession, secrets: Readonly<Record<string, string>>): Promise<void>;
}

/** The sentence the CLI and the import say before an environment moves to another server. */
export function originChangeText(c: OriginChange): string {
  const who = c.signedIn.length === 0 ? 'nobody is signed in to it' : `${c.signedIn.length === 1 ? 'its identity' : `its ${c.signedIn.length} identities`} ${c.signedIn.join(', ')} will be signed out (their sessions ended at ${c.from})`;
  const keys = c.removedKeys.length === 0 ? '' : `; its stored ${listText(c.removedKeys)} will be removed (enter ${c.removedKeys.length === 1 ? 'it' : 'them'} again for ${c.to})`;
  return `Changing the ${c.what} of "${c.environment.name}" from ${c.from} to ${c.to} moves it to another server: ${who}${keys}; no token or password is sent to ${c.to}`;
}

/** "a", "a and b", "a, b and c". */
function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

/** What a patch brings of the environment's keys: a key it gives a value stays (the new value), the others go with a move. */
interface SuppliedKeys {
  /** Secret settings the patch sets or removes (a removal removes it anyway). */
  secrets: ReadonlySet<string>;
  variables: ReadonlySet<string>;
}

function suppliedBy(patch: Partial<EnvironmentInput>): SuppliedKeys {
  return {
    secrets: new Set(Object.keys(secretsOf(patch) ?? {})),
    variables: new Set([...Object.keys(patch.secretVariables ?? {}), ...Object.keys(patch.variables ?? {}), ...Object.keys(patch.setVariables ?? {})]),
  };
}

/**
 * The environment's stored keys a move to another server removes: its secret settings (the anon key,
 * the API key, whatever its kind declares) and the secret variables' values were given for the old
 * server, and each is sent with requests (the anon key as `apikey` with the next sign-in, the others by
 * header/exec), so none may reach the new one. `stored.secrets`: the names of the secret settings held.
 */
function keysLeaving(
  envId: string,
  kind: ProviderKind,
  stored: { secrets: ReadonlySet<string>; secretVariables: readonly string[] },
  supplied: SuppliedKeys,
): Array<{ key: SecretKey; label: string }> {
  const out: Array<{ key: SecretKey; label: string }> = [];
  for (const info of settingsOf(kind)) {
    if (info.secret && stored.secrets.has(info.name) && !supplied.secrets.has(info.name)) out.push({ key: secretKeys.setting(envId, info.name), label: settingWords(info) });
  }
  for (const name of stored.secretVariables) {
    if (!supplied.variables.has(name)) out.push({ key: secretKeys.variable(envId, name), label: `secret variable ${quoteName(name)}` });
  }
  return out;
}

/** Thrown inside the config lock when the identities to sign out are not all locked: nothing stored, the edit tries again. */
class IdentitiesChanged extends Error {
  constructor(readonly ids: string[]) {
    super('identities changed');
  }
}

/** How often an edit starts again because identities appeared while it waited for the locks (each time nothing is stored). */
const MAX_EDIT_ATTEMPTS = 5;

/** Why an identity is signed out after its environment moved: kept as its last error, shown in status and the window. */
function movedReason(env: Environment, to: Environment, at: number): NonNullable<Identity['lastError']> {
  const m = describeMove(env, to);
  return { code: 'origin_changed', message: `Signed out because the ${m.what} of "${env.name}" changed from ${m.from} to ${m.to}: sign in again`.slice(0, 500), at };
}

/** A production environment moves to another server only when the user said yes to it. */
function assertMoveConfirmed(env: Environment, next: Pick<Environment, 'provider' | 'baseUrl' | 'settings'>, patch: Partial<EnvironmentInput>): void {
  if (!(env.production || patch.production === true) || patch.confirmOriginChange === true) return;
  const m = describeMove(env, next);
  throw new TokenDeskError(
    'confirmation_required',
    `"${env.name}" is a production environment: changing its ${m.what} from ${m.from} to ${m.to} moves it to another server and signs out its identities. Confirm the change to go ahead; nothing was changed`,
  );
}

export class EnvironmentService {
  constructor(
    private readonly config: ConfigStore,
    private readonly secrets: SecretStore,
    /** The sessions' lock: removal waits for a renewal in flight so it cannot write a session back. */
    private readonly lock?: RefreshLock,
    /** Ends the sessions of an environment moved to another server at the old one (without it: removed here only). */
    private readonly sessions?: SessionEnding,
    private readonly now: () => number = Date.now,
  ) {}

  private ownLock: RefreshLock | undefined;

  async list(): Promise<Environment[]> {
    return (await this.config.read()).environments;
  }

  async resolve(ref: string): Promise<Environment> {
    return findEnvironment(await this.config.read(), ref);
  }

  /**
   * Validates everything first, then, holding the config lock, writes the secrets and the config; undoes
   * the secrets if the config write fails. The lock is what lets the orphan sweep (orphans.ts) tell an
   * add in flight from a dead one: it never sees these entries before the environment is listed.
   */
  async add(input: EnvironmentInput): Promise<Environment> {
    assertNoControls(input);
    const vars = splitVariables(input.variables, input.secretVariables);
    const kind = providerInfo(input.provider);
    // Every declared setting checked before anything is stored: unknown names, syntax, required ones.
    const plan = planSettings(kind.settings, kind.label, { settings: input.settings, secrets: secretsOf(input) }, {}, true);
    const baseUrl = baseUrlOf(input.baseUrl, input.provider, plan.settings);
    const accountTransport = transportOf(input.accountTransport);
    const parsed = EnvironmentSchema.safeParse({
      id: randomUUID(),
      name: input.name.trim(),
      provider: input.provider,
      baseUrl,
      label: input.label,
      color: input.color ?? (input.production ? '#d92d20' : undefined),
      production: input.production ?? looksLikeProduction(input.name, baseUrl),
      variables: vars.plain,
      ...(vars.secret.size > 0 && { secretVariables: [...vars.secret.keys()] }),
      variableNames: input.variableNames ?? {},
      ...(accountTransport && { accountTransport }),
      ...(input.postmanId && { postmanId: input.postmanId }),
      settings: plan.settings,
      createdAt: Date.now(),
    });
    if (!parsed.success) throw new TokenDeskError('invalid_input', `Invalid environment: ${issueText(parsed.error)}`);
    const env = parsed.data;
    const writes: Array<[SecretKey, string]> = [];
    for (const [name, value] of plan.secrets) if (value !== null) writes.push([secretKeys.setting(env.id, name), value]);
    for (const [name, value] of vars.secret) writes.push([secretKeys.variable(env.id, name), value]);
    const existing = await this.config.read();
    if (existing.environments.some((e) => environmentScopeKey(e) === environmentScopeKey(env))) {
      throw new TokenDeskError('already_exists', `An environment named "${env.name}" already exists`);
    }
    let written = false;
    try {
      await this.config.update(async (cfg) => {
        if (cfg.environments.some((e) => environmentScopeKey(e) === environmentScopeKey(env))) {
          throw new TokenDeskError('already_exists', `An environment named "${env.name}" already exists`);
        }
        // Every secret of the new environment in one sealed write: all of them or none.
        await this.secrets.apply(writes);
        written = true;
        return { ...cfg, environments: [...cfg.environments, env] };
      });
    } catch (e) {
      // The environment's id is new: no key of it existed before, so undoing is deleting them all.
      if (written) await this.secrets.apply(writes.map(([k]) => [k, undefined] as const)).catch(() => undefined);
      throw e;
    }
    return env;
  }

  /** Which of the environment's keys the vault holds (a vault start-over leaves none of them). */
  async storedKeys(ref: string): Promise<{ anonKey: boolean; apiKey: boolean }> {
    const env = await this.resolve(ref);
    const [anonKey, apiKey] = await Promise.all([this.secrets.get(secretKeys.anonKey(env.id)), this.secrets.get(secretKeys.apiKey(env.id))]);
    return { anonKey: anonKey !== undefined, apiKey: apiKey !== undefined };
  }

  /** The names of the environment's secret settings the vault holds (a client secret…). */
  async storedSecretSettings(ref: string): Promise<Set<string>> {
    const env = await this.resolve(ref);
    const names = settingsOf(env.provider).filter((s) => s.secret).map((s) => s.name);
    const values = await Promise.all(names.map((n) => this.secrets.get(secretKeys.setting(env.id, n))));
    return new Set(names.filter((_, i) => values[i] !== undefined));
  }

  /** Like `edit`, for callers that need only the environment. */
  async update(ref: string, patch: Partial<EnvironmentInput>): Promise<Environment> {
    return (await this.edit(ref, patch)).environment;
  }

  /**
   * What changing the URL of `ref` to `rawUrl` would do, said before it happens (the CLI, the import);
   * undefined when the new URL stays on the same server (contract/validators.ts changesOrigin: a path-only change keeps the sessions).
   */
  async originChange(ref: string, rawUrl: string | undefined, patch: Partial<EnvironmentInput> = {}): Promise<OriginChange | undefined> {
    const env = await this.resolve(ref);
    // '' unsets a setting (its default, the base URL, applies again).
    const settings = Object.fromEntries(Object.entries({ ...env.settings, ...patch.settings }).filter(([, v]) => v.trim() !== ''));
    const to = rawUrl === undefined ? env.baseUrl : baseUrlOf(rawUrl, env.provider, settings);
    const next = { provider: env.provider, baseUrl: to, settings };
    if (!changesServers(env, next)) return undefined;
    const move = describeMove(env, next);
    const cfg = await this.config.read();
    const all = await this.secrets.loadAll();
    const signedIn = cfg.identities
      .filter((i) => i.envId === env.id && (all.has(secretKeys.session(i.id)) || all.has(secretKeys.password(i.id))))
      .map((i) => identityLabel(i));
    const stored = {
      secrets: new Set(settingsOf(env.provider).filter((s) => s.secret && all.has(secretKeys.setting(env.id, s.name))).map((s) => s.name)),
      secretVariables: (env.secretVariables ?? []).filter((n) => all.has(secretKeys.variable(env.id, n))),
    };
    const removedKeys = keysLeaving(env.id, env.provider, stored, suppliedBy(patch)).map((k) => k.label);
    return { environment: env, what: move.what, from: move.from, to: move.to, production: env.production, signedIn, removedKeys };
  }

  /**
   * Like `add`: the secrets change under the config lock, remembering the old values so a failed write
   * can be undone. A new URL on another server (scheme, host or port) ends the environment's sessions
   * in the same config write: their tokens and remembered passwords are deleted, so nothing stored can
   * ever be sent to the new server, and each identity says why it is signed out. That happens under
   * every identity's refresh lock (taken before the config lock, the order renewals and sign-outs use),
   * so no renewal is in flight and none can write a session back. Afterwards the old server is told
   * (logout, best effort: a failure is a warning, the edit stands). A production environment moves only
   * with `confirmOriginChange`.
   */
  async edit(ref: string, patch: Partial<EnvironmentInput>): Promise<EditOutcome> {
    assertNoControls(patch);
    const current = await this.resolve(ref);
    if (patch.provider !== undefined && patch.provider !== current.provider) {
      throw new TokenDeskError('invalid_input', 'The provider of an environment cannot change: add a new environment instead');
    }
    const kind = providerInfo(current.provider);
    // Checked here, before any lock; the non-secret ones are applied again to the stored set under the config lock.
    const planned = planSettings(kind.settings, kind.label, { settings: patch.settings, secrets: secretsOf(patch) }, current.settings, false);
    const secrets = planned.secrets;
    const baseUrl = patch.baseUrl !== undefined ? baseUrlOf(patch.baseUrl, current.provider, planned.settings) : undefined;
    // New paths judge the kept URL too: back to the default paths, a URL ending in /api would double them.
    if (baseUrl === undefined && patch.settings !== undefined) baseUrlOf(current.baseUrl, current.provider, planned.settings);
    const accountTransport = patch.accountTransport !== undefined ? transportOf(patch.accountTransport) : undefined;
    // Names and sizes are checked before anything is locked or stored.
    const touchesVariables =
      patch.variables !== undefined || patch.setVariables !== undefined || patch.secretVariables !== undefined || patch.unsetVariables !== undefined;
    if (touchesVariables) splitVariables(withoutUnset(withSet(patch.variables ?? {}, patch.setVariables), patch.unsetVariables), patch.secretVariables);
    // A move: another base URL origin, or another server named by a setting (an issuer: contract/servers.ts).
    const nextServers = { provider: current.provider, baseUrl: baseUrl ?? current.baseUrl, settings: planned.settings };
    const moving = changesServers(current, nextServers);
    if (moving) assertMoveConfirmed(current, nextServers, patch);

    // The identities to sign out, locked before the config lock (the order renewals and sign-outs use).
    // Judged again under the config lock: one listed meanwhile (or every one, when another process moved
    // the environment meanwhile) would lose its session without its lock held, and a renewal in flight
    // could write it back under the new URL. Then nothing is stored and the edit starts again with them.
    let ids = moving ? (await this.config.read()).identities.filter((i) => i.envId === current.id).map((i) => i.id).sort() : [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.editLocked(current, patch, { secrets, baseUrl, accountTransport, touchesVariables }, ids);
      } catch (e) {
        if (!(e instanceof IdentitiesChanged)) throw e;
        if (attempt >= MAX_EDIT_ATTEMPTS) {
          throw new TokenDeskError('environment_changed', `Identities of "${current.name}" kept changing while it was edited; nothing was changed: try again`);
        }
        ids = e.ids;
      }
    }
  }

  /** One attempt of `edit`, holding the refresh locks of `ids`; throws IdentitiesChanged (nothing stored) when they are not the ones to sign out. */
  private async editLocked(
    current: Environment,
    patch: Partial<EnvironmentInput>,
    checkedInput: { secrets: ReadonlyMap<string, string | null>; baseUrl: string | undefined; accountTransport: AccountTransport | undefined; touchesVariables: boolean },
    ids: readonly string[],
  ): Promise<EditOutcome> {
    const { secrets, baseUrl, accountTransport, touchesVariables } = checkedInput;
    const kind = providerInfo(current.provider);
    const ended: Array<{ identity: Identity; session: StoredSession | undefined }> = [];
    let before: Environment | undefined;
    let allowCleared = false;
    const oldSecrets: Record<string, string> = {};
    const next = await this.underIdentityLocks(ids, async () => {
      const sessions = new Map<string, StoredSession | undefined>();
      for (const id of ids) sessions.set(id, await this.sessions?.readSession(id).catch(() => undefined));
      const previous: Array<[SecretKey, string | undefined]> = [];
      let written = false;
      let env: Environment | undefined;
      let endedHere: Identity[] = [];
      try {
        await this.config.update(async (cfg) => {
          const fresh = cfg.environments.find((e) => e.id === current.id);
          if (!fresh) throw new TokenDeskError('not_found', `Environment "${current.name}" was removed meanwhile`);
          const vars = touchesVariables ? nextVariables(fresh, patch) : undefined;
          // Set on top of the stored settings under the lock, so concurrent edits of different settings all survive.
          const settings = patch.settings !== undefined ? planSettings(kind.settings, kind.label, { settings: patch.settings }, fresh.settings, false).settings : undefined;
          const parsed = EnvironmentSchema.safeParse({
            ...fresh,
            ...(patch.name !== undefined && { name: patch.name.trim() }),
            ...(baseUrl !== undefined && { baseUrl }),
            ...(patch.label !== undefined && { label: patch.label }),
            ...(patch.color !== undefined && { color: patch.color }),
            ...(patch.production !== undefined && { production: patch.production }),
            ...(vars && { variables: vars.plain, secretVariables: vars.secretNames.length > 0 ? vars.secretNames : undefined }),
            ...(patch.variableNames !== undefined && { variableNames: patch.variableNames }),
            ...(patch.setVariableNames !== undefined && { variableNames: withNames(patch.variableNames ?? fresh.variableNames, patch.setVariableNames) }),
            ...(patch.accountTransport !== undefined && { accountTransport }),
            ...(patch.postmanId !== undefined && { postmanId: patch.postmanId }),
            ...(settings && { settings }),
          });
          if (!parsed.success) throw new TokenDeskError('invalid_input', `Invalid environment: ${issueText(parsed.error)}`);
          const clash = cfg.environments.find((e) => e.id !== parsed.data.id && environmentScopeKey(e) === environmentScopeKey(parsed.data));
          if (clash) throw new TokenDeskError('already_exists', `An environment named "${parsed.data.name}" already exists`);
          // Judged again on the stored environment: another process may have moved it meanwhile.
          const movingNow = changesServers(fresh, parsed.data);
          if (movingNow) assertMoveConfirmed(fresh, parsed.data, patch);
          // The local endpoint's allow was given for the old servers' tokens: a production environment
          // that moved is asked about again (issue 23), as its sessions are ended.
          const { endpointAllowed, ...unallowed } = parsed.data;
          const updated: Environment = movingNow ? unallowed : parsed.data;
          allowCleared = movingNow && endpointAllowed === true && updated.production;
          const leaving = movingNow ? cfg.identities.filter((i) => i.envId === updated.id) : [];
          // Before anything is written: every identity signed out here must be one whose lock is held.
          if (leaving.some((i) => !ids.includes(i.id))) throw new IdentitiesChanged(leaving.map((i) => i.id).sort());

          const changes: Array<[SecretKey, string | null]> = [];
          for (const [name, value] of secrets) changes.push([secretKeys.setting(updated.id, name), value]);
          for (const [name, value] of vars?.writes ?? []) changes.push([secretKeys.variable(updated.id, name), value]);
          for (const name of vars?.deletes ?? []) changes.push([secretKeys.variable(updated.id, name), null]);
          if (movingNow) {
            // The keys given for the old server go in the same sealed write, unless this edit gives new ones.
            const supplied: SuppliedKeys = { secrets: new Set(secrets.keys()), variables: new Set(vars?.writes.keys() ?? []) };
            const stored = { secrets: new Set(kind.settings.filter((s) => s.secret).map((s) => s.name)), secretVariables: vars ? vars.secretNames : (fresh.secretVariables ?? []) };
            // Only what is stored: an environment without keys moves without a vault write.
            for (const { key } of keysLeaving(updated.id, fresh.provider, stored, supplied)) if ((await this.secrets.get(key)) !== undefined) changes.push([key, null]);
          }
          // Every token and remembered password of the old server, in the same sealed write.
          for (const i of leaving) changes.push([secretKeys.session(i.id), null], [secretKeys.password(i.id), null]);
          // And the new servers, for a sign-in that reaches the vault before this config is written: it
          // still reads the old URL there, but its session of the old server is refused (sessions/manager.ts).
          if (movingNow) changes.push([secretKeys.servers(updated.id), serversFingerprint(updated)]);
          for (const [k] of changes) previous.push([k, await this.secrets.get(k)]);
          // The sessions are ended at the old server with the secret settings stored for it (the anon key…).
          if (movingNow) {
            for (const info of kind.settings) {
              const value = info.secret ? await this.secrets.get(secretKeys.setting(updated.id, info.name)) : undefined;
              if (value !== undefined) oldSecrets[info.name] = value;
            }
          }
          await this.secrets.apply(changes.map(([k, v]) => [k, v ?? undefined] as const));
          written = true; // all or none: a failed apply stored nothing, so there is nothing to undo
          const held = new Set(previous.filter(([, v]) => v !== undefined).map(([k]) => k));
          endedHere = leaving.filter((i) => held.has(secretKeys.session(i.id)) || held.has(secretKeys.password(i.id)));
          const reason = movedReason(fresh, updated, this.now());
          env = updated;
          before = movingNow ? fresh : undefined;
          return {
            ...cfg,
            environments: cfg.environments.map((e) => (e.id === updated.id ? updated : e)),
            identities: cfg.identities.map((i) => (endedHere.some((x) => x.id === i.id) ? { ...i, rememberPassword: false, lastError: reason } : i)),
          };
        });
      } catch (e) {
        if (written) await this.secrets.apply(previous).catch(() => undefined);
        throw e;
      }
      // The profile (accounts, roles: no secret) goes with its session, still under the identity's lock.
      for (const i of endedHere) {
        await new ProfileStore(this.config.home).delete(i.id).catch(() => undefined);
        ended.push({ identity: i, session: sessions.get(i.id) });
      }
      return env;
    });
    if (!next) throw new TokenDeskError('config_invalid', 'The environment was not updated');
    const warnings = before ? await this.revokeAtOldServer(before, oldSecrets, ended) : [];
    if (allowCleared) warnings.push(`The local endpoint no longer serves "${next.name}": it was allowed for its old servers; allow it again to serve ${next.baseUrl}`);
    return { environment: next, signedOut: ended.map((e) => identityLabel(e.identity)), warnings };
  }

  /** Logout at the server the sessions came from, all at once; a failure is said, never thrown (the sessions are gone here already). */
  private async revokeAtOldServer(
    old: Environment,
    oldSecrets: Readonly<Record<string, string>>,
    ended: ReadonlyArray<{ identity: Identity; session: StoredSession | undefined }>,
  ): Promise<string[]> {
    const sessions = this.sessions;
    if (!sessions) return [];
    const outcomes = await Promise.all(
      ended.map(async ({ identity, session }) => {
        if (!session) return undefined;
        try {
          await sessions.revokeAt(old, session, oldSecrets);
          return undefined;
        } catch (e) {
          const why = e instanceof TokenDeskError ? e.message : 'unknown error';
          return `The session of ${identityLabel(identity)} could not be ended at ${old.baseUrl} (${why}); it was removed here and nothing was sent to the new URL`;
        }
      }),
    );
    return outcomes.filter((w): w is string => w !== undefined);
  }

  /** Runs `fn` holding the refresh lock of each identity (in id order, so two callers never wait on each other). */
  private underIdentityLocks<T>(ids: readonly string[], fn: () => Promise<T>): Promise<T> {
    const lock = this.sessionLock();
    return ids.reduceRight<() => Promise<T>>((inner, id) => () => lock.exclusive(id, inner), fn)();
  }

  /**
   * Removes the environment, its identities and every secret that belonged to them. The secrets go
   * first and the config last: if the keychain fails (or the process dies) the environment is still
   * listed, so `env remove` again finishes the job, and no secret is ever left where no command can
   * reach it. Anything a racing sign-in or edit wrote meanwhile is swept afterwards.
   */
  async remove(ref: string): Promise<Environment> {
    const env = await this.resolve(ref);
    const identityIds = (await this.config.read()).identities.filter((i) => i.envId === env.id).map((i) => i.id);
    const all = await this.secrets.loadAll();
    const envKeys = new Set<SecretKey>(settingsOf(env.provider).filter((s) => s.secret).map((s) => secretKeys.setting(env.id, s.name)));
    for (const name of env.secretVariables ?? []) envKeys.add(secretKeys.variable(env.id, name));
    for (const key of all.keys()) if (key.startsWith(`env/${env.id}/`)) envKeys.add(key as SecretKey);
    await this.secrets.apply([...envKeys].map((k) => [k, undefined] as const));
    for (const id of identityIds) {
      const keys = new Set<SecretKey>([secretKeys.session(id), secretKeys.password(id)]);
      for (const key of all.keys()) if (key.startsWith(`identity/${id}/`)) keys.add(key as SecretKey);
      // Under the identity's lock, as today: a renewal in flight finishes first and cannot write the session back.
      await this.sessionLock().exclusive(id, () => this.secrets.apply([...keys].map((k) => [k, undefined] as const)));
    }
    await this.config.update((cfg) => {
      const activeIdentity = { ...cfg.activeIdentity };
      delete activeIdentity[env.id];
      const settings = { ...cfg.settings };
      // The CLI's default goes with it: `tokendesk token` then asks for --env instead of naming a ghost.
      if (settings.cliDefaultEnvironment === env.id) delete settings.cliDefaultEnvironment;
      return {
        ...cfg,
        settings,
        environments: cfg.environments.filter((e) => e.id !== env.id),
        identities: cfg.identities.filter((i) => i.envId !== env.id),
        activeIdentity,
      };
    });
    // Best effort: the environment is gone either way, and a later sweep finds what this one misses.
    await this.removeOrphans().catch(() => undefined);
    return env;
  }

  /**
   * Moves plain variables that look like secrets (stored before the guard knew them) to the keychain.
   * Returns `environment name: variable` for each one moved; the shells may run it at startup.
   */
  async protectPlainSecrets(): Promise<string[]> {
    const moved: string[] = [];
    for (const env of await this.list()) {
      let secret: Map<string, string>;
      try {
        secret = splitVariables(env.variables).secret;
      } catch {
        continue; // a name an older version accepted (e.g. "constructor"): left for the user to rename
      }
      if (secret.size === 0) continue;
      // Re-submitting the plain set lets update() split it: secret-looking values go to the keychain.
      await this.update(env.id, { variables: env.variables });
      for (const name of secret.keys()) moved.push(`${env.name}: ${name}`);
    }
    return moved;
  }

  /**
   * Deletes keychain entries no environment or identity refers to (orphans.ts has the rule that
   * spares writes in flight). Run after every removal; the shells should also run it at startup.
   */
  removeOrphans(): Promise<string[]> {
    return removeOrphanSecrets({ config: this.config, secrets: this.secrets, lock: this.sessionLock() });
  }

  private sessionLock(): RefreshLock {
    // Without the sessions' own lock (tests), one over the same lock files works across processes too.
    this.ownLock ??= this.lock ?? new RefreshLock(this.config.home);
    return this.ownLock;
  }
}
