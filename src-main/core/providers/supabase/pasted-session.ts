import { TokenDeskError } from '../../errors.js';
import { parseJson, TOO_DEEP_TEXT } from '../../text/parse-json.js';
import { decodeJwt } from '../jwt.js';
import { tokenSyntaxProblem } from '../token-syntax.js';

/**
 * What a user pastes to import a browser session, read into its two tokens. No request is made here
 * and no message ever quotes the pasted text (it is a credential): each names what is wrong instead.
 *
 * Accepted forms:
 * - the value supabase-js v2 keeps in Local Storage under `sb-<project-ref>-auth-token`: the session
 *   object `{access_token, refresh_token, expires_at, expires_in, token_type, user}` (auth-js
 *   `_saveSession`; ../shared/docs/supabase-auth-api.md §8.5 for the key);
 * - the older supabase-js v1 value `{currentSession: {…}, expiresAt}` (gotrue-js v1 `_saveSession`,
 *   key `supabase.auth.token`), and `{session: {…}}` as `auth.getSession()` returns it;
 * - the same JSON as @supabase/ssr writes it to a cookie: `base64-` + base64url of the JSON, no padding
 *   (supabase/ssr src/cookies.ts: `BASE64_PREFIX + stringToBase64URL(value)`; reading back ignores
 *   spaces, line breaks and "=" (src/utils/base64url.ts), so the parts of a cookie chunked into
 *   `…-auth-token.0`, `.1` may be pasted one per line, in order);
 * - a cookie value still URL-encoded (`%7B%22access_token…`), as DevTools shows a raw cookie;
 * - an access token and a refresh token: "ACCESS REFRESH" on one line, on two lines, or
 *   `{"access_token": …, "refresh_token": …}`.
 */

export interface PastedSession {
  accessToken: string;
  refreshToken: string;
  /** The access token's claims (decoded, never verified: the server does that). */
  claims: Record<string, unknown>;
}

const BASE64_PREFIX = 'base64-';
const WHERE = 'paste the whole value of the sb-<project-ref>-auth-token item, or an access token and a refresh token';

function invalid(message: string): TokenDeskError {
  return new TokenDeskError('invalid_input', message);
}

export function parsePastedSession(raw: string): PastedSession {
  const text = raw.trim();
  if (!text) throw invalid(`Nothing was pasted: ${WHERE}`);
  if (text.startsWith(BASE64_PREFIX)) return fromJsonText(decodeCookie(text.slice(BASE64_PREFIX.length)), 'the base64- cookie value');
  if (/^%7b/i.test(text)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(text);
    } catch {
      throw invalid('The pasted value looks URL-encoded (it starts with %7B) but is not valid URL encoding');
    }
    return fromJsonText(decoded, 'the URL-encoded value');
  }
  if (/^[{["]/.test(text) || text === 'null') return fromJsonText(text, 'the pasted JSON');
  return fromPair(text.split(/\s+/));
}

/** @supabase/ssr's base64url (its decoder skips whitespace and "="); the standard alphabet is taken too. */
function decodeCookie(body: string): string {
  const compact = body.replace(/[\s=]+/g, '');
  if (!compact || !/^[A-Za-z0-9_\-+/]+$/.test(compact)) {
    throw invalid('The pasted value starts with "base64-" (an @supabase/ssr cookie) but what follows is not base64url');
  }
  const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (!decoded.trimStart().startsWith('{')) {
    throw invalid(
      'The base64- cookie value does not decode to a session JSON (a cookie split into sb-<project-ref>-auth-token.0, .1… must be pasted whole: every part, in order)',
    );
  }
  return decoded;
}

function fromJsonText(text: string, what: string): PastedSession {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    throw invalid(
      parsed.problem === 'too_deep'
        ? `${capital(what)} is ${TOO_DEEP_TEXT}`
        : `${capital(what)} is not valid JSON (was it copied whole? a value cut short or with text around it cannot be read)`,
    );
  }
  let value = parsed.value;
  // DevTools' "Copy value" of a JSON string item, or a value stored twice encoded: one more level.
  if (typeof value === 'string') {
    const inner = parseJson(value.trim());
    if (!inner.ok) return fromPair(value.trim().split(/\s+/));
    value = inner.value;
  }
  if (value === null) throw invalid(`${capital(what)} is null: nobody is signed in to the web app in that browser`);
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${capital(what)} is not a JSON object: ${WHERE}`);
  const obj = value as Record<string, unknown>;
  // v1 `{currentSession, expiresAt}`; `{session}` of getSession(); else the session object itself.
  const session = isObject(obj.currentSession) ? obj.currentSession : isObject(obj.session) ? obj.session : obj;
  if (obj.currentSession === null || obj.session === null) {
    throw invalid(`${capital(what)} holds no session (it is null): nobody is signed in to the web app in that browser`);
  }
  const access = session.access_token;
  const refresh = session.refresh_token;
  if (access === undefined) throw invalid(`${capital(what)} has no access_token: ${WHERE}`);
  if (typeof access !== 'string') throw invalid(`The access_token in ${what} is not a string`);
  if (refresh === undefined || refresh === null || refresh === '') {
    throw invalid(`${capital(what)} has no refresh_token: TokenDesk needs it to keep the session fresh (${WHERE})`);
  }
  if (typeof refresh !== 'string') throw invalid(`The refresh_token in ${what} is not a string`);
  return checked(access, refresh);
}

function fromPair(parts: string[]): PastedSession {
  const values = parts.filter(Boolean);
  if (values.length === 1) {
    if (looksLikeJwt(values[0]!)) {
      throw invalid(`Only an access token was pasted: the refresh token is needed too, to keep the session fresh (${WHERE})`);
    }
    throw invalid(`The pasted value is neither a session JSON nor an access token and a refresh token: ${WHERE}`);
  }
  if (values.length !== 2) {
    throw invalid(`Expected an access token and a refresh token separated by a space or a line break; found ${values.length} values`);
  }
  const [first, second] = values as [string, string];
  const [a, b] = [looksLikeJwt(first), looksLikeJwt(second)];
  if (a && b) throw invalid('Both pasted values are JWTs: the second must be the refresh token (a short string without dots), not a JWT');
  // Either order: the access token is the JWT.
  return b && !a ? checked(second, first) : checked(first, second);
}

function checked(accessToken: string, refreshToken: string): PastedSession {
  const accessProblem = tokenSyntaxProblem(accessToken);
  if (accessProblem) throw invalid(`The access token is not a valid bearer token (${accessProblem})`);
  const refreshProblem = tokenSyntaxProblem(refreshToken);
  if (refreshProblem) throw invalid(`The refresh token is not a valid bearer token (${refreshProblem})`);
  const decoded = decodeJwt(accessToken);
  if (!decoded) throw invalid('The access token is not a JWT (a Supabase access token has three parts separated by dots)');
  const claims = decoded.claims;
  // The anon key is a JWT too (role anon, no sub): a common thing to grab by mistake from the same page.
  if (claims.sub === undefined && claims.role === 'anon') {
    throw invalid("The access token is the project's anon key, not a signed-in user's token");
  }
  if (typeof claims.sub !== 'string' || !claims.sub) throw invalid('The access token names no user (its JWT has no sub claim)');
  if (looksLikeJwt(refreshToken)) throw invalid('The refresh token is a JWT: a Supabase refresh token is a short string without dots');
  return { accessToken, refreshToken, claims };
}

function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
