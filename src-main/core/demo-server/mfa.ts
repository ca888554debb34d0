import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import * as OTPAuth from 'otpauth';
import { z } from 'zod';
import { AuthError } from './auth-errors.js';
import { nowIso, parseBody, requireUser, runAccessTokenHook, sessionReply, type JsonReply, type SupabaseContext } from './supabase-auth.js';
import type { DemoFactor, SupabaseUser } from './users.js';

/** One `mfa_challenges` row. */
interface Challenge {
  id: string;
  factorId: string;
  createdAt: number;
  verifiedAt?: number;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const verifyBody = z.object({ challenge_id: z.string().nullish(), code: z.string().nullish() });

/** `totp.ValidateCustom` with Period 30, Skew 1, 6 digits, SHA-1: the code of now or a step either side. */
export function totpValid(secret: string, code: string, nowMs: number): boolean {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.validate({ token: code, timestamp: nowMs, window: 1 }) !== null;
}

/** The current code of a secret (for the README's users and for tests). */
export function totpNow(secret: string, nowMs: number): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: nowMs });
}

/** /factors/{id}/challenge and /factors/{id}/verify (mfa.go), TOTP factors only. */
export class DemoMfa {
  private readonly challenges = new Map<string, Challenge>();

  constructor(private readonly ctx: SupabaseContext) {}

  /** `requireAuthentication` then `loadFactor`. */
  private load(req: IncomingMessage, factorId: string): { user: SupabaseUser; sessionId?: string; factor: DemoFactor } {
    const auth = requireUser(this.ctx, req);
    if (!UUID_RE.test(factorId)) throw new AuthError(404, 'validation_failed', 'factor_id must be an UUID');
    const factor = auth.user.factors.find((f) => f.id === factorId);
    if (!factor) throw new AuthError(404, 'mfa_factor_not_found', 'Factor not found');
    return { ...auth, factor };
  }

  challenge(req: IncomingMessage, factorId: string): JsonReply {
    const { factor } = this.load(req, factorId);
    const c: Challenge = { id: randomUUID(), factorId: factor.id, createdAt: this.ctx.now() };
    this.challenges.set(c.id, c);
    factor.lastChallengedAt = nowIso(this.ctx);
    const expiresAt = Math.floor((c.createdAt + this.ctx.settings.mfaChallengeExpirySeconds * 1000) / 1000);
    return { status: 200, body: { id: c.id, type: factor.factorType, expires_at: expiresAt } };
  }

  async verify(req: IncomingMessage, factorId: string): Promise<JsonReply> {
    const { user, sessionId, factor } = this.load(req, factorId);
    const body = await parseBody(req, verifyBody);
    const code = body.code ?? '';
    if (code === '') throw new AuthError(400, 'validation_failed', 'Code needs to be non-empty');
    // `validateChallenge`, in order: found for this factor, not used, not expired.
    const challenge = this.challenges.get(body.challenge_id ?? '');
    if (!challenge || challenge.factorId !== factor.id) {
      throw new AuthError(422, 'mfa_factor_not_found', 'MFA factor with the provided challenge ID not found');
    }
    if (challenge.verifiedAt !== undefined) throw new AuthError(422, 'mfa_ip_address_mismatch', 'Challenge and verify IP addresses mismatch.');
    if (this.ctx.now() > challenge.createdAt + this.ctx.settings.mfaChallengeExpirySeconds * 1000) {
      this.challenges.delete(challenge.id);
      throw new AuthError(422, 'mfa_challenge_expired', `MFA challenge ${challenge.id} has expired, verify against another challenge or create a new challenge.`);
    }
    if (!totpValid(factor.secret, code, this.ctx.now())) throw new AuthError(422, 'mfa_verification_failed', 'Invalid TOTP code entered');
    if (!sessionId) throw new AuthError(500, 'unexpected_failure', 'Cannot read SessionId claim as UUID');
    runAccessTokenHook(this.ctx);
    challenge.verifiedAt = this.ctx.now();
    if (factor.status !== 'verified') factor.status = 'verified';
    const raised = this.ctx.store.raiseToAal2(sessionId, 'totp', factor.id);
    if (!raised) throw new AuthError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
    this.ctx.store.deleteAal1Sessions(user.id);
    return sessionReply(this.ctx, user, raised.session, raised.refreshToken);
  }
}
