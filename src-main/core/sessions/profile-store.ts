import { lstat, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenDeskError } from '../errors.js';
import { durableWrite } from '../fs/durable-write.js';
import { versionOf } from '../fs/file-version.js';
import { NotRegularFileError, readRegularFile, SYMLINK_KIND } from '../fs/read-regular-file.js';
import type { Profile } from '../providers/types.js';
import { ProfileSchema } from './session-codec.js';

/** Far above the largest profile seen (5,000 permissions: ~165 KB). */
const MAX_PROFILE_BYTES = 8 * 1024 * 1024;
/** Ids TokenDesk makes (UUIDs); anything else never becomes a path. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export const profilesDir = (home: string) => join(home, 'profiles');

/**
 * The non-secret part of each session (accounts, roles, permissions, claims for display), one file
 * per identity in `<home>/profiles/`. It sits outside the sealed vault because it is the bulky part
 * (a 5,000-permission user is ~165 KB) and holds nothing secret (splitSession drops any token from
 * it): the vault stays small, and a reader that only needs token times never reads a profile. Writes
 * are atomic (durableWrite); readers are re-validated and cached per file version (fs/file-version.ts).
 */
export class ProfileStore {
  private readonly cache = new Map<string, { sig: string; text: string; profile: Profile }>();

  constructor(private readonly home: string) {}

  private file(id: string): string | undefined {
    return SAFE_ID.test(id) ? join(profilesDir(this.home), `${id}.json`) : undefined;
  }

  /** `undefined` for no file, or one that does not parse (a display without profile, never a crash). */
  async read(id: string): Promise<Profile | undefined> {
    const file = this.file(id);
    if (!file) return undefined;
    const st = await stat(file, { bigint: true }).catch(() => undefined);
    if (!st) {
      this.cache.delete(id);
      return undefined;
    }
    const sig = versionOf(st);
    const hit = this.cache.get(id);
    if (hit?.sig === sig) return hit.profile;
    try {
      const text = (await readRegularFile(file, MAX_PROFILE_BYTES))?.toString('utf8');
      const parsed = text === undefined ? undefined : ProfileSchema.safeParse(JSON.parse(text));
      if (!text || !parsed?.success) return undefined;
      const profile = parsed.data as Profile;
      this.cache.set(id, { sig, text, profile });
      return profile;
    } catch {
      return undefined;
    }
  }

  async readMany(ids: readonly string[]): Promise<Map<string, Profile>> {
    const out = new Map<string, Profile>();
    await Promise.all(
      ids.map(async (id) => {
        const p = await this.read(id);
        if (p) out.set(id, p);
      }),
    );
    return out;
  }

  /** Skipped when the file already holds this profile (a renewal rarely changes it). */
  async write(id: string, profile: Profile): Promise<void> {
    const file = this.file(id);
    if (!file) return;
    const text = JSON.stringify(profile);
    if ((await this.read(id)) !== undefined && this.cache.get(id)?.text === text) return;
    try {
      // A link in place of profiles/ would send every profile write to a folder someone else chose.
      const dir = profilesDir(this.home);
      if ((await lstat(dir).catch(() => undefined))?.isSymbolicLink()) throw new NotRegularFileError(dir, SYMLINK_KIND);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await durableWrite(file, text, { mode: 0o600 });
    } catch (e) {
      if (e instanceof NotRegularFileError) {
        throw new TokenDeskError('config_unwritable', `The session's profile was not saved: ${e.path} is ${e.kind}, never written through; move it away. The session was not stored`, { cause: e });
      }
      const code = (e as NodeJS.ErrnoException).code ?? 'I/O error';
      throw new TokenDeskError('config_unwritable', `The session's profile could not be saved to ${file} (${code}); the session was not stored`, { cause: e });
    }
    const st = await stat(file, { bigint: true }).catch(() => undefined);
    if (st) this.cache.set(id, { sig: versionOf(st), text, profile });
  }

  async delete(id: string): Promise<void> {
    const file = this.file(id);
    this.cache.delete(id);
    if (file) await rm(file, { force: true });
  }

  /** Ids with a profile file (to sweep those of identities no longer listed). */
  async ids(): Promise<string[]> {
    const names = await readdir(profilesDir(this.home)).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).filter((id) => SAFE_ID.test(id));
  }
}
