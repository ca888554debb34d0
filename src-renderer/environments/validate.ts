import { capabilitiesOf, providerInfo } from '../../src-main/contract/providers.js';
import { checkAccountTransport, checkAnonKey, checkBaseUrl, plainHttpWarning, type FieldCheck } from '../../src-main/contract/validators.js';
import { checkSetting, settingWords } from '../../src-main/contract/settings.js';
import type { AccountTransport, EnvironmentView, ProviderKind } from '../../src-main/contract/types.js';

export type AccountKind = AccountTransport['kind'];

export interface EnvDraft {
  provider: ProviderKind;
  name: string;
  baseUrl: string;
  /** What is typed for each declared setting of the kind (catalogue `settings`), by name; a secret left empty keeps the stored one. */
  settings: Record<string, string>;
  /** Stored secret settings the user ticked to remove (edit). */
  removeSecrets: Record<string, boolean>;
  color: string;
  label: string;
  production: boolean;
  /** How the active account travels (session API): a header, a query parameter, or not at all. */
  accountKind: AccountKind;
  accountName: string;
}

/** A declared setting's field is `setting:<name>`. */
export type DraftField = 'name' | 'baseUrl' | 'accountName' | `setting:${string}`;
export type DraftErrors = Partial<Record<DraftField, string>>;
export type DraftWarnings = Partial<Record<'baseUrl', string>>;

export const settingField = (name: string): DraftField => `setting:${name}`;

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
  // Unique within a scope, as the core keeps them: the user's own, or one project file's (an own "staging" and a project's are two).
  else if (opts.existing.some((e) => e.id !== opts.editing?.id && e.project?.file === opts.editing?.project?.file && e.name.toLowerCase() === d.name.trim().toLowerCase())) errors.name = `An environment named “${d.name.trim()}” already exists`;

  const url = checkBaseUrl(d.baseUrl, d.provider, d.settings);
  if (!url.ok) {
    errors.baseUrl = sentence(url.message);
    if (url.suggestion) suggestions.baseUrl = url.suggestion;
  } else {
    const insecure = plainHttpWarning(url.value);
    if (insecure) warnings.baseUrl = insecure;
  }

  const can = capabilitiesOf(d.provider);
  // Every declared setting by the shared rule (contract/settings.ts), so the form refuses what the core and the CLI refuse.
  for (const info of providerInfo(d.provider).settings) {
    const value = d.settings[info.name] ?? '';
    if (d.removeSecrets[info.name]) continue;
    // Editing: an empty secret keeps the stored one; an empty plain setting takes its default.
    const mustGive = info.required && info.defaultValue === undefined && (info.secret ? !opts.editing : true);
    if (value.trim() === '' && !mustGive) continue;
    const r = checkSetting(info, value);
    if (!r.ok) errors[settingField(info.name)] = sentence(r.message);
    else if (r.value === '') errors[settingField(info.name)] = `Enter the ${settingWords(info)}`;
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
