import { configFile, resolveHome } from '../core/config/paths.js';
import { readRegularFileSync } from '../core/fs/read-regular-file-sync.js';
import { MAX_CONFIG_BYTES } from '../core/stored-rules.js';
import { outSync } from './output.js';

/**
 * `tokendesk __complete environments`: the environment names, one per line, for the completion
 * scripts, which ask on every Tab. Read straight from config.json without commander, zod or the
 * keychain (like the token fast path), so a Tab answers in a Node start. Anything odd prints nothing:
 * completion offers no names rather than an error in the middle of a command line.
 */
export function environmentNames(text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    return [];
  }
  const envs = (json as { environments?: unknown }).environments;
  if (!Array.isArray(envs)) return [];
  return envs
    .map((e) => (e as { name?: unknown }).name)
    // A name with a line break or a control would split or garble the list: the schema refuses them, so such a file is not ours.
    .filter((n): n is string => typeof n === 'string' && n !== '' && !/[\p{Cc}\u2028\u2029]/u.test(n));
}

/** True when argv was a completion query and it has been answered. */
export function fastComplete(argv: readonly string[]): boolean {
  if (argv[2] !== '__complete' || argv[3] !== 'environments' || argv.length !== 4 || process.env.TOKENDESK_FAST_PATH === '0') return false;
  let text: string | undefined;
  try {
    text = readRegularFileSync(configFile(resolveHome()), MAX_CONFIG_BYTES)?.toString('utf8');
  } catch {
    text = undefined;
  }
  const names = text === undefined ? [] : environmentNames(text);
  if (names.length > 0) outSync(names.join('\n'));
  return true;
}
