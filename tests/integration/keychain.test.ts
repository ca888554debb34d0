import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import keytar from 'keytar';
import { createKeychainStore, deleteAllForHome, keychainService, type KeytarLike } from '../../src-main/core/secrets/keychain.js';
import { DATA_KEY_ACCOUNT } from '../../src-main/core/secrets/vault.js';
import { lockedMessage, unavailableMessage } from '../../src-main/core/secrets/keychain-errors.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { makeHome } from '../helpers/home.js';
import { keychainUnreachableReason } from '../helpers/keychain-reach.js';
import { childScripts, root } from '../helpers/child-script.js';
import { secretServiceMissing, skipping, thisMachine } from '../helpers/platform-guards.js';

const run = promisify(execFile);
const homes: ReturnType<typeof makeHome>[] = [];
afterAll(async () => {
  for (const h of homes) {
    await deleteAllForHome(h.dir).catch(() => undefined);
    h.cleanup();
  }
});
const newHome = () => {
  const h = makeHome();
  homes.push(h);
  return h.dir;
};

const bundle = childScripts('keychain-test-');
const keychainModule = JSON.stringify(join(root, 'src-main/core/secrets/keychain.ts'));
/** Child script: runs the named operations in order, printing one JSON line per result. */
const opsChild = `import { createKeychainStore } from ${keychainModule};
  import { execFileSync } from 'node:child_process';
  const store = createKeychainStore(process.argv[2]);
  for (const op of process.argv.slice(3)) {
    if (op === 'lock') {
      execFileSync('dbus-send', ['--session', '--dest=org.freedesktop.secrets', '--type=method_call', '--print-reply',
        '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/collection/login']);
      continue;
    }
    try {
      const value = op === 'set' ? await store.set('identity/i1/session', 'SECRET-VALUE-123')
        : op === 'get' ? await store.get('identity/i1/session')
        : op === 'delete' ? await store.delete('identity/i1/session')
        : Object.fromEntries(await store.loadAll());
      console.log(JSON.stringify({ op, ok: true, value }));
    } catch (e) {
      console.log(JSON.stringify({ op, ok: false, code: e.code, message: e.message }));
    }
  }`;
type OpResult = { op: string; ok: boolean; value?: unknown; code?: string; message?: string };
const parseLines = (stdout: string): OpResult[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as OpResult);

const unreachable = await keychainUnreachableReason();
if (unreachable !== undefined && process.env.CI) {
  throw new Error(`Keychain tests must run in CI but the Secret Service is unreachable (${unreachable}); run them through scripts/with-keyring.sh`);
}
if (unreachable !== undefined) console.warn(`Skipping real-keychain tests: ${unreachable} (run through scripts/with-keyring.sh)`);
// Two tests drive D-Bus and gnome-keyring themselves; on macOS and Windows the rest use the OS keychain.
const noSecretService = skipping('the D-Bus / gnome-keyring keychain tests', secretServiceMissing(thisMachine()));

function counting(real: KeytarLike) {
  const calls: string[] = [];
  const wrap =
    <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
    (...a: A) => {
      calls.push(name);
      return fn(...a);
    };
  const kt: KeytarLike = {
    getPassword: wrap('getPassword', real.getPassword),
    setPassword: wrap('setPassword', real.setPassword),
    deletePassword: wrap('deletePassword', real.deletePassword),
    findCredentials: wrap('findCredentials', real.findCredentials),
  };
  return { kt, calls };
}

describe.skipIf(unreachable !== undefined)('keychain store (real Secret Service)', () => {
  it('sets, gets, lists and deletes', async () => {
    const store = createKeychainStore(newHome());
    const key = secretKeys.session('id-1');
    expect(await store.get(key)).toBeUndefined();
    expect(await store.loadAll()).toEqual(new Map());
    await store.set(key, '{"access_token":"é🔑"}');
    await store.set(secretKeys.anonKey('env-1'), 'anon');
    expect(await store.get(key)).toBe('{"access_token":"é🔑"}');
    await store.set(key, 'replaced');
    expect(await store.loadAll()).toEqual(new Map([[key, 'replaced'], ['env/env-1/anon_key', 'anon']]));
    await store.delete(key);
    await store.delete(key); // deleting a missing entry is fine
    expect(await store.get(key)).toBeUndefined();
    expect([...(await store.loadAll()).keys()]).toEqual(['env/env-1/anon_key']);
  });

  it('keeps two config folders apart, and one folder under any spelling together', async () => {
    const a = newHome();
    const b = newHome();
    const sa = createKeychainStore(a);
    const sb = createKeychainStore(b);
    expect(sa.service).toMatch(/^TokenDesk [0-9a-f]{16}$/);
    expect(sa.service).not.toBe(sb.service);
    expect(createKeychainStore(`${a}/./`).service).toBe(sa.service);
    const key = secretKeys.apiKey('same-env-id');
    await sa.set(key, 'from-a');
    await sb.set(key, 'from-b');
    expect(await sa.get(key)).toBe('from-a');
    expect(await sb.get(key)).toBe('from-b');
    expect(await sa.loadAll()).toEqual(new Map([[key, 'from-a']]));
    await sa.delete(key);
    expect(await sb.get(key)).toBe('from-b');
  });

  it('loads 100 secrets with a single keychain read (the vault key), and the key is the folder\'s only item', async () => {
    const home = newHome();
    const writer = createKeychainStore(home);
    for (let i = 0; i < 100; i++) await writer.set(secretKeys.session(`id-${i}`), `secret-${i}`);
    const { kt, calls } = counting(keytar);
    const reader = createKeychainStore(home, { keytar: kt });
    const all = await reader.loadAll();
    expect(all.size).toBe(100);
    expect(all.get('identity/id-42/session')).toBe('secret-42');
    expect(await reader.get(secretKeys.session('id-7'))).toBe('secret-7');
    expect(calls).toEqual(['getPassword']);
    const items = await keytar.findCredentials(keychainService(home));
    expect(items.map((i) => i.account)).toEqual([DATA_KEY_ACCOUNT]);
    expect(Buffer.byteLength(items[0]!.password)).toBeLessThanOrEqual(100);
  });

  it.skipIf(noSecretService !== undefined)('reports keychain_unavailable from a process without a reachable bus', async () => {
    const child = await bundle('ops', opsChild);
    const base = { ...process.env };
    delete base.DISPLAY;
    delete base.WAYLAND_DISPLAY;
    const noBusAddress = { ...base };
    delete noBusAddress.DBUS_SESSION_BUS_ADDRESS;
    for (const env of [{ ...base, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' }, noBusAddress]) {
      const { stdout } = await run(process.execPath, [child, newHome(), 'set', 'get', 'all'], { env });
      const results = parseLines(stdout);
      expect(results).toHaveLength(3);
      for (const r of results) {
        expect(r).toMatchObject({ ok: false, code: 'keychain_unavailable', message: unavailableMessage });
        expect(r.message).not.toContain('SECRET-VALUE');
      }
    }
  });

  // The vault's key, once read, stays in the process's memory (as VS Code's secret storage does): a
  // keyring locked afterwards stops every process that has not read it yet, not the one that has.
  it.skipIf(noSecretService !== undefined)('reports keychain_locked for every operation of a process started on a really locked collection (private bus)', async () => {
    const child = await bundle('ops', opsChild);
    const dataHome = mkdtempSync(join(tmpdir(), 'tokendesk-locked-keyring-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: dataHome };
      delete env.DISPLAY;
      delete env.DBUS_SESSION_BUS_ADDRESS;
      const { stdout } = await run(
        'dbus-run-session',
        ['--', 'sh', '-c', 'printf "pw\\n" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "$1" "$2" "$3" set get lock get; exec "$1" "$2" "$3" get all set delete', 'sh',
          process.execPath, child, newHome()],
        { env, timeout: 30_000 },
      );
      const results = parseLines(stdout);
      expect(results.map((r) => r.op)).toEqual(['set', 'get', 'get', 'get', 'all', 'set', 'delete']);
      expect(results[1]).toEqual({ op: 'get', ok: true, value: 'SECRET-VALUE-123' });
      expect(results[2]).toEqual({ op: 'get', ok: true, value: 'SECRET-VALUE-123' }); // same process, key in memory
      // libsecret answers "missing" for a locked item and keytar's findCredentials would crash on it:
      // the store must turn both into keychain_locked, and the child must survive to report them.
      for (const r of results.slice(3)) {
        expect(r).toMatchObject({ ok: false, code: 'keychain_locked', message: lockedMessage });
      }
    } finally {
      rmSync(dataHome, { recursive: true, force: true });
    }
  });
});

describe('keychain error mapping (injected keytar)', () => {
  const failing = (text: string): KeytarLike => {
    const fail = () => Promise.reject(new Error(text));
    return { getPassword: fail, setPassword: fail, deletePassword: fail, findCredentials: fail };
  };
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'keychain_unavailable'],
    ['Could not connect: No such file or directory', 'keychain_unavailable'],
    ['GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files', 'keychain_unavailable'],
    ['Cannot create an item in a locked collection', 'keychain_locked'],
    ['Prompt dismissed', 'keychain_locked'],
    ['Something odd happened with SECRET-VALUE-123', 'keychain_error'],
  ])('%s → %s, without echoing foreign text', async (text, code) => {
    const store = createKeychainStore('/tmp/irrelevant', { keytar: failing(text) });
    for (const op of [store.set(secretKeys.session('i'), 'SECRET-VALUE-123'), store.get(secretKeys.session('i')), store.loadAll()]) {
      const e = await op.catch((err: unknown) => err);
      expect(e).toBeInstanceOf(TokenDeskError);
      expect((e as TokenDeskError).code).toBe(code);
      expect((e as TokenDeskError).message).not.toContain('SECRET-VALUE');
      expect((e as TokenDeskError).message).toMatch(/^The OS keychain /);
    }
  });

  it('reports keychain_unavailable when the native module cannot be loaded', async () => {
    vi.resetModules();
    vi.doMock('keytar', () => {
      throw new Error('keytar.node: invalid ELF header');
    });
    try {
      const mod = await import('../../src-main/core/secrets/keychain.js');
      const e = await mod.createKeychainStore('/tmp/irrelevant').get(secretKeys.session('i')).catch((err: unknown) => err);
      expect(e).toMatchObject({ code: 'keychain_unavailable' });
      expect((e as Error).message).toMatch(/could not be loaded/);
    } finally {
      vi.doUnmock('keytar');
      vi.resetModules();
    }
  });

  it('derives the service from the resolved absolute folder', () => {
    expect(keychainService('/a/b')).toBe(keychainService('/a/b/../b/'));
    expect(keychainService('/a/b')).not.toBe(keychainService('/a/c'));
  });
});
