import { isDeepStrictEqual } from 'node:util';
import type { Config, Identity } from '../config/schema.js';
import type { Profile } from '../providers/types.js';
import { emailSubject } from '../config/migrate.js';

/**
 * Which stored identity a new sign-in belongs to. The provider's user id decides, whatever email was
 * typed: a server that signs `a@x` in as `b@y` three times gives one identity (b@y), not three.
 * Without a user-id match, the identity with the email the *server* names (the typed one when it names
 * none) is updated: a user re-created on the server keeps its row, and a sign-in answered as someone
 * else can never overwrite the identity of the email that was typed.
 */
export function matchIdentity(identities: Identity[], envId: string, profile: Profile, typedEmail: string): Identity | undefined {
  const inEnv = identities.filter((i) => i.envId === envId);
  const subject = subjectOf(profile, typedEmail);
  const bySubject = subject === undefined ? undefined : inEnv.find((i) => i.subject === subject);
  if (bySubject) return bySubject;
  // Else the identity with the email the server names (keyed by its email before it had a user id, or a
  // user re-created on the server, or an environment moved to another server): its row is kept and
  // takes the new subject.
  const email = effectiveEmail(profile, typedEmail).toLowerCase();
  return email ? inEnv.find((i) => i.subject === emailSubject(email) || i.email?.toLowerCase() === email) : undefined;
}

/**
 * The stable key of the user a session belongs to, within its environment (config version 2): the
 * provider's user id, else its email (the server's, or the one typed). Undefined when the answer
 * names neither: such a session cannot be told apart from another user's, so it is not stored.
 */
export function subjectOf(profile: Profile, typedEmail: string): string | undefined {
  const userId = profile.userId.trim();
  if (userId) return userId;
  const email = effectiveEmail(profile, typedEmail).trim();
  return email ? emailSubject(email) : undefined;
}

/**
 * Whether `cfg` already lists `next` exactly (each field; an absent one is the same as undefined) as
 * the active identity of its environment: a sign-in that would write nothing new.
 */
export function recordsIdentity(cfg: Config, next: Identity): boolean {
  if (cfg.activeIdentity[next.envId] !== next.id) return false;
  const listed = cfg.identities.find((i) => i.id === next.id) as Record<string, unknown> | undefined;
  if (!listed) return false;
  const wanted = next as unknown as Record<string, unknown>;
  const fields = new Set([...Object.keys(listed), ...Object.keys(wanted)]);
  return [...fields].every((f) => isDeepStrictEqual(listed[f], wanted[f]));
}

/** The email an identity is recorded under: the server's, or the typed one when the server names none. */
export function effectiveEmail(profile: Profile, typedEmail: string): string {
  return profile.email.trim() || (looksLikeEmail(typedEmail) ? typedEmail.trim() : '');
}

/** A typed identifier that is an email address (not a user name sent to a session API's `username`). */
export function looksLikeEmail(typed: string): boolean {
  return /^[^\s@]+@[^\s@]+$/.test(typed.trim());
}

/**
 * What the user typed to sign in when it is not an email address (a user name): kept on the identity,
 * so a renewal that signs in again with the remembered password sends it, not the server's email.
 */
export function loginNameOf(typed: string): string | undefined {
  const t = typed.trim();
  return t && !looksLikeEmail(t) ? t : undefined;
}

/** Server text in a one-line message: no control characters (escape sequences), bounded. */
function shown(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

/** The note for a sign-in the server answered as another user than the email typed, or undefined. */
export function otherUserWarning(profile: Profile, typedEmail: string): string | undefined {
  const server = profile.email.trim();
  // A user name typed (a session API signing in by `username`) is not another user than its email.
  if (!server || !looksLikeEmail(typedEmail) || server.toLowerCase() === typedEmail.trim().toLowerCase()) return undefined;
  return `The server signed you in as ${shown(server)}, not as ${shown(typedEmail.trim())}: the session is kept under ${shown(server)}`;
}
