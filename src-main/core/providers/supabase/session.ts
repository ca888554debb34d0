import { TokenDeskError } from '../../errors.js';
import { safeServerText } from '../../http/body.js';
import type { HttpResponse } from '../../http/types.js';
import { expiryFromLifetime } from '../lifetime.js';
import { parseTokenAnswer } from '../token-syntax.js';
import type { ProviderContext, StoredSession } from '../types.js';
import { supabaseErrorFromResponse, type SupabaseOperation } from './errors.js';
import { profileFromUser } from './profile.js';
import { anonKeyOf, authUrl, headers } from './request.js';
import { tokenResponseSchema, type TokenResponse } from './schemas.js';

/** The answers every GoTrue call shares: a session from an AccessTokenResponse, and its refusals. */

export const ok = (res: HttpResponse): boolean => res.status >= 200 && res.status < 300;

export function fail(op: SupabaseOperation, res: HttpResponse, ctx: ProviderContext, secrets: Array<string | undefined>): never {
  throw supabaseErrorFromResponse(op, res, [...secrets, anonKeyOf(ctx)]);
}

/**
 * Expiry from the local clock at receipt (`expires_in`); the server's `expires_at` may be skewed.
 * An absurd `expires_in` is refused (too short) or clamped (too long): see lifetime.ts.
 */
export function toSession(body: TokenResponse, receivedAt: number, status: number): StoredSession {
  return {
    provider: 'supabase',
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    obtainedAt: receivedAt,
    expiresAt: expiryFromLifetime(receivedAt, body.expires_in * 1000, `expires_in: ${body.expires_in}`, status),
    profile: profileFromUser(body.user, body.access_token),
  };
}

/** A session, the user it came with (its factors), and the server's note on the password if any. */
export interface Granted {
  session: StoredSession;
  body: TokenResponse;
  warning?: string;
}

/**
 * GoTrue's `weak_password` on a successful sign-in (§1.2: the password is right but fails the current
 * policy): said to the user, with the reasons, so it is not lost.
 */
export function weakPasswordWarning(body: TokenResponse, secrets: Array<string | undefined>): string | undefined {
  const weak = body.weak_password;
  if (!weak) return undefined;
  const said = safeServerText(weak.message ?? undefined, secrets);
  const reasons = (weak.reasons ?? []).map((r) => safeServerText(r, secrets)).filter(Boolean).join(', ');
  return `The password no longer meets the project's password rules${said ? `: ${said}` : ''}${reasons ? ` (reasons: ${reasons})` : ''}; change it soon`;
}

/**
 * POSTs to a GoTrue endpoint that answers with a session (`/token?grant_type=…`, `/verify`,
 * `/factors/{id}/verify`); `secrets` (what was sent) are cut out of any error text.
 */
export async function grant(
  ctx: ProviderContext,
  path: string,
  body: Record<string, unknown>,
  secrets: Array<string | undefined>,
  opts: { op?: SupabaseOperation; accessToken?: string } = {},
): Promise<Granted> {
  const res = await ctx.http.request({ method: 'POST', url: authUrl(ctx.baseUrl, path), headers: headers(ctx, opts.accessToken), body });
  const receivedAt = ctx.now();
  if (!ok(res)) fail(opts.op ?? 'sign-in', res, ctx, [...secrets, opts.accessToken]);
  const parsed = parseTokenAnswer(res, tokenResponseSchema, 'sign-in');
  const warning = weakPasswordWarning(parsed, secrets);
  return { session: toSession(parsed, receivedAt, res.status), body: parsed, ...(warning && { warning }) };
}

/** A sign-in answer for another user than the one the flow began with is a mix-up, never kept. */
export function assertSameUser(first: StoredSession, next: StoredSession, status?: number): void {
  if (first.profile.userId && next.profile.userId !== first.profile.userId) {
    throw new TokenDeskError('bad_response', 'The server answered the second step with a session of another user; nothing was stored', {
      ...(status !== undefined && { status }),
    });
  }
}
