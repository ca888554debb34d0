/**
 * The few fields of config.json that `tokendesk token` needs, read without zod for the fast path
 * (fast-token.ts). Every field read here is held to the rule config/schema.ts sets for it, and so
 * are the file-wide rules that change which entry a lookup finds (version, unique names, identities
 * of existing environments); any doubt is undefined, and the full CLI reads the file with the schema
 * and gives its own message (or moves a broken file aside). Fields `token` does not read (URLs,
 * colours, variables…) are not checked here: a file broken only there still yields the token, and
 * the next full command reports it.
 */

import {
  FAST_READABLE_VERSIONS,
  DEFAULT_MARGIN_SECONDS,
  isStoredKind,
  MAX_CLIPBOARD_CLEAR_SECONDS,
  MAX_EMAIL_CHARS,
  MAX_SUBJECT_CHARS,
  MAX_ENV_NAME_CHARS,
  MAX_ID_CHARS,
  MAX_MARGIN_SECONDS,
} from '../core/stored-rules.js';
import { guessedEnvironmentId, guessNeedsSessions } from './fast-default-env.js';

export interface TokenTarget {
  envId: string;
  identityId: string;
  marginSeconds: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
// The limits are stored-rules.ts's, which config/schema.ts's zod schemas use too.
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max;
const isId = (v: unknown): v is string => isText(v, MAX_ID_CHARS);
const isBoundedInt = (v: unknown, max: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

/**
 * IdentitySchema's rules for what a lookup reads: version 2, a subject of 1..MAX_SUBJECT_CHARS and an
 * optional email of 1..MAX_EMAIL_CHARS (an identity without one, a pasted token, must not turn the fast
 * path off for every environment); version 1 (migrated by the full path), an email and no subject rule.
 * False when the identity breaks them, and then the whole file is the full CLI's.
 */
function identityOk(identity: Obj, version: number): boolean {
  if (version === 1) return isText(identity.email, MAX_EMAIL_CHARS);
  return isText(identity.subject, MAX_SUBJECT_CHARS) && (identity.email === undefined || isText(identity.email, MAX_EMAIL_CHARS));
}

/**
 * `hasSession`: whether an identity has a stored session, once the vault is read; only needed when no
 * environment is named or set as the default (fast-default-env.ts guesses then).
 */
export function tokenTarget(text: string, envRef: string | undefined, email: string | undefined, hasSession?: (identityId: string) => boolean): TokenTarget | undefined {
  const r = lookup(text, envRef, email, hasSession);
  return r === 'needs sessions' ? undefined : r;
}

/** Whether the target depends on who is signed in (fast-default-env.ts): the vault must be read first. */
export function targetNeedsSessions(text: string, envRef: string | undefined, email: string | undefined): boolean {
  return lookup(text, envRef, email, undefined) === 'needs sessions';
}

function lookup(text: string, envRef: string | undefined, email: string | undefined, hasSession: ((identityId: string) => boolean) | undefined): TokenTarget | 'needs sessions' | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    return undefined;
  }
  if (!isObj(json) || !FAST_READABLE_VERSIONS.includes(json.version as number)) return undefined;
  const { environments, identities, activeIdentity = {}, settings = {} } = json;
  if (!Array.isArray(environments) || !Array.isArray(identities) || !isObj(activeIdentity) || !isObj(settings)) return undefined;

  const names = new Set<string>();
  for (const e of environments as unknown[]) {
    // Any catalogue kind: one the fast path did not know would turn it off for every environment.
    if (!isObj(e) || !isId(e.id) || !isText(e.name, MAX_ENV_NAME_CHARS) || !isStoredKind(e.provider)) return undefined;
    // A project file's environment (issue 24) is unique within its file, and offered by name only under
    // it, where fast-token.ts has already stepped aside: here it is reachable by its id alone.
    if (e.project !== undefined) continue;
    const lower = e.name.toLowerCase();
    if (names.has(lower)) return undefined;
    names.add(lower);
  }
  const envs = environments as Array<Obj & { id: string; name: string; project?: unknown }>;
  const own = envs.filter((e) => e.project === undefined);
  const envIds = new Set(envs.map((e) => e.id));
  for (const i of identities as unknown[]) {
    if (!isObj(i) || !isId(i.id) || !isId(i.envId) || !envIds.has(i.envId)) return undefined;
    if (!identityOk(i, json.version as number)) return undefined;
  }
  if (!Object.values(activeIdentity).every((v) => typeof v === 'string')) return undefined;
  const { marginSeconds = DEFAULT_MARGIN_SECONDS, clipboardClearSeconds = 0, cliDefaultEnvironment } = settings;
  if (!isBoundedInt(marginSeconds, MAX_MARGIN_SECONDS) || !isBoundedInt(clipboardClearSeconds, MAX_CLIPBOARD_CLEAR_SECONDS)) return undefined;
  if (cliDefaultEnvironment !== undefined && !isId(cliDefaultEnvironment)) return undefined;

  const ids = identities as Array<Obj & { id: string; envId: string; email?: string }>;
  // default-env.ts envRef, then environments/service.ts findEnvironment: an id first, then a name in any case.
  let env: (typeof envs)[number] | undefined;
  if (envRef !== undefined) {
    env = envs.find((e) => e.id === envRef) ?? own.find((e) => e.name.toLowerCase() === envRef.toLowerCase());
  } else {
    // The `env use` default (an id; one that no longer exists is no default), else the shared guess.
    env = envs.find((e) => e.id === cliDefaultEnvironment);
    // A project environment as the `env use` default applies only under its file: the full CLI judges it.
    if (env?.project !== undefined) return undefined;
    if (!env) {
      const envIds = own.map((e) => e.id);
      if (hasSession === undefined && guessNeedsSessions(envIds, ids.length)) return 'needs sessions';
      const signedIn = hasSession && new Set(ids.filter((i) => hasSession(i.id)).map((i) => i.envId));
      const guessed = guessedEnvironmentId(envIds, signedIn);
      env = envs.find((e) => e.id === guessed);
    }
  }
  if (!env) return undefined;

  // SessionManager.findIdentity: the identity with that email, else the active one, else the first.
  const ofEnv = ids.filter((i) => i.envId === env.id);
  const identity =
    email !== undefined
      ? ofEnv.find((i) => i.email?.toLowerCase() === email.toLowerCase())
      : (ofEnv.find((i) => i.id === activeIdentity[env.id]) ?? ofEnv[0]);
  if (!identity) return undefined;
  return { envId: env.id, identityId: identity.id, marginSeconds };
}
