import { secretLookingName, secretLookingValue } from '../config/secret-guard.js';

/**
 * The secret guard config.json's variables get (config/secret-guard.ts), on every field of a project
 * file, known or not: a committed file is read by everybody with the repository, so what looks like a
 * credential is refused, never moved aside. Returns where the first one is (`environments[0].variables.db_pass`)
 * and why, or undefined. A false positive costs a rename; a false negative publishes a secret.
 */
export function secretInProjectFile(json: unknown): { path: string; why: string } | undefined {
  return walk(json, '');
}

/** Objects whose keys are names the user chose for values (variables): a secret-looking name with a value is a secret. */
const NAMED_VALUES = /(^|\.)variables$/;

function walk(value: unknown, path: string): { path: string; why: string } | undefined {
  if (typeof value === 'string') {
    return secretLookingValue(value) ? { path, why: 'the value looks like a credential (a token, key, password or a URL carrying one)' } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const named = NAMED_VALUES.test(path);
    for (const [key, v] of Object.entries(value)) {
      const here = path === '' ? key : `${path}.${key}`;
      if (named && typeof v === 'string' && v.trim() !== '' && secretLookingName(key)) {
        return { path: here, why: `"${key}" names a secret: list it under secretVariables (its name only) and give its value with "tokendesk env edit"` };
      }
      const found = walk(v, here);
      if (found) return found;
    }
  }
  return undefined;
}
