import { mkdirSync, watch } from 'node:fs';
import { basename } from 'node:path';
import { fileVersion } from '../fs/file-version.js';
import { readRegularFile } from '../fs/read-regular-file.js';
import { configFile } from './paths.js';
import { MAX_CONFIG_BYTES } from './store.js';
import { vaultFile } from '../secrets/vault.js';

/**
 * Calls `onChange` when config.json or the secrets vault changes on disk, e.g. after a CLI command
 * (a sign-in, a renewal, a key set: the vault holds every session's tokens). Watches the folder,
 * not the file: an atomic write replaces the file (rename), which would orphan a watch on the file
 * itself. Events are debounced and only real content changes are reported (lock and temp files, and
 * rewrites with identical content, are ignored). Our own writes are reported too; callers re-read.
 */
export function watchConfig(home: string, onChange: () => void): () => void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = configFile(home);
  const name = basename(file);
  const vault = vaultFile(home);
  const vaultName = basename(vault);
  // Never blocks on a FIFO put in its place (that would hold a libuv thread forever); the store reports it.
  // The vault is compared by file version (fs/file-version.ts): its bytes change with every write anyway.
  const snapshot = async () => {
    const config = await readRegularFile(file, MAX_CONFIG_BYTES).then(
      (b) => b?.toString('utf8') ?? null,
      () => null,
    );
    const v = await fileVersion(vault).catch(() => null);
    return `${v}\n${config}`;
  };
  let last: Promise<string> = snapshot();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  // Checks run one after another, each comparing with the content the previous one saw.
  const check = () => {
    last = last.then(async (before) => {
      const now = await snapshot();
      if (!closed && now !== before) onChange();
      return now;
    });
  };
  const watcher = watch(home, (_event, filename) => {
    if (filename !== null && filename !== name && filename !== vaultName) return;
    clearTimeout(timer);
    timer = setTimeout(check, 100);
  });
  watcher.on('error', () => undefined); // the folder was removed: nothing left to watch

  return () => {
    closed = true;
    clearTimeout(timer);
    watcher.close();
  };
}
