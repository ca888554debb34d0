import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';

// Windows has no O_NONBLOCK (and no FIFOs to block on).
const NONBLOCK = (constants as Partial<typeof constants>).O_NONBLOCK ?? 0;
/** As read-regular-file.ts: a symbolic link in place of the file is never followed. */
const NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;

/**
 * read-regular-file.ts's rule, synchronously, for the CLI's hot path (fs/promises and its thread-pool
 * round trips cost more than reading a few KB): the bytes of a regular file of at most `maxBytes`,
 * or undefined when it does not exist. Anything else throws a plain Error — not a regular file, too
 * large, an I/O error — and the caller leaves the case to the full code path and its messages.
 * Non-blocking open, so a FIFO in its place cannot hang the process; checked on the open handle.
 */
export function readRegularFileSync(path: string, maxBytes: number): Buffer | undefined {
  let fd: number;
  try {
    if (NOFOLLOW === 0 && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw new Error(`${path} is a symbolic link`);
    fd = openSync(path, constants.O_RDONLY | NONBLOCK | NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${path} is not a regular file`);
    if (st.size > maxBytes) throw new Error(`${path} is larger than ${maxBytes} bytes`);
    // The size may change under us: read until EOF, never past the bound.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(st.size - total, 0) + 1, maxBytes + 1 - total, 1024 * 1024));
      const n = readSync(fd, chunk, 0, chunk.length, total);
      if (n === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new Error(`${path} is larger than ${maxBytes} bytes`);
    }
  } finally {
    closeSync(fd);
  }
}
