import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src-main/core/config/store.js';
import { lockCreationError } from '../../src-main/core/config/lock.js';
import { makeHome } from '../helpers/home.js';
import { chmodIgnored, skipping, thisMachine } from '../helpers/platform-guards.js';


const noChmod = skipping('the chmod 0555 folder test', chmodIgnored(thisMachine()));

describe('a configuration folder that cannot be written', () => {
  const homes: ReturnType<typeof makeHome>[] = [];
  afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

  it('fails with the path and the system code instead of a generic error', async () => {
    const h = makeHome();
    homes.push(h);
    // A file where the folder should be: mkdir fails (ENOTDIR), even for root.
    const blocker = join(h.dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const store = new ConfigStore(join(blocker, 'tokendesk'));
    await expect(store.update((c) => c)).rejects.toMatchObject({
      code: 'config_unwritable',
      message: expect.stringMatching(/could not be saved to .*not-a-folder\/tokendesk\/config\.json \((ENOTDIR|EEXIST)\)(: [^;]+)?; nothing was changed/),
    });
  });
});

describe('lockCreationError: why a lock could not be created, in the user\'s words', () => {
  const errno = (code: string) => Object.assign(new Error(code), { code });

  it.each([
    ['EROFS', /is read-only \(EROFS: a read-only file system\): TokenDesk cannot save anything there; remount it read-write/],
    ['EACCES', /is read-only \(EACCES: permission denied\): TokenDesk cannot save anything there; give your user write permission/],
    ['EPERM', /is read-only \(EPERM: permission denied\)/],
    ['ENOSPC', /is on a full disk \(ENOSPC: the disk is full\): TokenDesk cannot save anything there; free some space/],
    ['ENOTDIR', /is not a folder \(ENOTDIR: part of its path is a file\)/],
  ])('%s is config_unwritable naming the folder', (code, message) => {
    const e = lockCreationError(errno(code), '/home/me/.config/tokendesk');
    expect(e?.code).toBe('config_unwritable');
    expect(e?.message).toMatch(/^The configuration folder \/home\/me\/\.config\/tokendesk /);
    expect(e?.message).toMatch(message);
    expect(e?.message).toMatch(/\. Nothing was changed$/);
  });

  it('leaves other errors (a held lock, a missing folder) to the caller', () => {
    expect(lockCreationError(errno('ELOCKED'), '/x')).toBeUndefined();
    expect(lockCreationError(errno('ENOENT'), '/x')).toBeUndefined();
    expect(lockCreationError(new Error('no code'), '/x')).toBeUndefined();
  });
});

describe.skipIf(noChmod !== undefined)('a chmod 0555 configuration folder (not as root, not on Windows: both ignore it)', () => {
  it('fails at once with the read-only message instead of waiting for the lock', async () => {
    const h = makeHome();
    const dir = join(h.dir, 'home');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    try {
      await expect(new ConfigStore(dir).update((c) => c)).rejects.toMatchObject({
        code: 'config_unwritable',
        message: expect.stringContaining(`The configuration folder ${dir} is read-only (EACCES`),
      });
    } finally {
      chmodSync(dir, 0o700);
      h.cleanup();
    }
  });
});
