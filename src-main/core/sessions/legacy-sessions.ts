import type { ProfileStore } from './profile-store.js';
import { decodeSession, hasInlineProfile, splitSession } from './session-codec.js';

const SESSION_KEY = /^identity\/([^/]+)\/session$/;

/**
 * For the move from per-item keychain storage into the vault: each session stored whole (tokens and
 * profile in one entry) has its profile written to its file and only the tokens kept. An entry that
 * does not decode is kept as it was (it reads as signed out either way).
 */
export async function splitLegacySessions(entries: Map<string, string>, profiles: ProfileStore): Promise<Map<string, string>> {
  const out = new Map(entries);
  for (const [key, value] of entries) {
    const id = SESSION_KEY.exec(key)?.[1];
    if (!id || !hasInlineProfile(value)) continue;
    const session = decodeSession(value);
    if (!session) continue;
    try {
      const { tokens, profile } = splitSession(session);
      await profiles.write(id, profile);
      out.set(key, tokens);
    } catch {
      // Kept whole: decodeSession still reads it, and the next renewal stores it split.
    }
  }
  return out;
}
