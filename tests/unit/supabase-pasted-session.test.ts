import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { assertIssuer } from '../../src-main/core/providers/supabase/browser-session.js';
import { parsePastedSession } from '../../src-main/core/providers/supabase/pasted-session.js';

const key = new TextEncoder().encode('a-test-secret-of-at-least-32-bytes!!');
const jwt = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
const REFRESH = 'abcdefghij12';

function refused(paste: string): TokenDeskError {
  try {
    parsePastedSession(paste);
  } catch (e) {
    expect(e).toBeInstanceOf(TokenDeskError);
    expect((e as TokenDeskError).code).toBe('invalid_input');
    return e as TokenDeskError;
  }
  throw new Error('expected a refusal');
}

describe('parsePastedSession: what a user copies out of a browser', () => {
  it('reads the forms a browser shows besides the session JSON itself', async () => {
    const access = await jwt({ sub: 'u-1', iss: 'https://ref.supabase.co/auth/v1', exp: 2_000_000_000 });
    const session = JSON.stringify({ access_token: access, refresh_token: REFRESH, expires_at: 1, token_type: 'bearer', user: { id: 'u-1' } });
    const forms = [
      session,
      // A cookie shown still URL-encoded (cookie.serialize encodes the value).
      encodeURIComponent(session),
      // DevTools' "Copy value" of an item holding a JSON string.
      JSON.stringify(session),
      JSON.stringify({ session: JSON.parse(session) as unknown }),
      // The refresh token first: the JWT is the access token whichever comes first.
      `${REFRESH}   ${access}`,
      `  ${access}\r\n${REFRESH}\r\n`,
    ];
    for (const form of forms) {
      expect(parsePastedSession(form), form.slice(0, 20)).toMatchObject({ accessToken: access, refreshToken: REFRESH, claims: { sub: 'u-1' } });
    }
  });

  it('names what is wrong, never the value', async () => {
    const access = await jwt({ sub: 'u-1', exp: 2_000_000_000 });
    const cases: Array<[string, RegExp]> = [
      [`${access} ${access}`, /Both pasted values are JWTs/],
      [JSON.stringify({ access_token: access, refresh_token: access }), /The refresh token is a JWT/],
      [JSON.stringify({ currentSession: null, expiresAt: 1 }), /holds no session/],
      [JSON.stringify({ access_token: 42, refresh_token: REFRESH }), /access_token in the pasted JSON is not a string/],
      [JSON.stringify([access, REFRESH]), /not a JSON object/],
      [`${'['.repeat(200)}${']'.repeat(200)}`, /not a JSON object|nested too deeply/],
      [`{"access_token":${'['.repeat(200)}${']'.repeat(200)}}`, /nested too deeply/],
      [`${await jwt({ exp: 2_000_000_000 })} ${REFRESH}`, /names no user/],
      ['%7B%E0%A4%A', /not valid URL encoding/],
      [`${access} ${REFRESH}\u0007x`, /The refresh token is not a valid bearer token \(it contains a control character\)/],
      ['base64-!!!', /not base64url/],
      [`base64-${Buffer.from('plain text').toString('base64url')}`, /does not decode to a session JSON/],
    ];
    for (const [paste, message] of cases) {
      const e = refused(paste);
      expect(e.message, paste.slice(0, 30)).toMatch(message);
      expect(e.message).not.toContain(access.split('.')[2]);
    }
  });
});

describe("assertIssuer: the token's project is the environment's", () => {
  it("takes this environment's issuer however the URL is written, and a token without one", () => {
    for (const baseUrl of ['https://ref.supabase.co', 'https://REF.supabase.co/', 'https://ref.supabase.co/auth/v1']) {
      expect(() => assertIssuer({ iss: 'https://ref.supabase.co/auth/v1' }, baseUrl)).not.toThrow();
      expect(() => assertIssuer({ iss: 'https://ref.supabase.co/auth/v1/' }, baseUrl)).not.toThrow();
    }
    // A self-hosted GoTrue without GOTRUE_JWT_ISSUER writes no iss: the server decides.
    expect(() => assertIssuer({}, 'https://ref.supabase.co')).not.toThrow();
    // Behind a custom domain a hosted project keeps its supabase.co issuer (supabase/auth#2486).
    expect(() => assertIssuer({ iss: 'https://ref.supabase.co/auth/v1' }, 'https://api.example.com')).not.toThrow();
    // Only its own issuer counts as verified: the others are left to the server, which is asked
    // before any refresh token is sent (review: another hosted project's refresh token sent here).
    expect(assertIssuer({ iss: 'https://ref.supabase.co/auth/v1' }, 'https://ref.supabase.co')).toBe(true);
    expect(assertIssuer({ iss: 'https://ref.supabase.co/auth/v1' }, 'https://api.example.com')).toBe(false);
    expect(assertIssuer({}, 'https://ref.supabase.co')).toBe(false);
    expect(() => assertIssuer({ iss: 'https://evil.example.net/auth/v1' }, 'https://api.example.com')).toThrow('belongs to another project');
  });

  it('refuses another project, another port or path, and an issuer that is not a URL', () => {
    const cases: Array<[unknown, string]> = [
      ['https://other.supabase.co/auth/v1', 'issuer https://other.supabase.co/auth/v1'],
      ['http://127.0.0.1:54321/auth/v1', 'issuer http://127.0.0.1:54321/auth/v1'],
      ['https://ref.supabase.co/auth/v2', 'issuer https://ref.supabase.co/auth/v2'],
      ['supabase', 'issuer supabase'],
      [42, 'issuer (not a text: number)'],
      ['evil\u001b[2J', 'issuer evil'],
    ];
    for (const [iss, shown] of cases) {
      expect(() => assertIssuer({ iss }, 'https://ref.supabase.co')).toThrow(
        `This session belongs to another project (${shown}`,
      );
    }
  });
});
