import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, header, sendJson } from './http-util.js';
import { verifyHs256 } from './jwt.js';

/**
 * A small API behind personal access tokens, for the pasted-token kind (issue 20): `GET /pat/v1/me`
 * answers the token's user for a demo token (DEMO_PATS), or for a JWT signed with the demo secret
 * that has not expired; 401 with `{"message": …}` (GitHub's shape) otherwise. The token travels as
 * `Authorization: Bearer …` or, GitLab-style, alone in `PRIVATE-TOKEN`.
 */
export const DEMO_PAT_PATH = '/pat/v1/me';

export interface DemoPat {
  token: string;
  label: string;
  user: { id: string; login: string; email: string };
}

/** Public on purpose (README lists them): opaque tokens in the `tdpat_` style of GitHub's `ghp_`. */
export const DEMO_PATS: readonly DemoPat[] = [
  { token: 'tdpat_demo_3f9c1e7a5b2d4860aa71', label: 'Dana Developer (read/write)', user: { id: 'u-1001', login: 'dana', email: 'dana@pat.test' } },
  { token: 'tdpat_demo_8b2e4d6f0a1c3957bb02', label: 'CI bot (read only)', user: { id: 'u-2002', login: 'ci-bot', email: '' } },
];

/** Returns false when the path is not this API's. */
export function handlePat(req: IncomingMessage, res: ServerResponse, url: URL, nowMs: number): boolean {
  if (url.pathname !== DEMO_PAT_PATH) return false;
  if (req.method !== 'GET') {
    sendJson(res, 405, { message: 'Method not allowed' });
    return true;
  }
  const token = bearerToken(req) ?? header(req, 'private-token') ?? null;
  if (!token) {
    sendJson(res, 401, { message: 'Requires authentication' });
    return true;
  }
  const pat = DEMO_PATS.find((p) => p.token === token);
  if (pat) {
    sendJson(res, 200, pat.user);
    return true;
  }
  const jwt = verifyHs256(token, Math.floor(nowMs / 1000));
  if (jwt.ok) {
    const c = jwt.claims;
    sendJson(res, 200, { id: String(c.sub ?? ''), login: String(c.sub ?? ''), email: typeof c.email === 'string' ? c.email : '' });
    return true;
  }
  sendJson(res, 401, { message: 'Bad credentials' });
  return true;
}
