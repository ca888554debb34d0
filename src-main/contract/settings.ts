/**
 * The rules of a provider's declared settings (catalogue `settings`, contract/providers.ts), shared by
 * the core (EnvironmentService, SessionManager), the CLI's generated flags and the renderer's form, so
 * a value one accepts the others accept too. Generic: nothing here names a kind or a setting, except
 * that the two keys that existed before settings were data (anonKey, apiKey) keep their own checks.
 * Pure TypeScript importing only pure-data modules: the page bundles it without zod.
 */
import { identifierFields, PROVIDERS, type ProviderKind, type SettingInfo } from './providers.js';
import type { FlowField, SignInMethodInfo } from './flows.js';
import { checkAnonKey, checkApiKey, FIELD_LABELS } from './validators.js';
import { firstUnsafeCharacter, unsafeCharacterMessage } from './unsafe-text.js';
import { parseAuthParams } from './auth-params.js';

/** A refusal's message starts lower-case without the setting's name; `label` is the name a one-line message puts first (settingProblem). */
export type SettingCheck = { ok: true; value: string } | { ok: false; message: string; label: string };

/** "login path: a path starts with /…": a refusal with the setting named, for one-line messages (CLI, errors). */
export function settingProblem(p: { message: string; label: string }): string {
  return `${p.label}: ${p.message}`;
}

/** "API key (X-API-Key)" -> "API key": the short name of a setting in lists and row labels. */
export function settingShortWords(info: SettingInfo): string {
  return settingWords(info).replace(/\s*\(.*\)$/, '');
}

/** The settings a kind declares, in the form's order. */
export function settingsOf(kind: ProviderKind): readonly SettingInfo[] {
  return PROVIDERS[kind].settings;
}

export function findSetting(declared: readonly SettingInfo[], name: string): SettingInfo | undefined {
  return declared.find((s) => s.name === name);
}

/** "anon key", "API key (X-API-Key)": the label as a sentence says it (an acronym keeps its capitals). */
export function settingWords(info: SettingInfo): string {
  return /^[A-Z][a-z]/.test(info.label) ? info.label[0]!.toLowerCase() + info.label.slice(1) : info.label;
}

/** An HTTP header name is a token (RFC 9110 §5.6.2). */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** A JSON member name as a config writes one: a word, no dot (dots separate a mapping's path). */
const FIELD_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]{0,99}$/;
/** `FIELD=dot.path`: a field name, and a path of member names or array indexes joined by dots. */
const MAPPING_LINE = /^([A-Za-z][A-Za-z0-9_]{0,39})=([A-Za-z0-9_$-]{1,100}(\.[A-Za-z0-9_$-]{1,100}){0,19})$/;
const MAX_TEXT = 4096;

/** The two secrets kept from before settings were data: their own shape checks (supabase anon key, X-API-Key). */
const KNOWN_SECRET_CHECKS: Readonly<Record<string, typeof checkApiKey>> = {
  anonKey: checkAnonKey,
  apiKey: checkApiKey,
};

/**
 * Checks one value of a declared setting and gives it as stored (trimmed; a mapping one `A=B` per
 * line). Messages start lower-case and name the setting, so the CLI and the form show them as they are.
 */
export function checkSetting(info: SettingInfo, raw: string): SettingCheck {
  const fail = (message: string): SettingCheck => ({ ok: false, message, label: settingWords(info) });
  if (info.secret) {
    const known = KNOWN_SECRET_CHECKS[info.name];
    if (known) {
      const r = known(raw);
      return r.ok ? r : { ok: false, message: r.message, label: FIELD_LABELS[r.field] };
    }
    const v = info.multiline ? raw.trim().replace(/\r\n?/g, '\n') : raw.trim();
    if (v === '') return fail('enter a value');
    const max = info.multiline ? 16384 : 8192;
    if (v.length > max) return fail(`the value is longer than ${max} characters`);
    if (!info.multiline && /[\r\n]/.test(v)) return fail('the value cannot contain line breaks');
    return { ok: true, value: v };
  }
  if (info.syntax === 'mapping' || info.repeatable) return checkLines(info, raw, fail);
  const v = raw.trim();
  if (v.length > MAX_TEXT) return fail(`the value is longer than ${MAX_TEXT} characters`);
  const bad = firstUnsafeCharacter(v);
  if (bad) return fail(unsafeCharacterMessage('the value', bad).replace(/^The/, 'the'));
  if (info.choices && v !== '' && !info.choices.includes(v)) return fail(`choose one of ${info.choices.join(', ')}, not "${v}"`);
  switch (info.syntax) {
    case 'port':
      // Any TCP port; 0 would mean "a random one", which is what leaving it unset says.
      if (v !== '' && !(/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535)) return fail(`a port is a number from 1 to 65535, not "${v}"`);
      return { ok: true, value: v };
    case 'url':
      if (v !== '') {
        const why = serverUrlProblem(v);
        if (why) return fail(why);
      }
      return { ok: true, value: v };
    case 'path':
      if (!/^\/[^\s?#]*$/.test(v)) return fail(`a path starts with / and has no space, ? or # (e.g. /api/auth/login), not "${v}"`);
      return { ok: true, value: v };
    case 'header':
      if (!HTTP_TOKEN.test(v)) return fail(`an HTTP header name uses letters, digits and - (e.g. Authorization), not "${v}"`);
      return { ok: true, value: v };
    case 'field':
      if (!FIELD_NAME.test(v)) return fail(`a JSON field name starts with a letter or _ and uses letters, digits, _ and - (no dot), not "${v}"`);
      return { ok: true, value: v };
    case 'list': {
      const names = v.split(/[\s,]+/).filter((n) => n !== '');
      const bad = names.find((n) => !/^[a-z0-9_-]{1,40}$/i.test(n));
      if (bad) return fail(`names separated by commas, each of letters, digits, _ and - (e.g. github, google), not "${bad}"`);
      return { ok: true, value: names.map((n) => n.toLowerCase()).join(', ') };
    }
    case 'query': {
      const q = parseAuthParams(v);
      return q.ok ? { ok: true, value: v.replace(/^\?/, '') } : fail(q.message);
    }
    default:
      return { ok: true, value: v };
  }
}

/** `FIELD=dot.path` lines (or any `A=B` lines of a repeatable setting): blank lines dropped, one FIELD once. */
function checkLines(info: SettingInfo, raw: string, fail: (m: string) => SettingCheck): SettingCheck {
  const lines = raw.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const seen = new Set<string>();
  for (const line of lines) {
    const bad = firstUnsafeCharacter(line);
    if (bad) return fail(unsafeCharacterMessage('the value', bad).replace(/^The/, 'the'));
    const m = info.syntax === 'mapping' ? MAPPING_LINE.exec(line) : /^([^=\s]+)=(.+)$/.exec(line);
    if (!m) {
      return fail(
        info.syntax === 'mapping'
          ? `"${line}" is not FIELD=dot.path (e.g. token=data.accessToken)`
          : `"${line}" is not NAME=VALUE`,
      );
    }
    const field = m[1]!;
    // The provider reads only its declared keys: another one would be silently ignored until a sign-in fails.
    if (info.mappingKeys && !info.mappingKeys.includes(field)) {
      return fail(`"${field}" is not a field that can be mapped; use one of ${info.mappingKeys.join(', ')}`);
    }
    if (seen.has(field)) return fail(`${field} is given twice`);
    seen.add(field);
  }
  const value = lines.join('\n');
  if (value.length > MAX_TEXT) return fail(`the value is longer than ${MAX_TEXT} characters`);
  return { ok: true, value };
}

/** The non-secret settings of a kind with the declared defaults filled in for those the environment does not set. */
export function withDefaults(declared: readonly SettingInfo[], stored: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of declared) {
    if (s.secret) continue;
    const v = Object.prototype.hasOwnProperty.call(stored, s.name) ? stored[s.name] : s.defaultValue;
    if (v !== undefined) out[s.name] = v;
  }
  return out;
}

/** The kinds that declare a flag, for "--login-path is a setting of session environments". */
export function kindsWithFlag(flag: string): ProviderKind[] {
  return (Object.keys(PROVIDERS) as ProviderKind[]).filter((k) => PROVIDERS[k].settings.some((s) => s.flag === flag));
}

/**
 * The fields a method of `kind` asks first, for an environment with these stored settings: the email
 * field becomes a user name when the method's identifier setting (defaults filled) is not `email`.
 */
export function signInFields(kind: ProviderKind, method: SignInMethodInfo, stored: Readonly<Record<string, string>>): readonly FlowField[] {
  if (!method.identifierSetting) return method.fields;
  const v = withDefaults(settingsOf(kind), stored)[method.identifierSetting]?.trim();
  return identifierFields(method.fields, v !== undefined && v !== '' && v !== 'email');
}

/** A host on this machine (localhost, 127.0.0.0/8, ::1): the only place plain http is taken for a server's endpoint. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Why `raw` cannot be an OAuth server's endpoint, or undefined: an absolute https URL, or plain http on
 * this machine only (codes and tokens would cross the network in clear: RFC 6749 §3.1, §10.9).
 */
export function serverUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `not a valid URL: "${raw.slice(0, 80)}"`;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return undefined;
  return `it must use https:// (plain http only on this machine), not ${url.protocol === 'http:' ? url.origin : `"${raw.slice(0, 80)}"`}`;
}
