import { TOKEN_FIELD } from '../../../contract/providers.js';
import { TokenDeskError } from '../../errors.js';
import { isRetryableStatus } from '../../http/body.js';
import { localTime } from '../../format-time.js';
import type { FlowIO } from '../../flows/types.js';
import { decodeJwt } from '../jwt.js';
import { MAX_LIFETIME_MS, MIN_LIFETIME_MS } from '../lifetime.js';
import { tokenSyntaxProblem } from '../token-syntax.js';
import type { FlowOutcome, ProviderContext, StoredSession } from '../types.js';
import { getCheckPath, saidBy } from './check.js';
import { profileFromToken } from './profile.js';
import { checkPathOf } from './settings.js';

/**
 * When a pasted token ends: its `exp` claim when it is a JWT with one (RFC 7519 §4.1.4, NumericDate
 * seconds), else never (`noExpiry`; expiresAt is then the longest lifetime TokenDesk keeps, so every
 * reader of a number still has one). The exp is the issuer's clock against ours: a pasted token comes
 * with no Date header to correct it by. An exp already past, or too close to use, is refused.
 */
export function tokenExpiry(token: string, now: number): { expiresAt: number; noExpiry?: true } {
  const exp = decodeJwt(token)?.claims.exp;
  if (exp === undefined) return { expiresAt: now + MAX_LIFETIME_MS, noExpiry: true };
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenDeskError('invalid_input', 'This JWT\'s exp claim is not a time in seconds; nothing was stored');
  const lifetime = exp * 1000 - now;
  if (lifetime <= 0) throw new TokenDeskError('invalid_input', `This token expired at ${localTime(exp * 1000)}: get a new one and paste it; nothing was stored`);
  if (lifetime < MIN_LIFETIME_MS) throw new TokenDeskError('invalid_input', 'This token expires in less than a second: get a new one; nothing was stored');
  return { expiresAt: now + Math.min(lifetime, MAX_LIFETIME_MS) };
}

/** Tries the token at the check path: a 2xx takes it; anything else is said plainly and nothing is stored. */
async function tryAtCheckPath(ctx: ProviderContext, path: string, token: string): Promise<void> {
  let res;
  try {
    res = await getCheckPath(ctx, path, token);
  } catch (e) {
    // A cancelled flow or a bad setting is told as it is; a transport failure names where it happened.
    if (e instanceof TokenDeskError && e.code.startsWith('network_')) {
      throw new TokenDeskError(e.code, `Could not reach the API to try the token at ${path}: ${e.message}; nothing was stored`, { retryable: true });
    }
    throw e;
  }
  if (res.status >= 200 && res.status < 300) return;
  const said = saidBy(res, token);
  const why = said ? `: ${said}` : '';
  if (res.status === 401 || res.status === 403) {
    throw new TokenDeskError('invalid_credentials', `The API refused this token at ${path} (${res.status})${why}; nothing was stored`, { status: res.status });
  }
  if (res.status === 429) throw new TokenDeskError('rate_limited', `The API's rate limit was reached at ${path}; try again in a few minutes`, { status: 429, retryable: true });
  if (res.status >= 500) {
    throw new TokenDeskError('server_error', `The API failed at ${path} (${res.status})${why}; nothing was stored`, { status: res.status, retryable: isRetryableStatus(res.status) });
  }
  throw new TokenDeskError('auth_error', `The API answered ${res.status} at ${path}${why}: check the URL and the check path; nothing was stored`, { status: res.status });
}


/**
 * The `token` method: one question (the pasted token), then its checks — syntax (it goes into a
 * header verbatim), expiry, and with a check path the API itself — before anything is stored.
 */
export async function tokenFlow(ctx: ProviderContext, io: FlowIO): Promise<FlowOutcome> {
  const answers = await io.ask({ title: 'Paste a token', fields: [TOKEN_FIELD], submitLabel: 'Sign in' });
  const token = (answers.token ?? '').trim();
  const problem = tokenSyntaxProblem(token);
  if (problem) throw new TokenDeskError('invalid_input', `That is not a token TokenDesk can send (${problem}); nothing was stored`);
  const obtainedAt = ctx.now();
  const expiry = tokenExpiry(token, obtainedAt);
  const path = checkPathOf(ctx);
  if (path) await tryAtCheckPath(ctx, path, token);
  const session: StoredSession = { provider: 'bearer', accessToken: token, obtainedAt, ...expiry, profile: profileFromToken(token) };
  // No email typed: the identity is keyed by its subject (the JWT's sub, else the token's hash) and labelled by its claims.
  return { session };
}
