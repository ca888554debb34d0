import { z } from 'zod';
import { TokenDeskError } from '../errors.js';
import { isEpochMs, MAX_LIFETIME_MS } from '../providers/lifetime.js';
import { decodeJwt } from '../providers/jwt.js';
import { isBearerToken } from '../providers/token-syntax.js';
import { STORED_KINDS } from '../stored-rules.js';
import type { Profile, StoredSession } from '../providers/types.js';
import { issuePath } from '../../contract/issues.js';

const AccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  primary: z.boolean(),
  internalUser: z.boolean().optional(),
});

export const ProfileSchema = z.object({
  userId: z.string(),
  email: z.string(),
  displayName: z.string().optional(),
  accounts: z.array(AccountSchema),
  primaryAccountId: z.string().optional(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  permissionsFromRoles: z.array(z.string()),
  jwtHeader: z.record(z.string(), z.unknown()).optional(),
  claims: z.record(z.string(), z.unknown()).optional(),
  picture: z.string().max(2048).optional(),
  scopes: z.array(z.string().max(200)).max(200).optional(),
});

/** An epoch-ms time a Date can hold: never NaN, Infinity or 1e300 (which `new Date().toISOString()` throws on). */
const EpochMs = z.number().refine(isEpochMs, { message: 'expected a time in epoch milliseconds' });

/** The same token syntax the providers demand of server answers: what is stored is pasted into headers. */
const Token = z.string().refine(isBearerToken, { message: 'expected a bearer token' });

const TokensSchema = z.object({
  provider: z.enum(STORED_KINDS),
  accessToken: Token,
  refreshToken: Token.optional(),
  obtainedAt: EpochMs,
  expiresAt: EpochMs,
  noExpiry: z.literal(true).optional(),
  renewsBy: z.literal('client-credentials').optional(),
  refreshExpiresAt: EpochMs.optional(),
  idToken: Token.optional(),
});

const StoredSessionSchema = TokensSchema.extend({ profile: ProfileSchema });

/** What a tokens-only entry reads as when no profile is at hand: enough for times and renewal, nothing to show. */
export const EMPTY_PROFILE: Profile = { userId: '', email: '', accounts: [], roles: [], permissions: [], permissionsFromRoles: [] };

function refuse(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> }>): never {
  const field = issuePath(issues[0]?.path ?? []) || 'session';
  throw new TokenDeskError('bad_response', `The session was not stored: its ${field} is not valid`);
}

/**
 * The whole session as one JSON text: what TokenDesk stored per keychain item before the vault (and
 * what decodeSession still reads). A session that would not decode again (a non-finite time, which
 * JSON writes as null; a token with a line break) is refused here rather than stored, so a bad answer
 * can never overwrite a good session with one that reads as "signed out".
 */
export function encodeSession(s: StoredSession): string {
  const checked = StoredSessionSchema.safeParse(s);
  if (!checked.success) refuse(checked.error.issues);
  return JSON.stringify(s);
}

/**
 * How a session is stored now: the tokens and times sealed in the vault (small, so every vault write
 * and read stays cheap), and the profile — up to thousands of permissions, never a token — in a plain
 * file beside it (sessions/profile-store.ts). The access token's decoded header and claims are not
 * written there: they are the token's own (the vault holds it; withTokenClaims decodes them again),
 * and they change on every sign-in and renewal (iat, exp, session_id), which would make the profile
 * file a second durable write each time instead of one that rarely changes. Validated as
 * encodeSession is.
 */
export function splitSession(s: StoredSession): { tokens: string; profile: Profile } {
  const checked = StoredSessionSchema.safeParse(s);
  if (!checked.success) refuse(checked.error.issues);
  const { profile, ...tokens } = s;
  const { claims: _claims, jwtHeader: _header, ...stable } = profile;
  return { tokens: JSON.stringify(tokens), profile: stable };
}

/**
 * The session with its access token's header and claims for display, decoded from the token itself
 * (never verified: display only), so they always describe the token the vault holds. An opaque token
 * keeps whatever its profile says. A claim or header value that carries one of the session's tokens
 * (a server echoing the refresh token) is dropped: it would reach the window's state.
 */
export function withTokenClaims(s: StoredSession): StoredSession {
  const decoded = decodeJwt(s.accessToken);
  if (!decoded) return s;
  return { ...s, profile: withoutTokens({ ...s.profile, jwtHeader: decoded.header, claims: decoded.claims }, s) };
}

function withoutTokens(profile: Profile, s: Pick<StoredSession, 'accessToken' | 'refreshToken' | 'idToken'>): Profile {
  const secrets = [s.accessToken, s.refreshToken, s.idToken].filter((t): t is string => typeof t === 'string' && t.length >= 8);
  const holds = (v: unknown) => {
    const text = JSON.stringify(v) ?? '';
    return secrets.some((t) => text.includes(t));
  };
  const clean = <T extends Record<string, unknown> | undefined>(o: T): T =>
    o && (Object.fromEntries(Object.entries(o).filter(([k, v]) => !holds(k) && !holds(v))) as T);
  return { ...profile, claims: clean(profile.claims), jwtHeader: clean(profile.jwtHeader) };
}

/**
 * A stored entry that does not parse is treated as no session (it cannot be used), never as a crash.
 * A tokens-only entry takes `profile` (read from the profile file), or EMPTY_PROFILE without one; an
 * older entry with its own profile keeps it. A stored lifetime beyond the longest TokenDesk believes
 * (kept by an older version) is cut to it.
 */
export function decodeSession(text: string | undefined, profile?: Profile): StoredSession | undefined {
  if (text === undefined) return undefined;
  try {
    const json = JSON.parse(text) as unknown;
    const inline = StoredSessionSchema.safeParse(json);
    let s: StoredSession;
    if (inline.success) s = inline.data as StoredSession;
    else {
      if ((json as { profile?: unknown } | null)?.profile !== undefined) return undefined;
      const tokens = TokensSchema.safeParse(json);
      if (!tokens.success) return undefined;
      s = { ...(tokens.data as Omit<StoredSession, 'profile'>), profile: profile ?? EMPTY_PROFILE };
    }
    return s.expiresAt - s.obtainedAt > MAX_LIFETIME_MS ? { ...s, expiresAt: s.obtainedAt + MAX_LIFETIME_MS } : s;
  } catch {
    return undefined;
  }
}
