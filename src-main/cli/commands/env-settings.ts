/**
 * `env add|edit` flags made from the catalogue's declared settings (contract/providers.ts `settings`),
 * in one place: one `--<flag>` per setting of every kind (a flag two kinds share is one option), and
 * for an optional secret on edit a `--remove-<flag>`. A flag of another kind than the environment's is
 * refused naming the kinds it belongs to. Secret values are read from a hidden prompt or stdin (`-`).
 */
import { readFile, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { PROVIDER_KINDS, PROVIDERS, type ProviderKind, type SettingInfo } from '../../contract/providers.js';
import { settingShortWords as shortWords, settingWords, withDefaults } from '../../contract/settings.js';
import { secretFromArg } from '../prompt.js';
import { UsageError } from '../output.js';
import { KEY_OPTION_HELP } from './common.js';
import type { Factory } from '../factory.js';
import { TokenDeskError, type Environment } from '../../core/facade.js';

/**
 * Flags that took the key itself as their value before settings were data (`--anon-key eyJ…`): kept,
 * so scripts keep working. Every other secret flag takes only `-`: a value in argv is visible in ps.
 */
const VALUE_IN_ARGV = new Set(['anon-key', 'api-key']);

/**
 * Secret flags that also have a `--<flag>-stdin` switch, the same as `--<flag> -` (issue 21: the
 * spelling `gh auth login --with-token` users expect for a client secret).
 */
const STDIN_SWITCH = new Set(['client-secret']);
const stdinAttr = (flag: string): string => new Option(`--${flag}-stdin`).attributeName();

interface SettingFlag {
  flag: string;
  /** The option's key in commander's parsed options (`login-path` -> `loginPath`). */
  attr: string;
  removeAttr: string;
  kinds: ProviderKind[];
  /** The declaration of the first kind that has it (label, help and secrecy are the same for all). */
  info: SettingInfo;
}

/** Every declared flag once, in the catalogue's order (kinds in order, each kind's settings in order). */
export function settingFlags(): SettingFlag[] {
  const byFlag = new Map<string, SettingFlag>();
  for (const kind of PROVIDER_KINDS) {
    for (const info of PROVIDERS[kind].settings) {
      const known = byFlag.get(info.flag);
      if (known) known.kinds.push(kind);
      else byFlag.set(info.flag, { flag: info.flag, attr: new Option(`--${info.flag} <v>`).attributeName(), removeAttr: new Option(`--remove-${info.flag}`).attributeName(), kinds: [kind], info });
    }
  }
  return [...byFlag.values()];
}

const kindsText = (kinds: readonly ProviderKind[]): string => kinds.map((k) => PROVIDERS[k].label).join(' and ');

/** A PEM key is a few KiB: past this it is not one (a wrong file). */
const MULTILINE_LIMIT = 16 * 1024;

/**
 * A multi-line secret (a PEM private key) from the file `path`, or all of standard input for `-`:
 * never from argv, and read whole, not line by line. Bounded, so a wrong file fails at once.
 */
async function multilineSecret(f: Factory, path: string, what: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of f.io.stdin as AsyncIterable<Buffer | string>) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += b.length;
      if (size > MULTILINE_LIMIT) throw new TokenDeskError('invalid_input', `The ${what} on standard input is longer than ${MULTILINE_LIMIT / 1024} KiB`);
      chunks.push(b);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new TokenDeskError('invalid_input', `Cannot read the ${what} from ${path}: it is not a file`);
    if (st.size > MULTILINE_LIMIT) throw new TokenDeskError('invalid_input', `${path} is larger than ${MULTILINE_LIMIT / 1024} KiB: it is not a ${what}`);
    return await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof TokenDeskError) throw e;
    throw new TokenDeskError('invalid_input', `Cannot read the ${what} from ${path}: ${(e as NodeJS.ErrnoException).code ?? 'I/O error'}`);
  }
}

function optionHelp(s: SettingFlag): string {
  const base = `${s.info.help ?? s.info.label}${s.info.defaultValue !== undefined ? ` (default ${s.info.defaultValue.replace(/\n/g, ', ')})` : ''}; ${kindsText(s.kinds)} only`;
  if (s.info.repeatable) return `${base} (repeatable)`;
  if (!s.info.secret) return base;
  if (s.info.multiline) return `${base}; the file to read it from (- for standard input)`;
  return VALUE_IN_ARGV.has(s.flag) ? `${base}${KEY_OPTION_HELP}` : `${base}; give - to read it from a hidden prompt or stdin`;
}

const appendLine = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds one option per declared flag (and `--remove-<flag>` for optional secrets on edit). */
export function addSettingOptions(cmd: Command, mode: 'add' | 'edit'): Command {
  for (const s of settingFlags()) {
    const arg = s.info.secret ? (s.info.multiline ? '<file>' : VALUE_IN_ARGV.has(s.flag) ? '<key>' : '<->') : s.info.repeatable ? '<FIELD=PATH>' : '<value>';
    const opt = new Option(`--${s.flag} ${arg}`, optionHelp(s));
    cmd.addOption(s.info.repeatable ? opt.argParser(appendLine) : opt);
    if (STDIN_SWITCH.has(s.flag)) cmd.addOption(new Option(`--${s.flag}-stdin`, `read the ${settingWords(s.info)} from standard input (same as --${s.flag} -); ${kindsText(s.kinds)} only`));
    if (mode === 'edit' && s.info.secret && !s.info.required) cmd.addOption(new Option(`--remove-${s.flag}`, `delete the stored ${settingWords(s.info)}`));
  }
  return cmd;
}

export interface SettingsFromFlags {
  settings?: Record<string, string>;
  secrets?: Record<string, string | null>;
}

/**
 * The settings and secrets the flags give for an environment of `kind`. On add, a required setting
 * without a default must be among them, said before any key is read. Secrets are read (prompt or
 * stdin, one line per `-`, in the flags' order) only once every flag was judged.
 */
export async function settingsFromFlags(f: Factory, kind: ProviderKind, flags: Record<string, unknown>, mode: 'add' | 'edit'): Promise<SettingsFromFlags> {
  const kindInfo = PROVIDERS[kind];
  const o = { ...flags };
  for (const flag of STDIN_SWITCH) {
    const attr = new Option(`--${flag} <v>`).attributeName();
    if (o[stdinAttr(flag)] !== true) continue;
    if (o[attr] !== undefined) throw new UsageError(`--${flag}-stdin and --${flag} cannot be used together`);
    o[attr] = '-';
  }
  const given = settingFlags().filter((s) => o[s.attr] !== undefined || o[s.removeAttr] === true);
  for (const s of given) {
    if (!s.kinds.includes(kind)) {
      throw new UsageError(`--${o[s.attr] === undefined ? `remove-${s.flag}` : s.flag} is a setting of ${kindsText(s.kinds)} environments, not of ${kindInfo.label} ones`);
    }
    if (o[s.attr] !== undefined && o[s.removeAttr] === true) throw new UsageError(`--${s.flag} and --remove-${s.flag} cannot be used together`);
    if (s.info.secret && !s.info.multiline && o[s.attr] !== undefined && o[s.attr] !== '-' && !VALUE_IN_ARGV.has(s.flag)) {
      throw new UsageError(`--${s.flag} takes - (then type it at a hidden prompt or pipe it in), never the value itself: a value here is visible in ps and kept in your shell history`);
    }
  }
  if (mode === 'add') {
    for (const info of kindInfo.settings) {
      if (!info.required || info.defaultValue !== undefined || given.some((s) => s.flag === info.flag)) continue;
      const how = info.secret ? 'give - to type it at a hidden prompt' : `e.g. --${info.flag} ${info.placeholder ?? 'VALUE'}`;
      throw new UsageError(`--${info.flag} is required: a ${kindInfo.label} environment needs its ${settingWords(info)} (${how})`);
    }
  }
  const out: SettingsFromFlags = {};
  for (const s of given) {
    // The kind's own declaration: two kinds sharing a flag may name it differently.
    const info = kindInfo.settings.find((i) => i.flag === s.flag)!;
    const raw = o[s.attr];
    if (info.secret && info.multiline) {
      (out.secrets ??= {})[info.name] = raw === undefined ? null : await multilineSecret(f, raw as string, shortWords(info).toLowerCase());
    } else if (info.secret) {
      const value = raw === undefined ? null : await secretFromArg(f, raw as string, info.label.replace(/\s*\(.*\)$/, ''));
      (out.secrets ??= {})[info.name] = value ?? null;
    } else {
      (out.settings ??= {})[info.name] = Array.isArray(raw) ? raw.join('\n') : (raw as string);
    }
  }
  return out;
}


/** What `env show` says of each declared setting: non-secret values (defaults marked), secrets by name and whether stored. */
export function settingsShown(env: Environment, held: ReadonlySet<string>): { settings: Record<string, string>; secretSettings: Record<string, boolean>; rows: Array<[string, string]> } {
  const declared = PROVIDERS[env.provider].settings;
  const settings = withDefaults(declared, env.settings);
  const secretSettings: Record<string, boolean> = {};
  const rows: Array<[string, string]> = [];
  for (const info of declared) {
    if (info.secret) {
      const stored = held.has(info.name);
      secretSettings[info.name] = stored;
      rows.push([shortWords(info), stored ? 'stored in the keychain' : info.required ? 'missing' : 'none']);
    } else {
      const value = settings[info.name];
      const isDefault = !Object.prototype.hasOwnProperty.call(env.settings, info.name);
      rows.push([shortWords(info), value === undefined ? 'none' : `${value.replace(/\n/g, ', ')}${isDefault ? ' (default)' : ''}`]);
    }
  }
  return { settings, secretSettings, rows };
}
