/**
 * An environment's declared settings (catalogue `settings`) on their way in: which non-secret values
 * go to config.json, which secret values go to the vault and which stored secrets are removed. Generic:
 * it works for whatever a kind declares. Everything is checked before anything is stored.
 */
import type { SettingInfo } from '../../contract/providers.js';
import { checkSetting, findSetting, settingProblem, settingWords } from '../../contract/settings.js';
import { TokenDeskError } from '../errors.js';
import { secretLookingValue } from '../config/secret-guard.js';

export interface SettingsIn {
  /** Non-secret values by name; on edit '' removes one (its default applies again). */
  settings?: Readonly<Record<string, string>> | undefined;
  /** Secret values by name; on edit null removes a stored one. */
  secrets?: Readonly<Record<string, string | null>> | undefined;
}

export interface SettingsPlan {
  /** The environment's non-secret settings after the change. */
  settings: Record<string, string>;
  /** Secret settings to write (name -> value) and to remove (null), by name. */
  secrets: Map<string, string | null>;
}

function invalid(message: string): TokenDeskError {
  return new TokenDeskError('invalid_input', `Invalid environment: ${message}`);
}

function declaredNames(declared: readonly SettingInfo[], secret: boolean): string {
  const names = declared.filter((s) => s.secret === secret).map((s) => s.name);
  return names.length ? `it has ${names.join(', ')}` : `it has no ${secret ? 'secret ' : ''}settings`;
}

/**
 * Checks the settings given for an environment of `kindLabel` against its declarations and says what
 * to store. `stored` is the environment's current non-secret settings ({} on add). `adding` also
 * requires every required setting that has no default (a secret one must be given here).
 */
export function planSettings(
  declared: readonly SettingInfo[],
  kindLabel: string,
  input: SettingsIn,
  stored: Readonly<Record<string, string>>,
  adding: boolean,
): SettingsPlan {
  const settings: Record<string, string> = { ...stored };
  for (const [name, raw] of Object.entries(input.settings ?? {})) {
    const info = findSetting(declared, name);
    if (!info) throw invalid(`"${name}" is not a setting of ${kindLabel} environments (${declaredNames(declared, false)})`);
    if (info.secret) throw invalid(`${settingWords(info)} is secret: give it as a secret, never as a plain setting`);
    if (raw.trim() === '' && !adding) {
      if (info.required && info.defaultValue === undefined) throw invalid(`a ${kindLabel} environment needs its ${settingWords(info)}`);
      delete settings[name];
      continue;
    }
    const r = checkSetting(info, raw);
    if (!r.ok) throw invalid(settingProblem(r));
    // config.json is not the place for a credential, whatever the setting is called (config/secret-guard.ts).
    if (secretLookingValue(r.value)) throw invalid(`the value of ${settingWords(info)} looks like a credential; it is not kept in the configuration file`);
    settings[name] = r.value;
  }
  const secrets = new Map<string, string | null>();
  for (const [name, raw] of Object.entries(input.secrets ?? {})) {
    const info = findSetting(declared, name);
    if (!info) throw invalid(`"${name}" is not a setting of ${kindLabel} environments (${declaredNames(declared, true)})`);
    if (!info.secret) throw invalid(`${settingWords(info)} is not secret: give it as a plain setting`);
    if (raw === null) {
      if (info.required) throw invalid(`a ${kindLabel} environment needs its ${settingWords(info)}`);
      secrets.set(name, null);
      continue;
    }
    const r = checkSetting(info, raw);
    if (!r.ok) throw invalid(settingProblem(r));
    secrets.set(name, r.value);
  }
  if (adding) {
    for (const info of declared) {
      if (!info.required || info.defaultValue !== undefined) continue;
      const given = info.secret ? typeof secrets.get(info.name) === 'string' : settings[info.name] !== undefined;
      if (!given) throw invalid(`a ${kindLabel} environment needs its ${settingWords(info)}${info.help ? ` (${info.help})` : ''}`);
    }
  }
  return { settings, secrets };
}

/** The legacy `anonKey`/`apiKey` fields of an input, routed as the secret settings of the same names. */
export function secretsOf(input: { secrets?: Readonly<Record<string, string | null>> | undefined; anonKey?: string | null | undefined; apiKey?: string | null | undefined }): Record<string, string | null> | undefined {
  const out: Record<string, string | null> = { ...input.secrets };
  if (input.anonKey !== undefined) out.anonKey = input.anonKey;
  if (input.apiKey !== undefined) out.apiKey = input.apiKey;
  return Object.keys(out).length > 0 ? out : undefined;
}
