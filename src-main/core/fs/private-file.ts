import { TokenDeskError } from '../errors.js';
import { durableWrite } from './durable-write.js';
import { removeStaleTempFiles } from './temp-files.js';
import { errorCodeOf, unwritableFile } from './write-failure.js';

/** The refusal of a file that is there already: export checks it before renewing anything, the write again. */
export const alreadyExists = (path: string, cause?: unknown): TokenDeskError =>
  new TokenDeskError('already_exists', `${path} already exists: nothing was written (pass --force to replace it)`, { cause });

/**
 * A file holding secrets the user asked for (`tokendesk inject -o`, `tokendesk export -o`): readable by
 * its owner only (0600), and never put over an existing file unless `overwrite` (--force). Either way
 * the content is written in full to a 0600 temp file beside it, then moved into place (renamed, or
 * linked when nothing may be replaced), so the file never exists half-written (a full disk, a killed
 * writer) nor with the old file's wider mode. A symbolic link at the target is refused, never followed.
 */
export async function writePrivateFile(path: string, text: string, opts: { overwrite: boolean }): Promise<void> {
  // What an earlier run killed mid-write left beside it: a partial copy of the secrets.
  await removeStaleTempFiles(path);
  try {
    await durableWrite(path, text, { mode: 0o600, replace: opts.overwrite });
  } catch (e) {
    if (errorCodeOf(e) === 'EEXIST') throw alreadyExists(path, e);
    throw unwritableFile('file_unwritable', 'The output', path, e);
  }
}
