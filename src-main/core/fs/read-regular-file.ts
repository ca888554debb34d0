import { constants, type Stats } from 'node:fs';
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';

/** What a non-regular file is, in words: "a FIFO", "a directory"… */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

export class NotRegularFileError extends Error {
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${path} is not a regular file (${kind})`);
    this.name = 'NotRegularFileError';
  }
}

export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly maxBytes: number,
  ) {
    super(`${path} is larger than ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

// Windows has no O_NONBLOCK (and no FIFOs to block on).
const NONBLOCK = (constants as Partial<typeof constants>).O_NONBLOCK ?? 0;
/**
 * open(2) O_NOFOLLOW: the open fails (ELOOP) when the last part of the path is a symbolic link, so a
 * link planted in place of config.json, secrets.vault or a profile is never followed. Windows has no
 * such flag: there the path is looked at with lstat first (a race a same-user attacker could win, but
 * a link never goes unnoticed).
 */
export const NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;

/** The kind a NotRegularFileError gives a symbolic link; callers' messages then name the path. */
export const SYMLINK_KIND = 'a symbolic link';

/**
 * Reads to the end, never past the bound, in as few calls as the size allows: the first read asks for
 * one byte more than fstat said, and a read that comes back short is the end of a regular file. A
 * file that grew since (the read filled its buffer) is read on in chunks.
 */
async function readBounded(fh: FileHandle, path: string, size: number, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (let want = Math.min(size + 1, maxBytes + 1); ; want = Math.min(64 * 1024, maxBytes + 1 - total)) {
    const chunk = Buffer.allocUnsafe(want);
    const { bytesRead } = await fh.read(chunk, 0, chunk.length, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) throw new FileTooLargeError(path, maxBytes);
    if (bytesRead < chunk.length) return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  }
}

/**
 * Reads a file that must be a regular one of at most `maxBytes`, or `undefined` when it does not
 * exist. A FIFO, socket, device or directory in its place is refused (NotRegularFileError) instead of
 * blocking forever or reading without end: the open is non-blocking, so a FIFO cannot hang it, and
 * the open handle is checked; an open that fails (a directory on Windows, a socket: ENXIO) is
 * explained by a stat of the path. One stat fewer than checking first, on every config, profile and
 * vault read. A symbolic link in its place is refused too (O_NOFOLLOW), even one to a regular file.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer | undefined> {
  let fh: FileHandle;
  try {
    if (NOFOLLOW === 0 && (await lstat(path).catch(() => undefined))?.isSymbolicLink()) throw new NotRegularFileError(path, SYMLINK_KIND);
    fh = await open(path, constants.O_RDONLY | NONBLOCK | NOFOLLOW);
  } catch (e) {
    if (e instanceof NotRegularFileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if ((await lstat(path).catch(() => undefined))?.isSymbolicLink()) throw new NotRegularFileError(path, SYMLINK_KIND);
    const st = await stat(path).catch(() => undefined);
    if (st && !st.isFile()) throw new NotRegularFileError(path, kindOf(st));
    if (code === 'ENXIO') throw new NotRegularFileError(path, 'a socket');
    throw e;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new NotRegularFileError(path, kindOf(st));
    if (st.size > maxBytes) throw new FileTooLargeError(path, maxBytes);
    return await readBounded(fh, path, st.size, maxBytes);
  } finally {
    await fh.close().catch(() => undefined);
  }
}
