import type { BigIntStats } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * A file's version as the caches of the config, the vault and the profiles tell it: device, inode,
 * size, and modification and change times to the nanosecond the file system keeps. Any write through
 * our atomic replace (durable-write.ts) is a new inode; an edit in place moves mtime and ctime. What
 * can still be missed: a same-size write by another process within one tick of a coarse clock onto
 * a reused inode, which is why writers always re-read under their lock instead of trusting this.
 */
export function versionOf(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** The version of whatever is at `path` (readers refuse what is not a regular file), or undefined when nothing is. Other errors are thrown. */
export async function fileVersion(path: string): Promise<string | undefined> {
  try {
    return versionOf(await stat(path, { bigint: true }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
