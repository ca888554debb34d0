import { TokenDeskError, type ErrorCode } from '../errors.js';

/** What the system's codes mean, for the messages of a failed save. */
const WHY: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EIO: 'an input/output error',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'it is a symbolic link, which TokenDesk never writes through',
};

/** The system's code of a failed write ("ENOSPC"), or a word when it has none. */
export const errorCodeOf = (e: unknown): string => (e as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';

/** "(ENOSPC): the disk is full": the code, and what it means when we know. */
export function describeWriteError(e: unknown): string {
  const code = errorCodeOf(e);
  return `(${code})${WHY[code] === undefined ? '' : `: ${WHY[code]}`}`;
}

/**
 * A save that failed on a full disk, a read-only folder or a link in the way, said with the file's path
 * and the system's reason: "`what` could not be saved to PATH (ENOSPC): the disk is full; nothing was changed".
 * Only a write that leaves the old file as it was may use it (durableWrite, writePrivateFile).
 */
export function unwritableFile(code: ErrorCode, what: string, path: string, e: unknown): TokenDeskError {
  return new TokenDeskError(code, `${what} could not be saved to ${path} ${describeWriteError(e)}; nothing was changed`, { cause: e });
}
