import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

export interface SpellingDeps {
  platform: NodeJS.Platform;
  /** The path as the process resolves it (path.resolve). */
  resolved: string;
  realpath: (p: string) => string;
  realpathNative: (p: string) => string;
}

/**
 * Spellings of one folder's path that earlier processes may have computed its keychain service from
 * (keytar.ts hashes the path as given; service-record.ts exists because of this): the path as
 * resolved now, its real path (symlinks: macOS's /var is /private/var), the OS's canonical one
 * (Windows: the on-disk case and long names instead of 8.3 ones), and on Windows each of these with
 * the drive letter in either case (a shell may report c:). Best effort, never exhaustive: NTFS and
 * APFS compare names case-insensitively, so a folder has more spellings than can be listed. Only
 * used before something irreversible (starting over), where a key under any of them that opens the
 * vault proves the key was never lost.
 */
export function pathSpellings(deps: SpellingDeps): string[] {
  const tryOr = (fn: () => string): string | undefined => {
    try {
      return fn();
    } catch {
      return undefined; // a folder that cannot be resolved has only the spelling given
    }
  };
  const base = [deps.resolved, tryOr(() => deps.realpath(deps.resolved)), tryOr(() => deps.realpathNative(deps.resolved))].filter((p): p is string => p !== undefined);
  const all = deps.platform === 'win32' ? base.flatMap((p) => driveLetterCases(p)) : base;
  return [...new Set(all)];
}

/** `c:\\x` and `C:\\x` for a drive-letter path (UNC and other paths as they are). */
function driveLetterCases(p: string): string[] {
  const m = /^([A-Za-z]):(.*)$/s.exec(p);
  if (!m) return [p];
  const rest = m[2]!;
  return [p, `${m[1]!.toUpperCase()}:${rest}`, `${m[1]!.toLowerCase()}:${rest}`];
}

/** This process's spellings of `home`. */
export function spellingsOf(home: string): string[] {
  return pathSpellings({
    platform: process.platform,
    resolved: resolve(home),
    realpath: (p) => realpathSync(p),
    realpathNative: (p) => realpathSync.native(p),
  });
}
