import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src-main/core/config/store.js';
import { makeHome } from '../helpers/home.js';

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
      message: expect.stringMatching(/could not be saved to .*not-a-folder\/tokendesk\/config\.json \((ENOTDIR|EEXIST)\); nothing was changed/),
    });
  });
});
