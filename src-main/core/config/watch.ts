import { mkdirSync, watch } from 'node:fs';
import { basename } from 'node:path';
import { readRegularFile } from '../fs/read-regular-file.js';
import { configFile } from './paths.js';
import { MAX_CONFIG_BYTES } from './store.js';

/**
 * Calls `onChange` when config.json changes on disk, e.g. after a CLI command. Watches the folder,
 * not the file: an atomic write replaces the file (rename), which would orphan a watch on the file
 * itself. Events are debounced and only real content changes are reported (lock and temp files, and
 * rewrites with identical content, are ignored). Our own writes are reported too; callers re-read.
 */
export function watchConfig(home: string, onChange: () => void): () => void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const file = configFile(home);
  const name = basename(file);
  // Never blocks on a FIFO put in its place (that would hold a libuv thread forever); the store reports it.
  const snapshot = () =>
    readRegularFile(file, MAX_CONFIG_BYTES).then(
      (b) => b?.toString('utf8') ?? null,
      () => null,
    );
  let last: Promise<string | null> = snapshot();
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
    if (filename !== null && filename !== name) return;
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
