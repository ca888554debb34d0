import { randomBytes } from 'node:crypto';
import { link, lstat, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { NotRegularFileError, SYMLINK_KIND } from './read-regular-file.js';
import { dirname } from 'node:path';

/**
 * `<file>.tmp-<pid>-<random>`: in the same folder (so the rename is atomic) and named after its
 * writer, so a later process can tell a dead writer's leftover from a write in progress.
 */
export function tempNameFor(file: string): string {
  return `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Windows refuses to replace a file that an antivirus scanner, the search indexer or a backup tool has
 * open for a moment (EPERM, EACCES or EBUSY); graceful-fs retries rename on win32 for exactly this,
 * for up to a minute. We retry for about two seconds with backoff, on Windows only: elsewhere those
 * codes mean what they say and are reported at once.
 */
export async function renameWithRetry(
  from: string,
  to: string,
  deps: { platform?: NodeJS.Platform; rename?: (a: string, b: string) => Promise<void>; sleep?: (ms: number) => Promise<void> } = {},
): Promise<void> {
  const doRename = deps.rename ?? rename;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const retrying = (deps.platform ?? process.platform) === 'win32';
  for (let waited = 0, delay = 10; ; delay *= 2) {
    try {
      return await doRename(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!retrying || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY') || waited >= 2_000) throw e;
      await sleep(delay);
      waited += delay;
    }
  }
}

const errno = (code: string, message: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${message}`), { code });

/** A write syscall may write less than asked (a nearly full disk): keep going until every byte is down. */
async function writeAll(fh: FileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await fh.write(data, offset, data.length - offset, offset);
    if (bytesWritten <= 0) throw errno('ENOSPC', 'no space left on device (a write made no progress)');
    offset += bytesWritten;
  }
}

/**
 * Puts the complete temp file at `file` only if nothing is there: link() fails with EEXIST atomically,
 * so a file made meanwhile is not replaced either. A file system without hard links (FAT, some network
 * shares) gets a check then a rename: not atomic, but still never a silent overwrite.
 */
async function linkNew(temp: string, file: string): Promise<void> {
  try {
    await link(temp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
    if (await lstat(file).then(() => true, () => false)) throw errno('EEXIST', `${file} already exists`);
    await renameWithRetry(temp, file);
    return;
  }
  // The file is in place: a second name that cannot be removed is litter (swept later), not a failure.
  await unlink(temp).catch(() => undefined);
}

/**
 * Flushes the folder so the rename itself survives a power loss. Best effort, never an error: by now
 * the new content is in place and visible, and reporting a failure would make callers undo a change
 * that happened (the config rolls back the keychain on a failed save). Windows and some file systems
 * cannot open or fsync a directory at all (EISDIR, EPERM…), which is the same case.
 */
async function syncDirectory(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // see above
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * Replaces `file` with `data` so that, whatever happens (a full disk, a crash, a power loss), the file
 * holds either its old content or the complete new one. The new content goes to a temp file that is
 * written in full, flushed and size-checked before it is renamed over the target; the folder is then
 * flushed so the rename itself is durable. On any failure before the rename the temp file is removed,
 * the old file is untouched and the system's error (ENOSPC, EACCES…) is thrown. A symbolic link in
 * place of the file is refused (NotRegularFileError, the path named), never written through: in a
 * private folder it is someone pointing TokenDesk's writes at a file of their choosing. (The rename
 * itself would replace a link planted after this check, not follow it.)
 * With `replace: false` an existing file (or link) is never replaced: EEXIST, and nothing changes.
 */
export async function durableWrite(path: string, data: Uint8Array | string, opts: { mode?: number; replace?: boolean } = {}): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  // Not replacing, a link is just a file that is there: link() below says EEXIST without following it.
  if (opts.replace !== false && (await lstat(path).catch(() => undefined))?.isSymbolicLink()) throw Object.assign(new NotRegularFileError(path, SYMLINK_KIND), { code: 'ELOOP' });
  const file = path;
  const temp = tempNameFor(file);
  let fh: FileHandle | undefined;
  try {
    fh = await open(temp, 'wx', opts.mode ?? 0o600);
    // Exactly the mode asked for, not the umask's cut of it (a project file keeps its group's write).
    if (opts.mode !== undefined) await fh.chmod(opts.mode);
    await writeAll(fh, bytes);
    await fh.sync();
    const { size } = await fh.stat();
    if (size !== bytes.length) throw errno('EIO', `wrote ${bytes.length} bytes but the file holds ${size}`);
    const closing = fh;
    fh = undefined;
    await closing.close();
    await (opts.replace === false ? linkNew(temp, file) : renameWithRetry(temp, file));
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await syncDirectory(dirname(file));
}
