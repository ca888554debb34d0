import { PROVIDERS, SESSION_MAP_FIELDS, type SessionMapField } from '../../../contract/providers.js';
import { TokenDeskError } from '../../errors.js';
import { dotPathProblem } from './mapping.js';

/**
 * The session API's own settings (catalogue `session.settings`), read from `ctx.settings` and checked
 * again here: config.json can be edited by hand, and a bad value must fail with its name before any
 * request, not as a 404 or a strange body. Absent settings are the catalogue's defaults (seed 003).
 */
export interface SessionApiSettings {
  loginPath: string;
  sessionPath: string;
  logoutPath: string;
  identifierField: string;
  passwordField: string;
  /** The user's mappings only; empty means the answer is read as seed 003's document. */
  map: Partial<Record<SessionMapField, string>>;
}

const INFO = Object.fromEntries(PROVIDERS.session.settings.map((s) => [s.name, s]));

function defaultOf(name: string): string {
  const v = INFO[name]?.defaultValue;
  if (v === undefined) throw new Error(`the catalogue has no default for the session setting ${name}`);
  return v;
}

function bad(name: string, problem: string): TokenDeskError {
  return new TokenDeskError('invalid_input', `The session API's ${INFO[name]?.label.toLowerCase() ?? name} setting ${problem}; edit the environment`);
}

/** Why `path` cannot be an endpoint path, or undefined: it starts with /, and has no space, `..`, query or fragment. */
export function endpointPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with /';
  if (path.length > 200) return 'is longer than 200 characters';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s\u0000-\u001f\u007f]/.test(path)) return 'has a space or a control character';
  if (/[?#]/.test(path)) return 'has a query or a fragment (? or #)';
  if (path.split('/').some((s) => s === '..' || s === '.')) return 'has a . or .. part';
  return undefined;
}

/** Why `name` cannot be a JSON field name of the login body, or undefined. */
export function bodyFieldProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (name.length > 100) return 'is longer than 100 characters';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'has a control character';
  if (name === '__proto__') return 'cannot be __proto__';
  return undefined;
}

/** `token=data.accessToken` lines (blank lines skipped) into a map; an unknown field or a repeated one is refused. */
export function parseMappings(text: string): Partial<Record<SessionMapField, string>> {
  const map: Partial<Record<SessionMapField, string>> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw bad('map', `has a line without "=" (write FIELD=PATH, e.g. token=data.accessToken)`);
    const field = line.slice(0, eq).trim();
    const path = line.slice(eq + 1).trim();
    if (!(SESSION_MAP_FIELDS as readonly string[]).includes(field)) {
      throw bad('map', `names "${field.replace(/[^\x20-\x7e]/g, '').slice(0, 40)}", which is not one of ${SESSION_MAP_FIELDS.join(', ')}`);
    }
    const key = field as SessionMapField;
    if (map[key] !== undefined) throw bad('map', `maps ${key} twice`);
    const problem = dotPathProblem(path);
    if (problem) throw bad('map', `has a path for ${key} that is not a dot-path (${problem})`);
    map[key] = path;
  }
  return map;
}

export function readSessionApiSettings(settings: Readonly<Record<string, string>> | undefined): SessionApiSettings {
  // An empty value is the same as none: the form sends "" for a field left blank.
  const get = (name: string): string | undefined => {
    const v = settings && Object.prototype.hasOwnProperty.call(settings, name) ? settings[name]?.trim() : undefined;
    return v === '' ? undefined : v;
  };
  const path = (name: string): string => {
    const v = get(name) ?? defaultOf(name);
    const problem = endpointPathProblem(v);
    if (problem) throw bad(name, problem);
    return v;
  };
  const field = (name: string): string => {
    const v = get(name) ?? defaultOf(name);
    const problem = bodyFieldProblem(v);
    if (problem) throw bad(name, problem);
    return v;
  };
  const out: SessionApiSettings = {
    loginPath: path('loginPath'),
    sessionPath: path('sessionPath'),
    logoutPath: path('logoutPath'),
    identifierField: field('identifierField'),
    passwordField: field('passwordField'),
    map: parseMappings(get('map') ?? ''),
  };
  if (out.identifierField === out.passwordField) throw bad('passwordField', 'is the same as the identifier field');
  return out;
}
