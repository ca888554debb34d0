import { CODE_FIELD } from '../../../contract/providers.js';
import { TokenDeskError } from '../../errors.js';
import { parseBody, safeServerText } from '../../http/body.js';
import type { FlowIO } from '../../flows/types.js';
import type { ProviderContext } from '../types.js';
import { authUrl, headers } from './request.js';
import { challengeSchema } from './schemas.js';
import { assertSameUser, fail, grant, ok, type Granted } from './session.js';

/** Codes asked before the sign-in gives up (each refused one is asked again, saying why). */
export const MAX_CODE_ATTEMPTS = 5;

/** The 6-digit TOTP code as typed: spaces and dashes dropped ("123 456"). */
export function cleanCode(typed: string | undefined): string {
  return (typed ?? '').replace(/[\s-]/g, '');
}

/**
 * MFA (TOTP) after the first factor: a user with a verified TOTP factor gets an `aal1` session from
 * every first factor (password, code, link, social); GoTrue raises it to `aal2` through
 * `POST /factors/{id}/challenge` then `POST /factors/{id}/verify` with the code, both with the aal1
 * access token (as auth-js mfa.challengeAndVerify). The aal2 session is the one kept; a refresh keeps
 * its level. A wrong code is asked again, saying so; a lapsed challenge is replaced by a new one.
 */
export async function withSecondFactor(ctx: ProviderContext, io: FlowIO, first: Granted): Promise<Granted> {
  if (first.session.profile.claims?.aal !== 'aal1') return first;
  const factor = (first.body.user.factors ?? []).find((f) => f.status === 'verified' && f.factor_type === 'totp');
  if (!factor) return first;
  const token = first.session.accessToken;
  const name = safeServerText(factor.friendly_name ?? undefined);
  const path = `/factors/${encodeURIComponent(factor.id)}`;
  let error: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const challenge = await challengeFor(ctx, path, token);
    const answers = await io.ask({
      title: 'Two-factor code',
      message: `This account has two-factor authentication: enter the 6-digit code from your authenticator app${name ? ` (${name})` : ''}.`,
      fields: [CODE_FIELD],
      submitLabel: 'Verify',
      ...(error && { error }),
    });
    const code = cleanCode(answers.code);
    try {
      if (!/^\d{6}$/.test(code)) throw new TokenDeskError('invalid_input', 'The authenticator code is 6 digits');
      const second = await grant(ctx, `${path}/verify`, { challenge_id: challenge, code }, [code, challenge], { op: 'mfa', accessToken: token });
      assertSameUser(first.session, second.session);
      // The first factor's note (a weak password) still stands.
      return first.warning && !second.warning ? { ...second, warning: first.warning } : second;
    } catch (e) {
      const again = e instanceof TokenDeskError && (e.code === 'invalid_input' || e.serverCode === 'mfa_verification_failed' || e.serverCode === 'mfa_challenge_expired');
      if (!again || attempt >= MAX_CODE_ATTEMPTS) throw e;
      error = e.message;
    }
  }
}

async function challengeFor(ctx: ProviderContext, path: string, accessToken: string): Promise<string> {
  const res = await ctx.http.request({ method: 'POST', url: authUrl(ctx.baseUrl, `${path}/challenge`), headers: headers(ctx, accessToken), body: {} });
  if (!ok(res)) fail('mfa', res, ctx, [accessToken]);
  return parseBody(res, challengeSchema, 'the two-factor challenge').id;
}
