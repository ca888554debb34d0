import { TokenDeskError } from '../errors.js';

/**
 * A reference to a value TokenDesk holds, written where a secret would otherwise be pasted (an env
 * file for `exec --envfile`, a template for `inject`), like 1Password's `op://vault/item/field`:
 *
 *   tokendesk://ENVIRONMENT/FIELD[?identity=ID | ?email=EMAIL]
 *
 * ENVIRONMENT is a name (any case, spaces allowed) or id; it may hold `/`, since the field is the last
 * segment. `%XX` escapes are decoded in both parts (`%2F`, `%3F`, `%25`), for the rare name holding `?`.
 * FIELD is one of FIELDS, or the name of an exported variable (resolve.ts).
 */
export interface Reference {
  /** The reference as written, for messages (it holds no secret). */
  text: string;
  env: string;
  field: string;
  /** An identity by id or email (the core takes either); the environment's active one when absent. */
  who?: string;
}

export const SCHEME = 'tokendesk://';

/** The fields every environment has; any other field names an exported variable. */
export const FIELDS = {
  token: 'the access token, renewed first when inside the margin',
  header: 'the value of the header that carries the token (Bearer …, or the environment\'s own header)',
  headers: 'every header line a request needs, one per line (like tokendesk header)',
  refresh_token: 'the refresh token (single-use: a tool that spends it ends TokenDesk\'s session)',
} as const;

export function isReference(value: string): boolean {
  return value.trimStart().startsWith(SCHEME);
}

function decode(part: string, ref: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new TokenDeskError('invalid_input', `${ref}: a % in it is not a valid escape (write %25 for a % sign)`);
  }
}

/** Parses one reference; a malformed one is an `invalid_input` error quoting it and saying what is wrong. */
export function parseReference(raw: string): Reference {
  const text = raw.trim();
  if (!text.startsWith(SCHEME)) throw new TokenDeskError('invalid_input', `"${text}" is not a reference: it must start with ${SCHEME}`);
  const q = text.indexOf('?');
  const path = text.slice(SCHEME.length, q === -1 ? undefined : q);
  const query = q === -1 ? '' : text.slice(q + 1);
  const slash = path.lastIndexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw new TokenDeskError('invalid_input', `${text}: write ${SCHEME}ENVIRONMENT/FIELD, e.g. ${SCHEME}staging/token`);
  }
  const env = decode(path.slice(0, slash), text).trim();
  const field = decode(path.slice(slash + 1), text).trim();
  if (env === '' || field === '') throw new TokenDeskError('invalid_input', `${text}: the environment and the field must not be empty`);
  const ref: Reference = { text, env, field };
  if (query !== '') {
    const params = new URLSearchParams(query);
    for (const key of params.keys()) {
      if (key !== 'identity' && key !== 'email') throw new TokenDeskError('invalid_input', `${text}: unknown option "${key}" (use ?identity=ID or ?email=EMAIL)`);
    }
    const chosen = [...params.entries()];
    if (chosen.length > 1) throw new TokenDeskError('invalid_input', `${text}: give one of ?identity= or ?email=, once`);
    const who = chosen[0]?.[1].trim() ?? '';
    if (who === '') throw new TokenDeskError('invalid_input', `${text}: ?${chosen[0]?.[0] ?? 'identity'}= needs a value`);
    ref.who = who;
  }
  return ref;
}
