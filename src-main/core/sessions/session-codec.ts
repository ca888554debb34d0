import { z } from 'zod';
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

const StoredSessionSchema = z.object({
  provider: z.enum(['supabase', 'session']),
  accessToken: z.string().min(1),
  refreshToken: z.string().optional(),
  obtainedAt: z.number(),
  expiresAt: z.number(),
  profile: ProfileSchema,
});

/** Sessions are kept in the keychain as one JSON entry, so a rotated refresh token and its access token are written together. */
export function encodeSession(s: StoredSession): string {
  return JSON.stringify(s);
}

/** A keychain entry that does not parse is treated as no session (it cannot be used), never as a crash. */
export function decodeSession(text: string | undefined): StoredSession | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = StoredSessionSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as StoredSession) : undefined;
  } catch {
    return undefined;
  }
}
