import { open } from 'node:fs/promises';
import { TokenDeskError } from '../errors.js';
import { durableWrite } from './durable-write.js';

/**
 * A file holding secrets the user asked for (`tokendesk inject -o`): readable by its owner only (0600),
 * and never put over an existing file unless `overwrite` (--force). A new file is created exclusively,
 * so one made meanwhile is not replaced either; a replacement is a new file renamed into place, so the
 * old one's wider mode or other links never see the secrets.
 */
export async function writePrivateFile(path: string, text: string, opts: { overwrite: boolean }): Promise<void> {
  if (opts.overwrite) {
    await durableWrite(path, text, { mode: 0o600 });
    return;
  }
  let fh;
  try {
    fh = await open(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new TokenDeskError('already_exists', `${path} already exists: nothing was written (pass --force to replace it)`);
    throw e;
  }
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}
