/**
 * Field rules shared by the main process (EnvironmentService, the CLI) and the renderer's form, so a
 * value one accepts the other accepts too. Plain TypeScript importing only the pure-data provider
 * catalogue: the page bundles it without zod or Node. Each problem names its field; messages start lower-case so a caller can
 * prefix them ("URL: …") or show them under the field as they are.
 */
import { PROVIDERS, type ProviderKind } from './providers.js';
import type { AccountTransport } from './types.js';

export type EnvironmentField = 'name' | 'baseUrl' | 'anonKey' | 'apiKey' | 'accountTransport';

/** The label of each field as the form and the CLI show it. */
export const FIELD_LABELS: Readonly<Record<EnvironmentField, string>> = {
  name: 'name',
  baseUrl: 'URL',
  anonKey: 'anon key',
  apiKey: 'API key',
  accountTransport: 'account header/parameter',
};

export type FieldCheck<T = string> =
  | { ok: true; value: T }
  | {
      ok: false;
      field: EnvironmentField;
      message: string;
      /** A corrected value the form can offer ("Use https://abc.supabase.co"), when there is an obvious one. */
      suggestion?: string;
    };

/**
 * The base URL of an environment: http(s), a host, no user name or password (a secret that would be
 * stored in config.json and shown everywhere), no space, query or fragment, and no path the provider
 * adds itself. Trailing slashes are dropped. Refused rather than silently fixed: the suggestion says
 * what would work.
 */
export function checkBaseUrl(raw: string, provider?: ProviderKind, settings?: Readonly<Record<string, string>>): FieldCheck {
  const fail = (message: string, suggestion?: string): FieldCheck => ({
    ok: false,
    field: 'baseUrl',
    message,
    ...(suggestion !== undefined && { suggestion }),
  });
  const v = raw.trim();
  if (v === '') return fail('enter the base URL, e.g. https://abcd.supabase.co or http://localhost:3000');
  if (v.includes('<')) return fail('replace the <placeholder> with your own value');
  if (/\s/.test(v)) return fail('the URL contains a space or a line break; remove it (a space in a URL is written %20)');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return fail('enter an http(s) URL such as https://api.example.com');
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') {
    return fail('enter an http(s) URL such as https://api.example.com');
  }
  if (u.username !== '' || u.password !== '') {
    // Never echo the URL: the part being refused is a password.
    u.username = '';
    u.password = '';
    return fail(
      'the URL contains a user name or password (user:password@…). That is a secret: it would be stored in the configuration file and shown in the app and in status. Remove it; keys go in the anon key or API key fields',
      stripSlashes(u.href),
    );
  }
  if (u.search !== '' || u.hash !== '' || v.endsWith('?') || v.endsWith('#')) {
    u.search = '';
    u.hash = '';
    return fail('the URL has a query (?…) or a fragment (#…); give the base URL only', stripSlashes(u.href));
  }
  const value = stripSlashes(v);
  if (provider) {
    // The paths TokenDesk adds itself (catalogue `addedPaths`): left in, every endpoint 404s.
    const rule = PROVIDERS[provider].addedPaths;
    const path = new URL(value).pathname;
    const custom = customPaths(provider, rule.unlessSet, settings);
    const own = custom.find((p) => path.replace(/\/+$/, '').toLowerCase().endsWith(p.toLowerCase()));
    if (own !== undefined) {
      const fixed = new URL(value);
      fixed.pathname = path.replace(/\/+$/, '').slice(0, -own.length) || '/';
      const suggestion = stripSlashes(fixed.href);
      return fail(`the URL ends in ${own}, a path TokenDesk adds itself (the environment's settings name it): give the API root, e.g. ${suggestion}`, suggestion);
    }
    // With paths of the user's own, the default ones say nothing about the base URL (`/api` may be theirs).
    const m = custom.length > 0 ? null : rule.pattern.exec(path);
    if (m) {
      const fixed = new URL(value);
      fixed.pathname = path.slice(0, m.index) || '/';
      const suggestion = stripSlashes(fixed.href);
      return fail(`the URL ends in ${m[0]}: give ${rule.what}, e.g. ${suggestion}`, suggestion);
    }
  }
  return { ok: true, value };
}

/** The values of `names` (path settings) that differ from their catalogue default, without trailing slashes. */
function customPaths(provider: ProviderKind, names: readonly string[] | undefined, settings: Readonly<Record<string, string>> | undefined): string[] {
  if (!names || !settings) return [];
  const out: string[] = [];
  for (const info of PROVIDERS[provider].settings) {
    if (!names.includes(info.name) || !Object.prototype.hasOwnProperty.call(settings, info.name)) continue;
    const v = (settings[info.name] ?? '').trim().replace(/\/+$/, '');
    if (v !== '' && v !== info.defaultValue?.replace(/\/+$/, '')) out.push(v);
  }
  return out;
}

/** The sentence the form shows under the URL and the CLI prints on stderr for a plain-http URL to another machine. */
export const PLAIN_HTTP_WARNING = 'Plain http: tokens would travel unencrypted to a non-local host';

/**
 * A warning, not a refusal: plain http to this machine (a local server, the demo) is normal, and a
 * team's test server on http is the user's call. Local means localhost, loopback, *.local and *.test.
 */
export function plainHttpWarning(baseUrl: string): string | undefined {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    return undefined; // not a URL: checkBaseUrl says so
  }
  if (u.protocol !== 'http:') return undefined;
  const h = u.hostname;
  const local = h === 'localhost' || h === '127.0.0.1' || h === '[::1]' || h.endsWith('.local') || h.endsWith('.test');
  return local ? undefined : PLAIN_HTTP_WARNING;
}

function stripSlashes(s: string): string {
  return s.replace(/\/+$/, '');
}

/** A header or query parameter name (RFC 9110 token characters), bounded. */
const TOKEN_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Headers TokenDesk already sets, or that would break the request if repeated. */
const RESERVED_HEADERS = new Set(['authorization', 'apikey', 'x-api-key', 'host', 'content-length', 'content-type', 'cookie']);

/** How the active tenant account travels: `{kind:'header', name:'X-Account-Id'}`, a query parameter, or not at all. */
export function checkAccountTransport(t: AccountTransport): FieldCheck<AccountTransport> {
  if (t.kind === 'none') return { ok: true, value: { kind: 'none' } };
  const name = t.name.trim();
  const what = t.kind === 'header' ? 'header' : 'query parameter';
  if (!TOKEN_NAME.test(name)) {
    return {
      ok: false,
      field: 'accountTransport',
      message: `the account ${what} name must be 1–100 letters, digits or - _ . (e.g. ${t.kind === 'header' ? 'X-Account-Id' : 'accountId'})`,
    };
  }
  if (t.kind === 'header' && RESERVED_HEADERS.has(name.toLowerCase())) {
    return { ok: false, field: 'accountTransport', message: `the account header cannot be ${name}: TokenDesk or HTTP already sets it` };
  }
  return { ok: true, value: { kind: t.kind, name } };
}

function jwtRole(key: string): string | undefined {
  try {
    const part = key.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const role = (JSON.parse(json) as { role?: unknown }).role;
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PUBLISHABLE = /^sb_publishable_[A-Za-z0-9_-]+$/;

/** The anon key's shape: a JWT (three base64url segments) or a new-style sb_publishable_ key; never a service or secret key. */
export function checkAnonKey(raw: string): FieldCheck {
  const k = raw.trim();
  const fail = (message: string): FieldCheck => ({ ok: false, field: 'anonKey', message });
  if (k === '') return fail('a Supabase environment needs its anon key (the gateway rejects requests without one)');
  if (/\s/.test(k)) return fail('the anon key cannot contain spaces or line breaks');
  if (k.length > 8192) return fail('the anon key is longer than 8192 characters');
  if (k.startsWith('sb_secret_')) return fail('this is a secret key (sb_secret_…): paste the publishable or anon key instead');
  if (PUBLISHABLE.test(k)) return { ok: true, value: k };
  if (!JWT_SHAPE.test(k)) return fail('an anon key is a JWT (three base64url parts separated by dots) or an sb_publishable_… key');
  if (jwtRole(k) === 'service_role') return fail('this is the service_role key: it bypasses row level security. Paste the anon key instead');
  return { ok: true, value: k };
}

/** An X-API-Key value: one non-empty word. */
export function checkApiKey(raw: string): FieldCheck {
  const k = raw.trim();
  if (k === '' || /\s/.test(k) || k.length > 8192) {
    return { ok: false, field: 'apiKey', message: 'the API key must be a single non-empty value without spaces or line breaks' };
  }
  return { ok: true, value: k };
}

/** "URL: the URL contains a space…": a problem with its field named, for one-line messages (CLI, errors). */
export function describeProblem(p: { field: EnvironmentField; message: string }): string {
  return `${FIELD_LABELS[p.field]}: ${p.message}`;
}

/**
 * Whether re-pointing an environment from `from` to `to` sends its credentials to another server: a
 * different origin (scheme, host or port, compared as browsers do: `https://a` and `https://A:443/`
 * are one origin; RFC 6454). A change of path alone stays with the same server and keeps its sessions.
 * A value that is no URL counts as a change: the safe side. The one rule the core, the CLI and the form use.
 */
export function changesOrigin(from: string, to: string): boolean {
  const origin = (u: string): string | undefined => {
    try {
      return new URL(u.trim()).origin;
    } catch {
      return undefined;
    }
  };
  const a = origin(from);
  return a === undefined || a !== origin(to);
}
