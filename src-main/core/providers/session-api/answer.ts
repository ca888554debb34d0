import type { SessionMapField } from '../../../contract/providers.js';
import { TokenDeskError } from '../../errors.js';
import { nonJsonError } from '../../http/body.js';
import type { HttpResponse } from '../../http/types.js';
import { tokenSyntaxProblem } from '../token-syntax.js';
import type { Account, Profile } from '../types.js';
import { describeValue, lookupPath, readExpiry, type ExpiryReading } from './mapping.js';

/**
 * An answer read through the user's mappings (settings.ts `map`). A mapped field that finds nothing
 * or the wrong kind of value is a `bad_response` naming the field and the path, never the value (it
 * may be the token). Unmapped fields are read where seed 003 puts them: token, expires and userId
 * must be found there; the rest are taken only when well formed (a guess at a path the user did not
 * name must not refuse their API), else email falls back to what the user typed and lists are empty.
 */

export type Mapping = Partial<Record<SessionMapField, string>>;

/** Where seed 003 keeps each field: read when the user mapped some fields but not this one. */
export const SEED_PATHS: Readonly<Record<SessionMapField, string>> = {
  token: 'token',
  expires: 'expiresAt',
  userId: 'id',
  email: 'email',
  accounts: 'accounts',
  roles: 'flatRolesList',
  permissions: 'flatPermissionsList',
};

/** Which answer is read, for the message: the login's (nothing stored) or the session path's (nothing changed). */
export type AnswerKind = 'sign-in' | 'session';

class Reader {
  constructor(
    private readonly json: unknown,
    private readonly map: Mapping,
    private readonly kind: AnswerKind,
    private readonly status: number,
  ) {}

  private where(field: SessionMapField): string {
    return this.map[field] !== undefined ? `(the ${field} mapping)` : `(where ${field} is read without a mapping)`;
  }

  fail(field: SessionMapField, what: string): TokenDeskError {
    const path = this.path(field);
    const after = this.kind === 'sign-in' ? 'nothing was stored' : 'nothing was changed';
    return new TokenDeskError('bad_response', `The ${this.kind} answer has ${what} at ${path} ${this.where(field)}: ${after}`, { status: this.status });
  }

  path(field: SessionMapField): string {
    return this.map[field] ?? SEED_PATHS[field];
  }

  mapped(field: SessionMapField): boolean {
    return this.map[field] !== undefined;
  }

  /** The value for `field`; a field that must be there and is not is an error. */
  get(field: SessionMapField, required: boolean): { found: true; value: unknown } | { found: false } {
    const r = lookupPath(this.json, this.path(field));
    if (!r.found && (required || this.mapped(field))) throw this.fail(field, 'nothing');
    return r;
  }
}

function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A list of names: strings, or objects with a `name` (`roles: [{"name": "admin"}]`). */
function namesOf(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const item of v) {
    const name = typeof item === 'string' ? item : item && typeof item === 'object' ? (item as Record<string, unknown>).name : undefined;
    if (typeof name !== 'string') return undefined;
    out.push(name);
  }
  return out;
}

/** Accounts as seed 003 writes them (accountId, accountName, usersPrimaryAccount) or plainly (id, name, primary), or bare ids. */
function accountsOf(v: unknown): Account[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: Account[] = [];
  for (const item of v) {
    const simple = idOf(item);
    if (simple !== undefined) {
      out.push({ id: simple, name: simple, primary: false });
      continue;
    }
    if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
    const o = item as Record<string, unknown>;
    const id = idOf(o.accountId) ?? idOf(o.id);
    if (id === undefined) return undefined;
    const name = [o.accountName, o.name].find((n): n is string => typeof n === 'string' && n.trim() !== '') ?? id;
    const account: Account = { id, name, primary: (o.usersPrimaryAccount ?? o.primary) === true };
    if (typeof o.internalUser === 'boolean') account.internalUser = o.internalUser;
    out.push(account);
  }
  return out;
}

/** The profile fields of an answer; `typedEmail` is the label when the answer names none (unmapped email). */
export function profileFromMappedAnswer(json: unknown, map: Mapping, kind: AnswerKind, status: number, typedEmail: string): Profile {
  const r = new Reader(json, map, kind, status);
  const idFound = r.get('userId', true);
  const userId = idFound.found ? idOf(idFound.value) : undefined;
  if (userId === undefined) throw r.fail('userId', idFound.found ? `${describeValue(idFound.value)}, not an id,` : 'nothing');

  const emailFound = r.get('email', false);
  let email = typedEmail;
  if (emailFound.found) {
    if (typeof emailFound.value === 'string') email = emailFound.value;
    else if (r.mapped('email')) throw r.fail('email', `${describeValue(emailFound.value)}, not an email,`);
  }

  const list = <T>(field: SessionMapField, read: (v: unknown) => T[] | undefined, what: string): T[] => {
    const found = r.get(field, false);
    if (!found.found) return [];
    const v = read(found.value);
    if (v !== undefined) return v;
    if (r.mapped(field)) throw r.fail(field, `${describeValue(found.value)}, not ${what},`);
    return [];
  };
  const accounts = list('accounts', accountsOf, 'a list of accounts');
  const profile: Profile = {
    userId,
    email,
    accounts,
    roles: list('roles', namesOf, 'a list of names'),
    permissions: list('permissions', namesOf, 'a list of names'),
    permissionsFromRoles: [],
  };
  const primary = accounts.find((a) => a.primary);
  if (primary) profile.primaryAccountId = primary.id;
  return profile;
}

export interface MappedSignIn {
  token: string;
  /** The expiry as the answer gave it, read (mapping.ts readExpiry); its range is lifetime.ts's to check. */
  expiry: ExpiryReading & { ok: true };
  profile: Profile;
}

/** The JSON object of a 2xx answer, or the error for one that is not: no mapping can read it. */
export function answerObject(res: HttpResponse, kind: AnswerKind): Record<string, unknown> {
  if (res.json === undefined) throw nonJsonError(res);
  if (!res.json || typeof res.json !== 'object' || Array.isArray(res.json)) {
    throw new TokenDeskError('bad_response', `The ${kind} answer is ${describeValue(res.json)}, not a JSON object: nothing was ${kind === 'sign-in' ? 'stored' : 'changed'}`, { status: res.status });
  }
  return res.json as Record<string, unknown>;
}

/** The token, expiry and profile of a login answer read through `map`. `serverNow`: see readExpiry. */
export function signInFromMappedAnswer(res: HttpResponse, map: Mapping, serverNow: number, typedEmail: string): MappedSignIn {
  const json = answerObject(res, 'sign-in');
  const r = new Reader(json, map, 'sign-in', res.status);
  const tokenFound = r.get('token', true);
  if (tokenFound.found && typeof tokenFound.value !== 'string') throw r.fail('token', `${describeValue(tokenFound.value)}, not a token,`);
  const token = (tokenFound as { value: string }).value;
  const problem = tokenSyntaxProblem(token);
  if (problem) throw r.fail('token', `a value that is not a valid bearer token (${problem})`);

  const expiresFound = r.get('expires', true) as { found: true; value: unknown };
  const expiry = readExpiry(expiresFound.value, serverNow);
  if (!expiry.ok) throw r.fail('expires', `${expiry.problem}, not a time or a number of seconds,`);

  return { token, expiry, profile: profileFromMappedAnswer(json, map, 'sign-in', res.status, typedEmail) };
}
