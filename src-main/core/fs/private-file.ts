import { TokenDeskError } from '../errors.js';
import { durableWrite } from './durable-write.js';
import { removeStaleTempFiles } from './temp-files.js';
import { errorCodeOf, unwritableFile } from './write-failure.js';

/** The refusal of a file that is there already: export checks it before renewing anything, the write again. */
export const alreadyExists = (path: string, cause?: unknown): TokenDeskError =>
  new TokenDeskError('already_exists', `${path} already exists: nothing was written (pass --force to replace it)`, { cause });

/**
 * A file the user asked for (`tokendesk inject -o`, `export -o`, `project export -o`), at exactly `mode`,
 * and never put over an existing file unless `overwrite` (--force). Either way the content is written in
 * full to a temp file beside it, then moved into place (renamed, or linked when nothing may be replaced),
 * so the file never exists half-written (a full disk, a killed writer), an old file is never truncated
 * first, and its wider mode never sees new secrets. A symbolic link at the target is refused, never followed.
 */
export async function writeUserFile(path: string, text: string, opts: { overwrite: boolean; mode: number }): Promise<void> {
  // What an earlier run killed mid-write left beside it: a partial copy, maybe of secrets.
  await removeStaleTempFiles(path);
  try {
    await durableWrite(path, text, { mode: opts.mode, replace: opts.overwrite });
  } catch (e) {
    if (errorCodeOf(e) === 'EEXIST') throw alreadyExists(path, e);
    throw unwritableFile('file_unwritable', 'The output', path, e);
  }
}

/** A file holding secrets: readable by its owner only (0600). */
export const writePrivateFile = (path: string, text: string, opts: { overwrite: boolean }): Promise<void> => writeUserFile(path, text, { ...opts, mode: 0o600 });
