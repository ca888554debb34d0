import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { watchConfig } from '../../src-main/core/config/watch.js';
import { createKeychainStore } from '../../src-main/core/secrets/keychain.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { childScripts, root } from '../helpers/child-script.js';
import { makeHome } from '../helpers/home.js';
import { keychainUnreachableReason } from '../helpers/keychain-reach.js';

const run = promisify(execFile);
const unreachable = await keychainUnreachableReason();
const home = makeHome('tokendesk-vault-watch-');
afterAll(() => home.cleanup());
const bundle = childScripts('vault-watch-');

describe.skipIf(unreachable !== undefined)('the app sees the vault change when the CLI writes it', () => {
  it('a secret set by another process is reported like a config change, and the app reads the new value', async () => {
    const child = await bundle(
      'set',
      `import { createKeychainStore } from ${JSON.stringify(join(root, 'src-main/core/secrets/keychain.ts'))};
       await createKeychainStore(process.argv[2]).set('env/e1/api_key', process.argv[3]);`,
    );
    const app = createKeychainStore(home.dir);
    await app.set(secretKeys.anonKey('e1'), 'anon');
    let calls = 0;
    const stop = watchConfig(home.dir, () => calls++);
    try {
      await new Promise((r) => setTimeout(r, 150)); // kept: the real fs.watch settles before the other process writes
      const settled = calls;
      await run(process.execPath, [child, home.dir, 'key-from-the-cli']);
      await expect.poll(() => calls, { timeout: 3_000 }).toBeGreaterThan(settled);
      expect(await app.get(secretKeys.apiKey('e1'))).toBe('key-from-the-cli');
    } finally {
      stop();
    }
  });
});
