import type { Environment } from '../config/schema.js';
import { looksLikeSecret } from '../config/secret-guard.js';
import { secretKeys } from '../secrets/types.js';
import { TokenDeskError } from '../errors.js';

/** The names EnvironmentSchema accepts (config keys, Postman keys, `TOKENDESK_…` in exec). */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export const MAX_VARIABLE_NAME = 100;
/** Longer than any real key or password; the keychain and the config file both stay small. */
export const MAX_SECRET_VARIABLE = 8192;

/**
 * Names that do not survive a trip through plain JavaScript objects: `__proto__` is dropped by
 * JSON-to-object copies (or replaces the prototype), `constructor` and `prototype` read as inherited
 * members wherever a map is an ordinary object. Refused everywhere a variable name comes in.
 */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** A name as it can be shown: quoted, control characters escaped (it may come from a file). */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
}

/** Why a variable name cannot be stored, or undefined when it can. */
export function variableNameProblem(name: string): string | undefined {
  if (RESERVED.has(name)) return 'the name is reserved by JavaScript and cannot be stored safely; choose another name';
  if (name.length > MAX_VARIABLE_NAME) return `names are at most ${MAX_VARIABLE_NAME} characters`;
  if (!VARIABLE_NAME.test(name)) return 'variable names start with a letter or _ and use letters, digits, _ . -';
  return undefined;
}

/** Same wording as the schema's own messages (environments/service.ts issueText): `variable NAME: why`. */
export function assertVariableName(name: string): void {
  const problem = variableNameProblem(name);
  const shown = /^[\x21-\x7e]{1,60}$/.test(name) ? name : quoteName(name);
  if (problem) throw new TokenDeskError('invalid_input', `Invalid environment: variable ${shown}: ${problem}`);
}

/** A map without a prototype: no name (`toString`, `constructor`…) ever reads an inherited member. */
export function variableMap(from?: Record<string, string> | Iterable<readonly [string, string]>): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (!from) return out;
  const entries = Symbol.iterator in from ? (from as Iterable<readonly [string, string]>) : Object.entries(from);
  for (const [k, v] of entries) out[k] = v;
  return out;
}

export function hasVariable(map: Record<string, string>, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, name);
}

export interface SplitVariables {
  /** Written to config.json. */
  plain: Record<string, string>;
  /** Kept in the keychain; config.json lists the names only. */
  secret: Map<string, string>;
}

/**
 * Which variables may go to the plain config file. A value that looks like a credential (by name or
 * by shape, config/secret-guard.ts) goes to the keychain, as does everything in `forcedSecret` (a
 * Postman "secret" typed value). An empty value holds nothing, so it stays plain.
 */
export function splitVariables(vars: Record<string, string> | undefined, forcedSecret?: Record<string, string>): SplitVariables {
  const plain = variableMap();
  const secret = new Map<string, string>();
  for (const [name, value] of Object.entries(vars ?? {})) {
    assertVariableName(name);
    if (value !== '' && looksLikeSecret(name, value)) secret.set(name, value);
    else plain[name] = value;
  }
  for (const [name, value] of Object.entries(forcedSecret ?? {})) {
    assertVariableName(name);
    if (value === '') continue;
    secret.set(name, value);
    delete plain[name];
  }
  for (const [name, value] of secret) {
    if (value.length > MAX_SECRET_VARIABLE) {
      throw new TokenDeskError('invalid_input', `The variable ${quoteName(name)} is longer than ${MAX_SECRET_VARIABLE} characters`);
    }
  }
  return { plain, secret };
}

/** The stored values of an environment's secret variables, from one `SecretStore.loadAll()` answer. */
export function secretVariableValues(env: Pick<Environment, 'id' | 'secretVariables'>, all: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of env.secretVariables ?? []) {
    const value = all.get(secretKeys.variable(env.id, name));
    if (value !== undefined) out.set(name, value);
  }
  return out;
}
