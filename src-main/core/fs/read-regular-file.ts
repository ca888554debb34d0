import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

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

async function readBounded(fh: FileHandle, path: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
    const { bytesRead } = await fh.read(chunk, 0, chunk.length, total);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) throw new FileTooLargeError(path, maxBytes);
  }
}

/**
 * Reads a file that must be a regular one of at most `maxBytes`, or `undefined` when it does not
 * exist. A FIFO, socket, device or directory in its place is refused at once (NotRegularFileError)
 * instead of blocking forever or reading without end; it is checked before opening (a FIFO would
 * block `open`) and again on the open handle (it may have been swapped in between).
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer | undefined> {
  let before: Stats;
  try {
    before = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (!before.isFile()) throw new NotRegularFileError(path, kindOf(before));
  if (before.size > maxBytes) throw new FileTooLargeError(path, maxBytes);
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENXIO') throw new NotRegularFileError(path, 'a socket'); // swapped in after the stat
    throw e;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new NotRegularFileError(path, kindOf(st));
    return await readBounded(fh, path, maxBytes);
  } finally {
    await fh.close().catch(() => undefined);
  }
}
