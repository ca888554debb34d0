import { describe, expect, it } from 'vitest';
import { cliFixture, keychainUnreachable } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const { newHome } = cliFixture();

/**
 * `env edit` sends patches ("set v3", "rename access_token") that the core applies to the stored
 * environment under the config lock. Before, the CLI built the whole variable set from a read taken
 * outside the lock, so concurrent edits overwrote each other (4 of 10 variables survived).
 */
describe.skipIf(unreachable !== undefined)('concurrent env edits', { timeout: 90_000 }, () => {
  it('ten processes each setting one variable at once keep all ten, and the ones set before', async () => {
    const h = newHome();
    const add = await h.runInProcess(['env', 'add', 'shared', '--provider', 'session', '--url', 'http://localhost:3000', '--var', 'kept=yes']);
    expect(add.code, add.stderr).toBe(0);
    const runs = await Promise.all(Array.from({ length: 10 }, (_, n) => h.run(['env', 'edit', 'shared', '--var', `v${n}=value-${n}`], { timeoutMs: 60_000 })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const shown = JSON.parse((await h.runInProcess(['env', 'show', 'shared', '--json'])).stdout) as { variables: Record<string, string> };
    expect(shown.variables).toEqual({ kept: 'yes', ...Object.fromEntries(Array.from({ length: 10 }, (_, n) => [`v${n}`, `value-${n}`])) });
  });

  it('concurrent --var-name, --var and --unset-var edits of different names all take effect', async () => {
    const h = newHome();
    const add = await h.runInProcess(['env', 'add', 'shared', '--provider', 'supabase', '--url', 'https://abc.supabase.co', '--anon-key', 'sb_publishable_abc_123', '--var', 'gone=1', '--var-name', 'url=base']);
    expect(add.code, add.stderr).toBe(0);
    const runs = await Promise.all([
      h.run(['env', 'edit', 'shared', '--var-name', 'access_token=jwt']),
      h.run(['env', 'edit', 'shared', '--var-name', 'refresh_token=rt']),
      h.run(['env', 'edit', 'shared', '--var-name', 'anon_key=anon']),
      h.run(['env', 'edit', 'shared', '--var-name', 'api_key=key']),
      h.run(['env', 'edit', 'shared', '--var', 'team=a']),
      h.run(['env', 'edit', 'shared', '--unset-var', 'gone']),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const shown = JSON.parse((await h.runInProcess(['env', 'show', 'shared', '--json'])).stdout) as { variables: Record<string, string>; exportedNames: Record<string, string> };
    expect(shown.variables).toEqual({ team: 'a' });
    expect(shown.exportedNames).toMatchObject({ url: 'base', access_token: 'jwt', refresh_token: 'rt', anon_key: 'anon', api_key: 'key' });
    // An empty name restores the default, as before.
    const reset = await h.runInProcess(['env', 'edit', 'shared', '--var-name', 'access_token=']);
    expect(reset.code, reset.stderr).toBe(0);
    const after = JSON.parse((await h.runInProcess(['env', 'show', 'shared', '--json'])).stdout) as { exportedNames: Record<string, string> };
    expect(after.exportedNames).toMatchObject({ url: 'base', access_token: 'user_jwt_token', refresh_token: 'rt' });
  });
});
