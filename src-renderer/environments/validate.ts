import type { EnvironmentView, ProviderKind } from '../../src-main/contract/types.js';

export interface EnvDraft {
  provider: ProviderKind;
  name: string;
  baseUrl: string;
  anonKey: string;
  apiKey: string;
  removeApiKey: boolean;
  color: string;
  label: string;
  production: boolean;
}

export type DraftErrors = Partial<Record<'name' | 'baseUrl' | 'anonKey' | 'apiKey', string>>;
export type DraftWarnings = Partial<Record<'baseUrl' | 'anonKey', string>>;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PUBLISHABLE = /^sb_publishable_[A-Za-z0-9_-]+$/;

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

/** The anon key's shape: a JWT (three base64url segments) or a new-style sb_publishable_ key. */
export function anonKeyError(key: string): string | undefined {
  const k = key.trim();
  if (/\s/.test(k)) return 'The anon key cannot contain spaces or line breaks';
  if (k.startsWith('sb_secret_')) return 'This is a secret key (sb_secret_…): paste the publishable or anon key instead';
  if (PUBLISHABLE.test(k)) return undefined;
  if (!JWT_SHAPE.test(k)) return 'An anon key is a JWT (three base64url parts separated by dots) or an sb_publishable_… key';
  if (jwtRole(k) === 'service_role') return 'This is the service_role key: it bypasses row level security. Paste the anon key instead';
  return undefined;
}

function looksLocal(url: string): boolean {
  try {
    const h = new URL(url).hostname;
    return h === 'localhost' || h === '127.0.0.1' || h === '[::1]' || h.endsWith('.local') || h.endsWith('.test');
  } catch {
    return true;
  }
}

/** The contract's rules for name and URL (src-main/contract/api.ts), without bundling zod into the page. */
function nameError(name: string): string | undefined {
  const n = name.trim();
  if (!n) return 'Name is required';
  if (n.length > 100) return 'Use at most 100 characters';
  return undefined;
}

function isHttpUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
}

/** Validation as you type. */
export function validateDraft(d: EnvDraft, opts: { editing?: EnvironmentView; existing: EnvironmentView[] }): { errors: DraftErrors; warnings: DraftWarnings } {
  const errors: DraftErrors = {};
  const warnings: DraftWarnings = {};
  const nameErr = nameError(d.name);
  if (nameErr) errors.name = nameErr;
  else if (opts.existing.some((e) => e.id !== opts.editing?.id && e.name.toLowerCase() === d.name.trim().toLowerCase())) errors.name = `An environment named “${d.name.trim()}” already exists`;

  if (!isHttpUrl(d.baseUrl.trim())) errors.baseUrl = d.baseUrl.includes('<') ? 'Replace the <placeholder> with your own value' : 'Enter an http(s) URL, e.g. https://abcd.supabase.co';
  else if (d.baseUrl.trim().startsWith('http://') && !looksLocal(d.baseUrl.trim())) warnings.baseUrl = 'Plain http: tokens would travel unencrypted to a non-local host';

  if (d.provider === 'supabase') {
    if (!d.anonKey.trim()) {
      if (!opts.editing) errors.anonKey = 'A Supabase environment needs its anon key (the gateway rejects requests without one)';
    } else {
      const err = anonKeyError(d.anonKey);
      if (err) errors.anonKey = err;
    }
  }
  if (d.apiKey && /\s/.test(d.apiKey.trim())) errors.apiKey = 'The API key cannot contain spaces or line breaks';
  return { errors, warnings };
}

export function looksLikeProduction(name: string, baseUrl: string): boolean {
  if (/\bprod(uction)?\b/i.test(name)) return true;
  try {
    return /(^|\.)prod(uction)?[.-]/i.test(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}
