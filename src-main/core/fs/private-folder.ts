import { chmod, stat } from 'node:fs/promises';
import { TokenDeskError } from '../errors.js';

export interface PrivateFolderDeps {
  platform?: NodeJS.Platform;
  stat?: (path: string) => Promise<{ mode: number; uid: number }>;
  chmod?: (path: string, mode: number) => Promise<void>;
  uid?: number;
}

/** Folders already found private by this process (a folder is checked once, not on every read). */
const checked = new Set<string>();

/**
 * The configuration folder holds the vault, the profiles and the locks: TokenDesk creates it 0700,
 * but one made by hand, a dotfiles checkout or an older version may let the group or everyone in
 * (list the identities, plant a file or a link). Such a folder loses the group's and others' access
 * (0755 becomes 0700); when that fails
 * (another user's folder, a read-only file system) it is refused with the command that fixes it.
 * A folder reached through a symlink is allowed: stat and chmod act on the folder itself.
 * Windows: file modes are not its permission model (Node: "on Windows only the write permission can
 * be changed", https://nodejs.org/api/fs.html#file-modes), and the user's profile folder is private
 * by its ACL, so nothing is checked there.
 */
export async function ensurePrivateFolder(dir: string, deps: PrivateFolderDeps = {}): Promise<void> {
  if ((deps.platform ?? process.platform) === 'win32' || checked.has(dir)) return;
  let st: { mode: number; uid: number };
  try {
    st = await (deps.stat ?? stat)(dir);
  } catch {
    return; // not there yet (made 0700 when first written) or unreadable: the read says why
  }
  const open = st.mode & 0o077;
  if (open !== 0) {
    try {
      // Only the others' bits go: a folder the owner made read-only (0555) stays read-only (0500), so
      // a write still gets the read-only message instead of the folder being opened up for it.
      await (deps.chmod ?? chmod)(dir, st.mode & 0o700);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'I/O error';
      const me = deps.uid ?? process.getuid?.();
      const owner = me !== undefined && st.uid !== me ? ` (it belongs to user id ${st.uid}: as that user or root)` : '';
      throw new TokenDeskError(
        'config_unreadable',
        `The configuration folder ${dir} is open to other users (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}) and TokenDesk could not make it private (${code}). Run${owner}: chmod go-rwx '${dir.replace(/'/g, `'\\''`)}' — then try again. Nothing was read or changed`,
        { cause: e },
      );
    }
  }
  checked.add(dir);
}

/** Tests: forget which folders were found private. */
export function forgetCheckedFolders(): void {
  checked.clear();
}
