/**
 * The web bridge's wire protocol (npm run web): the same contract over loopback HTTP.
 * - The page is opened as http://127.0.0.1:PORT/?token=SECRET (a random secret per run).
 * - Calls: POST /api/call/<method> with a JSON body (the input), header `X-TokenDesk-Token: SECRET`
 *   and `Content-Type: application/json`; the answer is an ApiResult envelope (always HTTP 200 for a
 *   validated call, 400 for a malformed one, 401/403 for a wrong secret, Host or Origin).
 * - Events: GET /api/events?token=SECRET, server-sent events, one `data: <AppEvent JSON>` per event.
 */
export const BRIDGE_TOKEN_HEADER = 'x-tokendesk-token';
export const BRIDGE_CALL_PREFIX = '/api/call/';
export const BRIDGE_EVENTS_PATH = '/api/events';
