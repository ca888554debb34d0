import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src-main/core/http/types.js';
import { bearerTokenSchema, isBearerToken, MAX_TOKEN_CHARS, parseTokenAnswer, tokenSyntaxProblem } from '../../src-main/core/providers/token-syntax.js';

const res = (json: unknown): HttpResponse => ({ status: 200, headers: {}, json, text: JSON.stringify(json) });

describe('bearer token syntax (RFC 6750 b64token)', () => {
  it('accepts the tokens real servers issue', () => {
    for (const t of [
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl', // JWT
      'e9f753d94b5eba91aabaa2dc8206d7dc03d29056abcda037acb4f2f56c6bc3c5', // hex session token
      'abcdefghij12', // GoTrue refresh token
      'YWJj+/~-._==', // base64 with padding and every allowed symbol
      'a'.repeat(MAX_TOKEN_CHARS),
    ]) {
      expect(tokenSyntaxProblem(t), t.slice(0, 20)).toBeUndefined();
      expect(isBearerToken(t)).toBe(true);
    }
  });

  it('names what is wrong with anything that would break or inject into a header', () => {
    expect(tokenSyntaxProblem('abc\r\nX-Injected: 1')).toBe('it contains a line break');
    expect(tokenSyntaxProblem('abc\ndef')).toBe('it contains a line break');
    expect(tokenSyntaxProblem('abc def')).toBe('it contains a space');
    expect(tokenSyntaxProblem('abc\tdef')).toBe('it contains a space');
    expect(tokenSyntaxProblem('abc\u001b[2J')).toBe('it contains a control character');
    expect(tokenSyntaxProblem('abc\u0000')).toBe('it contains a control character');
    expect(tokenSyntaxProblem('ab=c')).toBe('it has "=" before its end');
    expect(tokenSyntaxProblem('abc"def')).toBe('it contains a character a bearer token cannot have');
    expect(tokenSyntaxProblem('abc,def')).toBe('it contains a character a bearer token cannot have');
    expect(tokenSyntaxProblem('tokén')).toBe('it contains a character a bearer token cannot have');
    expect(tokenSyntaxProblem('=')).toBe('it contains a character a bearer token cannot have');
    expect(tokenSyntaxProblem('')).toBe('it is empty');
    expect(tokenSyntaxProblem('a'.repeat(MAX_TOKEN_CHARS + 1))).toBe('it is longer than 16 KiB');
    expect(isBearerToken(42)).toBe(false);
  });

  it('parseTokenAnswer gives its own message for a bad token, and parseBody\'s for anything else', () => {
    const schema = z.looseObject({ access_token: bearerTokenSchema('an access token'), expires_in: z.number() });
    expect(() => parseTokenAnswer(res({ access_token: 'a b', expires_in: 1 }), schema, 'sign-in')).toThrow(
      expect.objectContaining({
        code: 'bad_response',
        message: 'The server sent an access token that is not a valid bearer token (it contains a space); nothing was stored',
      }),
    );
    // A token of the wrong type still reads "expected string", like every other field.
    expect(() => parseTokenAnswer(res({ access_token: 7, expires_in: 1 }), schema, 'sign-in')).toThrow(
      expect.objectContaining({ message: 'The server sent an unexpected answer to sign-in (access_token: expected string)' }),
    );
    expect(() => parseTokenAnswer(res({ access_token: 'ok', expires_in: 'x' }), schema, 'sign-in')).toThrow(
      expect.objectContaining({ message: 'The server sent an unexpected answer to sign-in (expires_in: expected number)' }),
    );
    // Never the token itself in the message.
    const thrown = (() => {
      try {
        parseTokenAnswer(res({ access_token: 'SECRETPART\nX-Evil: 1', expires_in: 1 }), schema, 'sign-in');
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(thrown?.message).toMatch(/line break/);
    expect(thrown?.message).not.toContain('SECRETPART');
    expect(parseTokenAnswer(res({ access_token: 'ok', expires_in: 1 }), schema, 'sign-in')).toEqual({ access_token: 'ok', expires_in: 1 });
  });
});
