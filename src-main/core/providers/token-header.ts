import { TokenDeskError } from '../errors.js';

/** RFC 9110 §5.1: a field name is a `token` (tchar+). Anything else would corrupt the request. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const DEFAULT_TOKEN_HEADER = 'Authorization';

/**
 * The header a session's token travels in, for every kind: the environment's `header` setting when
 * its kind declares one (catalogue settings; the pasted-token kind does), else Authorization. With
 * Authorization the value is `Bearer <token>` (RFC 6750 §2.1); any other header (GitLab's
 * PRIVATE-TOKEN, an X-Api-Token…) carries the token alone, as such APIs document.
 */
export function tokenHeader(settings: Readonly<Record<string, string>> | undefined, token: string): { name: string; value: string } {
  const name = (settings?.header ?? '').trim() || DEFAULT_TOKEN_HEADER;
  if (!HEADER_NAME.test(name)) throw new TokenDeskError('invalid_input', `The header setting "${name.slice(0, 40)}" is not an HTTP header name`);
  return { name, value: name.toLowerCase() === 'authorization' ? `Bearer ${token}` : token };
}
