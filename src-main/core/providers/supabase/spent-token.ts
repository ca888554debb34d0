import { TokenDeskError } from '../../errors.js';

/**
 * GoTrue's answers for a refresh token that is no longer valid because it was exchanged already
 * (../shared/docs/supabase-auth-api.md §5: `refresh_token_already_used` outside the reuse interval, and
 * `refresh_token_not_found` once reuse detection revoked the session).
 */
const SPENT = new Set(['refresh_token_already_used', 'refresh_token_not_found']);

/**
 * A refresh token TokenDesk did not spend itself was most likely spent by a tool holding a copy
 * (an export, a .env file, Postman): say so, since the server's words ("Already Used") do not. An
 * error that already carries its own explanation (wrapped, with a TokenDeskError cause) is kept.
 */
export function explainSpentRefreshToken(err: TokenDeskError): TokenDeskError {
  if (err.code !== 'refresh_rejected' || !err.serverCode || !SPENT.has(err.serverCode)) return err;
  if (err.cause instanceof TokenDeskError) return err;
  return new TokenDeskError(
    'refresh_rejected',
    'the refresh token had already been used, probably by another tool that was given a copy of it (an export, a .env file or Postman); Supabase refresh tokens work once, so sign in again and leave the refresh token out of exports',
    { serverCode: err.serverCode, ...(err.status !== undefined && { status: err.status }), cause: err },
  );
}
