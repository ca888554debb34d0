import { capabilitiesOf } from '../../src-main/contract/providers.js';
import { checkAccountTransport, checkAnonKey, checkApiKey, checkBaseUrl, plainHttpWarning, type FieldCheck } from '../../src-main/contract/validators.js';
import type { AccountTransport, EnvironmentView, ProviderKind } from '../../src-main/contract/types.js';

export type AccountKind = AccountTransport['kind'];

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
  /** How the active account travels (session API): a header, a query parameter, or not at all. */
  accountKind: AccountKind;
  accountName: string;
}

export type DraftField = 'name' | 'baseUrl' | 'anonKey' | 'apiKey' | 'accountName';
export type DraftErrors = Partial<Record<DraftField, string>>;
export type DraftWarnings = Partial<Record<'baseUrl' | 'anonKey', string>>;

/** The order fields appear in the form: after a failed submit focus goes to the first invalid one. */
export const FIELD_ORDER: readonly DraftField[] = ['name', 'baseUrl', 'anonKey', 'apiKey', 'accountName'];

/** The shared validators' messages start lower-case (the CLI prefixes the field); under a field they start a sentence. */
const sentence = (m: string) => m.charAt(0).toUpperCase() + m.slice(1);
const problem = (c: FieldCheck<unknown>) => (c.ok ? undefined : sentence(c.message));

/** The anon key's shape (the shared rule of src-main/contract/validators.ts); undefined when it is fine. */
export function anonKeyError(key: string): string | undefined {
  return problem(checkAnonKey(key));
}

/** The contract's rule for the name (src-main/contract/api.ts), without bundling zod into the page. */
function nameError(name: string): string | undefined {
  const n = name.trim();
  if (!n) return 'Name is required';
  if (n.length > 100) return 'Use at most 100 characters';
  return undefined;
}

export function draftTransport(d: Pick<EnvDraft, 'accountKind' | 'accountName'>): AccountTransport {
  return d.accountKind === 'none' ? { kind: 'none' } : { kind: d.accountKind, name: d.accountName.trim() };
}

/**
 * Validation as you type, with the same rules and words as the CLI and the main process (one shared
 * validator per field). `suggestions.baseUrl` is a corrected URL the form can offer.
 */
export function validateDraft(d: EnvDraft, opts: { editing?: EnvironmentView; existing: EnvironmentView[] }): { errors: DraftErrors; warnings: DraftWarnings; suggestions: { baseUrl?: string } } {
  const errors: DraftErrors = {};
  const warnings: DraftWarnings = {};
  const suggestions: { baseUrl?: string } = {};
  const nameErr = nameError(d.name);
  if (nameErr) errors.name = nameErr;
  else if (opts.existing.some((e) => e.id !== opts.editing?.id && e.name.toLowerCase() === d.name.trim().toLowerCase())) errors.name = `An environment named “${d.name.trim()}” already exists`;

  const url = checkBaseUrl(d.baseUrl, d.provider);
  if (!url.ok) {
    errors.baseUrl = sentence(url.message);
    if (url.suggestion) suggestions.baseUrl = url.suggestion;
  } else {
    const insecure = plainHttpWarning(url.value);
    if (insecure) warnings.baseUrl = insecure;
  }

  const can = capabilitiesOf(d.provider);
  if (can.needsAnonKey) {
    // Editing: an empty field keeps the stored key.
    if (d.anonKey.trim() || !opts.editing) {
      const err = anonKeyError(d.anonKey);
      if (err) errors.anonKey = err;
    }
  }
  if (d.apiKey.trim() && !d.removeApiKey) {
    const err = problem(checkApiKey(d.apiKey));
    if (err) errors.apiKey = err;
  }
  if (can.hasAccounts && d.accountKind !== 'none') {
    const err = problem(checkAccountTransport(draftTransport(d)));
    if (err) errors.accountName = err;
  }
  return { errors, warnings, suggestions };
}

export function looksLikeProduction(name: string, baseUrl: string): boolean {
  if (/\bprod(uction)?\b/i.test(name)) return true;
  try {
    return /(^|\.)prod(uction)?[.-]/i.test(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}
