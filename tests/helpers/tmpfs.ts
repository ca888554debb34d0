import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, statfsSync, ftruncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipping, thisMachine, tmpfsMissing } from './platform-guards.js';

/**
 * Real small file systems for full-disk and read-only tests: `mount -t tmpfs` needs root (.ci/run runs as
 * root). Returns why mounting is impossible here (the tests skip), or undefined; where
 * TOKENDESK_REQUIRE_TMPFS=1 (.ci/run) it throws instead. Linux only: macOS and Windows have no tmpfs.
 */
export function tmpfsUnavailable(): string | undefined {
  const m = thisMachine();
  return skipping('the tmpfs tests', tmpfsMissing(m, m.platform === 'linux' ? mountFailure() : undefined));
}

function mountFailure(): string | undefined {
  const probe = mkdtempSync(join(tmpdir(), 'tokendesk-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    // mount's own words ("must be superuser to use mount") rather than execFileSync's "Command failed".
    const said = String((e as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
    return said || (e instanceof Error ? e.message.split('\n')[0] : String(e));
  } finally {
    rmdirSync(probe);
  }
}

/** Mounts a tmpfs with mount options `options` (e.g. "size=64k") on the existing folder `dir`. */
export function mountTmpfs(dir: string, options: string): { remount: (options: string) => void; unmount: () => void } {
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  return {
    remount: (o) => execFileSync('mount', ['-o', `remount,${o}`, dir], { stdio: 'pipe' }),
    unmount: () => execFileSync('umount', [dir], { stdio: 'pipe' }),
  };
}

export const freeBytes = (dir: string): number => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

/** Fills the file system of `dir` with `file` until at most `free` bytes are left (page-granular). */
export function leaveFree(file: string, free: number): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4096, 0x2e);
  let size = 0;
  try {
    for (;;) {
      try {
        const n = writeSync(fd, chunk);
        if (n === 0) break;
        size += n;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw e;
      }
    }
    ftruncateSync(fd, Math.max(0, size - free));
  } finally {
    closeSync(fd);
  }
  return freeBytes(join(file, '..'));
}
