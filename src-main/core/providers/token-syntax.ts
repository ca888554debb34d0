import { z } from 'zod';
import { TokenDeskError } from '../errors.js';
import { parseBody } from '../http/body.js';
import type { HttpResponse } from '../http/types.js';
import { B64TOKEN, MAX_TOKEN_CHARS } from '../stored-rules.js';

/**
 * Every token TokenDesk stores is later pasted into an `Authorization: Bearer …` header (`tokendesk
 * header`, `$(tokendesk token)` in curl, exports). A server that hands out a "token" with a space or a
 * line break would inject text into those headers, so tokens must be RFC 6750 `b64token`s:
 * 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". JWTs, GoTrue refresh tokens and
 * hex session tokens all are.
 */

// The limit and the syntax are stored-rules.ts's, shared with the `token` fast path.
export { MAX_TOKEN_CHARS };

/** Why `value` is not a bearer token, in words ("it contains a line break"), or undefined when it is one. */
export function tokenSyntaxProblem(value: string): string | undefined {
  if (value.length === 0) return 'it is empty';
  if (value.length > MAX_TOKEN_CHARS) return `it is longer than ${MAX_TOKEN_CHARS / 1024} KiB`;
  if (B64TOKEN.test(value)) return undefined;
  if (/[\r\n]/.test(value)) return 'it contains a line break';
  if (/\s/.test(value)) return 'it contains a space';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return 'it contains a control character';
  if (/=[^=]/.test(value)) return 'it has "=" before its end';
  return 'it contains a character a bearer token cannot have';
}

export function isBearerToken(value: unknown): value is string {
  return typeof value === 'string' && tokenSyntaxProblem(value) === undefined;
}

/** The custom issue's marker, so parseTokenAnswer can tell a bad token from any other bad field. */
const MARK = 'tokendesk_bearer_token';

/**
 * A zod string that must be a bearer token; `what` names it in the message ("an access token").
 * The type check runs first, so a number still reads "expected string".
 */
export function bearerTokenSchema(what: string) {
  return z.string().superRefine((value, ctx) => {
    const problem = tokenSyntaxProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a valid bearer token (${problem})`, params: { [MARK]: what, problem } });
  });
}

/**
 * parseBody for answers that carry tokens: a token that fails the syntax gets its own message, naming
 * the token and the problem (never the token itself); any other problem reads as parseBody's does.
 */
export function parseTokenAnswer<S extends z.ZodType>(res: HttpResponse, schema: S, operation: string): z.output<S> {
  if (res.json !== undefined) {
    const parsed = schema.safeParse(res.json);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const params = issue.code === 'custom' ? (issue.params as Record<string, unknown> | undefined) : undefined;
      const what = params?.[MARK];
      if (typeof what === 'string') {
        throw new TokenDeskError(
          'bad_response',
          `The server sent ${what} that is not a valid bearer token (${String(params?.problem)}); nothing was stored`,
          { status: res.status },
        );
      }
    }
  }
  return parseBody(res, schema, operation);
}
