import { lstat, readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temp file this old is abandoned whatever its name says: no write takes ten minutes. */
export const TEMP_MAX_AGE_MS = 10 * 60_000;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, owned by someone else.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the temp files a killed writer left next to `file`: ours (`<file>.tmp-<pid>-<hex>`, see
 * durable-write.ts) when that pid is gone or the file is older than TEMP_MAX_AGE_MS. The leftovers of
 * write-file-atomic, which older versions used (`<file>.<uint32>`, no pid), are left alone: that name
 * cannot be told from a user's dated backup (`config.json.20250101`), and deleting a user's file is worse.
 * Call it only while holding the file's lock, so no live writer of ours is mid-write. Best effort:
 * a file that cannot be inspected or removed is left alone. Returns the names removed.
 */
export async function removeStaleTempFiles(file: string, now = Date.now()): Promise<string[]> {
  const dir = dirname(file);
  const base = escape(basename(file));
  const ours = new RegExp(`^${base}\\.tmp-(\\d+)-[0-9a-f]{6,}$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = ours.exec(name)?.[1];
    if (pid === undefined) continue;
    const path = join(dir, name);
    const st = await lstat(path).catch(() => undefined);
    if (!st?.isFile()) continue;
    const old = now - st.mtimeMs > TEMP_MAX_AGE_MS;
    const orphaned = pid !== undefined && Number(pid) > 0 && !isAlive(Number(pid));
    if (!old && !orphaned) continue;
    if (await unlink(path).then(() => true, () => false)) removed.push(name);
  }
  return removed;
}
