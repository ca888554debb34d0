import { describe, expect, it } from 'vitest';
import { renameWithRetry } from '../../src-main/core/fs/durable-write.js';

/** A rename that fails `times` times with `code`, as Windows does while a scanner holds the target open. */
function flakyRename(times: number, code: string) {
  const calls: string[] = [];
  return {
    calls,
    rename: async (a: string, b: string) => {
      calls.push(`${a}->${b}`);
      if (calls.length <= times) throw Object.assign(new Error(code), { code });
    },
  };
}
const noSleep = async () => undefined;

describe('replacing a file that another program holds open', () => {
  it('on Windows, EPERM/EBUSY/EACCES for a moment are retried and the save goes through', async () => {
    for (const code of ['EPERM', 'EBUSY', 'EACCES']) {
      const r = flakyRename(3, code);
      await renameWithRetry('C:\\Users\\Bob\\AppData\\Roaming\\TokenDesk\\config.json.tmp-1-ab', 'C:\\Users\\Bob\\AppData\\Roaming\\TokenDesk\\config.json', {
        platform: 'win32',
        rename: r.rename,
        sleep: noSleep,
      });
      expect(r.calls).toHaveLength(4);
    }
  });

  it('on Windows, gives up after about two seconds with the system’s code', async () => {
    const r = flakyRename(1_000, 'EPERM');
    await expect(renameWithRetry('a', 'b', { platform: 'win32', rename: r.rename, sleep: noSleep })).rejects.toMatchObject({ code: 'EPERM' });
    expect(r.calls.length).toBeLessThan(15);
  });

  it('elsewhere, the same codes mean what they say and are reported at once', async () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const r = flakyRename(1, 'EACCES');
      await expect(renameWithRetry('a', 'b', { platform, rename: r.rename, sleep: noSleep })).rejects.toMatchObject({ code: 'EACCES' });
      expect(r.calls).toHaveLength(1);
    }
  });

  it('a file that does not exist is not retried anywhere', async () => {
    const r = flakyRename(1, 'ENOENT');
    await expect(renameWithRetry('a', 'b', { platform: 'win32', rename: r.rename, sleep: noSleep })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(r.calls).toHaveLength(1);
  });
});
