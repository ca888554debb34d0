import { z } from 'zod';
import { TokenDeskError } from '../errors.js';
import { isEpochMs, MAX_LIFETIME_MS } from '../providers/lifetime.js';
import { isBearerToken } from '../providers/token-syntax.js';
import type { StoredSession } from '../providers/types.js';

const AccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  primary: z.boolean(),
  internalUser: z.boolean().optional(),
});

const ProfileSchema = z.object({
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
});

/** An epoch-ms time a Date can hold: never NaN, Infinity or 1e300 (which `new Date().toISOString()` throws on). */
const EpochMs = z.number().refine(isEpochMs, { message: 'expected a time in epoch milliseconds' });

/** The same token syntax the providers demand of server answers: what is stored is pasted into headers. */
const Token = z.string().refine(isBearerToken, { message: 'expected a bearer token' });

const StoredSessionSchema = z.object({
  provider: z.enum(['supabase', 'session']),
  accessToken: Token,
  refreshToken: Token.optional(),
  obtainedAt: EpochMs,
  expiresAt: EpochMs,
  profile: ProfileSchema,
});

/**
 * Sessions are kept in the keychain as one JSON entry, so a rotated refresh token and its access token
 * are written together. A session that would not decode again (a non-finite time, which JSON writes
 * as null; a token with a line break) is refused here rather than stored, so a bad answer can never
 * overwrite a good session with one that reads as "signed out".
 */
export function encodeSession(s: StoredSession): string {
  const checked = StoredSessionSchema.safeParse(s);
  if (!checked.success) {
    const field = checked.error.issues[0]?.path.map(String).join('.') || 'session';
    throw new TokenDeskError('bad_response', `The session was not stored: its ${field} is not valid`);
  }
  return JSON.stringify(s);
}

/**
 * A keychain entry that does not parse is treated as no session (it cannot be used), never as a crash.
 * A stored lifetime beyond the longest TokenDesk believes (kept by an older version) is cut to it.
 */
export function decodeSession(text: string | undefined): StoredSession | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = StoredSessionSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return undefined;
    const s = parsed.data as StoredSession;
    return s.expiresAt - s.obtainedAt > MAX_LIFETIME_MS ? { ...s, expiresAt: s.obtainedAt + MAX_LIFETIME_MS } : s;
  } catch {
    return undefined;
  }
}
