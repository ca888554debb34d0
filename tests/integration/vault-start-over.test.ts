import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppService } from '../../src-main/core/app/service.js';
import { DEMO_CREDENTIALS } from '../../src-main/core/demo-server/index.js';
import { readServiceRecordSync } from '../../src-main/core/secrets/service-record.js';
import { DATA_KEY_ACCOUNT } from '../../src-main/core/secrets/vault-peek.js';
import { cliFixture, DEMO_SUPABASE, keychainUnreachable, onTerminal, stderrLines, type CliHome } from '../helpers/cli.js';
import { ptyMissing, skipping, thisMachine } from '../helpers/platform-guards.js';
import { makeHome } from '../helpers/home.js';
import { rejection } from '../helpers/rejection.js';

/**
 * The "data key gone from the keychain while a vault exists: say so, offer to start over,
 * keep the old file aside", on the real keychain: the key item is deleted as a keychain reset would.
 */
const unreachable = await keychainUnreachable();
const noPty = skipping('the start-over terminal test', ptyMissing(thisMachine()));
const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const { signedIn, demo } = cliFixture({ demo: true });

const loseKey = async (home: string) => expect(await keytar.deletePassword(readServiceRecordSync(home)!, DATA_KEY_ACCOUNT)).toBe(true);
/** The vaults kept aside (each with its keychain service written beside it, in `<name>.keychain`). */
const asides = (home: string) => readdirSync(home).filter((n) => n.startsWith('secrets.vault.abandoned-') && !n.endsWith('.keychain'));

describe.skipIf(unreachable !== undefined)('starting over after the vault key is lost: the app', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('says so in the state, starts over only when asked, keeps the old file, and the identity is signed out but listed', async () => {
    const home = makeHome();
    const service = createAppService({ home: home.dir, shell: 'web', scheduler: false, demoPort: 0 });
    cleanups.push(() => home.cleanup(), () => service.close());
    const supa = (await service.handle('startDemo', {})).environments.find((e) => e.provider === 'supabase')!;
    await service.handle('signIn', { envId: supa.id, email: owner.email, password: owner.password, remember: false });

    // While the key is there, starting over is refused and nothing moves.
    const refused = await rejection(service.handle('startOverVault', {}), 'invalid_input');
    expect(refused.message).toMatch(/opens with its key.*nothing was changed/);
    expect(asides(home.dir)).toEqual([]);

    const sealed = readFileSync(join(home.dir, 'secrets.vault'));
    await loseKey(home.dir);
    // A new store, as a new process (the app started again) would have it: no key cached, so it sees the key gone.
    const again = createAppService({ home: home.dir, shell: 'web', scheduler: false, maintenance: false, demoPort: 0 });
    cleanups.push(() => again.close());
    const state = await again.handle('getState', {});
    expect(state.keychain).toMatchObject({ ok: false, code: 'vault_key_missing' });
    expect(readFileSync(join(home.dir, 'secrets.vault'))).toEqual(sealed);

    const { movedTo } = await again.handle('startOverVault', {});
    expect(movedTo).toMatch(/secrets\.vault\.abandoned-[0-9T.-]+Z$/);
    expect(readFileSync(movedTo)).toEqual(sealed);
    // A new vault (holding the demo's public keys again, below), never the old file.
    expect(readFileSync(join(home.dir, 'secrets.vault'))).not.toEqual(sealed);

    const after = await again.handle('getState', {});
    expect(after.keychain).toEqual({ ok: true });
    const env = after.environments.find((e) => e.id === supa.id)!;
    expect(env.identities.map((i) => [i.email, i.status])).toEqual([[owner.email, 'signed_out']]);
    // The demo's public anon key is put back with the new vault (issue 25): the next sign-in just works.
    expect(env.hasAnonKey).toBe(true);
    const back = await again.handle('signIn', { envId: supa.id, email: owner.email, password: owner.password, remember: false });
    expect(back.status).toBe('valid');
  });
});

describe.skipIf(unreachable !== undefined)('tokendesk vault start-over', { timeout: 60_000 }, () => {
  async function lostKey(): Promise<{ h: CliHome; sealed: Buffer }> {
    const h = await signedIn();
    const sealed = readFileSync(join(h.dir, 'secrets.vault'));
    await loseKey(h.dir);
    return { h, sealed };
  }

  it('is refused while the vault opens, and nothing moves', async () => {
    const h = await signedIn();
    const r = await h.run(['vault', 'start-over', '--yes']);
    expect(r.code).toBe(1);
    expect(stderrLines(r)).toEqual(['tokendesk: The secrets vault opens with its key from the OS keychain: there is nothing to start over, and nothing was changed']);
    expect(asides(h.dir)).toEqual([]);
    expect((await h.run(['token', '--env', DEMO_SUPABASE])).code).toBe(0);
  });

  it('the key gone: token names the way out; in a pipe it needs --yes; with it, the vault is moved aside and the user told what to enter again', async () => {
    const { h, sealed } = await lostKey();
    const token = await h.run(['token', '--env', DEMO_SUPABASE]);
    expect(token.code).toBe(1);
    expect(token.stderr).toMatch(/is gone from the OS keychain.*tokendesk vault start-over/);

    const unconfirmed = await h.run(['vault', 'start-over']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/confirm with --yes/);
    expect(asides(h.dir)).toEqual([]);

    const r = await h.run(['vault', 'start-over', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const [aside] = asides(h.dir);
    expect(readFileSync(join(h.dir, aside!))).toEqual(sealed);
    expect(readFileSync(join(h.dir, `${aside!}.keychain`), 'utf8')).toMatch(/^TokenDesk [0-9a-f]{16}\n$/);
    expect(r.stdout).toContain(`The old vault was moved to ${join(h.dir, aside!)} (kept: nothing was deleted)`);
    expect(r.stdout).toMatch(/^ {2}Demo Supabase: its anon key, and its X-API-Key if it had one$/m);
    expect(r.stdout).toMatch(/^ {2}Demo session API: its X-API-Key if it had one$/m);

    // Signed out now (exit 4, sign-in needed), not "key missing"; and once is enough.
    expect((await h.run(['token', '--env', DEMO_SUPABASE])).code).toBe(4);
    const twice = await h.run(['vault', 'start-over', '--yes']);
    expect(twice.code).toBe(1);
    expect(stderrLines(twice)).toEqual([`tokendesk: There is no secrets vault at ${join(h.dir, 'secrets.vault')} to start over (another TokenDesk process may have started over already); nothing was changed`]);
    expect(asides(h.dir)).toHaveLength(1);
  });

  it('after a start-over, demo-setup puts the demo anon key back and the next sign-in works', async () => {
    const { h } = await lostKey();
    expect((await h.run(['vault', 'start-over', '--yes'])).code).toBe(0);
    const setup = await h.runInProcess(['demo-setup', '--url', demo().url]);
    expect(setup.code, setup.stderr).toBe(0);
    const login = await h.runInProcess(['login', '--env', DEMO_SUPABASE, '--email', owner.email], { input: `${owner.password}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect((await h.runInProcess(['token', '--env', DEMO_SUPABASE])).code).toBe(0);
  });

  it.skipIf(noPty !== undefined)('on a terminal it asks first: "n" changes nothing (exit 1), "y" starts over', async () => {
    const { h, sealed } = await lostKey();
    const no = await onTerminal(h.env(), ['vault', 'start-over'], [['\\[y/N\\] ', 'n\r']]);
    expect(no.unanswered, no.output).toEqual([]);
    expect(no.code, no.output).toBe(1); // a script can tell it did not happen
    expect(no.output).toContain('Nothing was changed.');
    expect(readFileSync(join(h.dir, 'secrets.vault'))).toEqual(sealed);

    const yes = await onTerminal(h.env(), ['vault', 'start-over'], [['\\[y/N\\] ', 'y\r']]);
    expect(yes.unanswered, yes.output).toEqual([]);
    expect(yes.code, yes.output).toBe(0);
    expect(yes.output).toContain('The old vault was moved to');
    expect(existsSync(join(h.dir, 'secrets.vault'))).toBe(false);
  });
});
