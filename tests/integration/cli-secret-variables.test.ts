import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeychainStore } from '../../src-main/core/secrets/keychain.js';
import { cliFixture, DEMO_SESSION, keychainUnreachable } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const { demoHome, newHome } = cliFixture({ demo: true });

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const SECRETS = {
  db_pass: 'hunter2',
  Authorization: `Bearer ${JWT}`,
  basic: 'Basic dXNlcjpwdw==',
  database_url: 'postgres://app:s3cr3t-pw@db.internal/app',
  service_role: 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz',
  stripe: 'sk_live_51H8xkLCpMh2oKkZ3abcdEFGH',
  gh: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  pwd: 'correct-horse',
};
const PLAIN = { organization_id: '6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f', region: 'eu-west-1', base_path: '/v1' };

/** The names of the folder's stored secrets (the vault's entries: the keychain holds only its key). */
async function keychainAccounts(home: string): Promise<string[]> {
  return [...(await createKeychainStore(home).loadAll()).keys()];
}

describe.skipIf(unreachable !== undefined)('secret-looking variables live in the keychain', { timeout: 90_000 }, () => {
  it('env add/edit --var and a Postman import keep them out of the config folder; exports carry them only with secrets', async () => {
    const h = await demoHome();
    const login = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com'], { input: 'stringstring\n' });
    expect(login.code, login.stderr).toBe(0);

    const add = await h.runInProcess(['env', 'edit', DEMO_SESSION, '--var', `db_pass=${SECRETS.db_pass}`, '--var', `pwd=${SECRETS.pwd}`, ...Object.entries(PLAIN).flatMap(([k, v]) => ['--var', `${k}=${v}`])]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('The variables db_pass, pwd look like a secret: kept in the OS keychain');

    const file = join(h.work, 'staging.postman_environment.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Imported staging',
        values: [
          { key: 'url', value: 'https://api.example.com', type: 'default', enabled: true },
          ...Object.entries(SECRETS)
            .filter(([k]) => k !== 'db_pass' && k !== 'pwd')
            .map(([key, value]) => ({ key, value, type: 'default', enabled: true })),
          ...Object.entries(PLAIN).map(([key, value]) => ({ key, value, type: 'default', enabled: true })),
        ],
        _postman_variable_scope: 'environment',
      }),
    );
    const imp = await h.runInProcess(['import', file]);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('the 6 secret variables went to the OS keychain');

    // Not a single secret value in any file of the config folder, nor in anything printed so far.
    const folder = h.folderText();
    for (const value of [...Object.values(SECRETS), JWT, 's3cr3t-pw']) {
      expect(folder).not.toContain(value);
      expect(add.stdout + add.stderr + imp.stdout + imp.stderr).not.toContain(value);
    }
    // The plain ones stay plain and readable.
    for (const value of Object.values(PLAIN)) expect(folder).toContain(value);

    const show = JSON.parse((await h.runInProcess(['env', 'show', 'Imported staging', '--json'])).stdout) as Record<string, unknown>;
    expect(show).toMatchObject({ variables: PLAIN, secretVariables: { Authorization: true, basic: true, database_url: true, service_role: true, stripe: true, gh: true } });
    const text = (await h.runInProcess(['env', 'show', 'Imported staging'])).stdout;
    expect(text).toContain('Authorization=•••• (in the keychain)');
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);

    // Exports: with secrets they are there (typed secret in Postman), with --no-secrets they are not.
    const pm = await h.runInProcess(['export', '--env', 'Imported staging', '--format', 'postman']);
    // Nobody is signed in to it: exported all the same, but exit 4 like token (issue 25).
    expect(pm.code, pm.stderr).toBe(4);
    const values = (JSON.parse(pm.stdout) as { values: Array<{ key: string; value: string; type: string }> }).values;
    expect(values).toContainEqual({ key: 'Authorization', value: SECRETS.Authorization, type: 'secret', enabled: true });
    expect(values).toContainEqual({ key: 'database_url', value: SECRETS.database_url, type: 'secret', enabled: true });
    expect(values).toContainEqual({ key: 'region', value: 'eu-west-1', type: 'default', enabled: true });
    for (const format of ['postman', 'dotenv', 'json']) {
      const withSecrets = await h.runInProcess(['export', '--env', DEMO_SESSION, '--format', format]);
      expect(withSecrets.stdout).toContain('hunter2');
      const without = await h.runInProcess(['export', '--env', DEMO_SESSION, '--format', format, '--no-secrets']);
      expect(without.code, without.stderr).toBe(0);
      expect(without.stdout).toContain(format === 'dotenv' ? 'DB_PASS=' : 'db_pass');
      expect(without.stdout).not.toContain('hunter2');
      expect(without.stdout).not.toContain('correct-horse');
    }
    const imported = await h.runInProcess(['export', '--env', 'Imported staging', '--format', 'dotenv', '--no-secrets']);
    for (const value of Object.values(SECRETS)) expect(imported.stdout).not.toContain(value);

    // exec hands them to the child like the keys.
    const ex = await h.run(['exec', '--env', DEMO_SESSION, '--', 'sh', '-c', 'printf "%s|%s" "$TOKENDESK_DB_PASS" "$TOKENDESK_REGION"']);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toBe('hunter2|eu-west-1');

    // Unset removes the keychain entry; remove takes the rest.
    const demoId = (JSON.parse((await h.runInProcess(['env', 'show', DEMO_SESSION, '--json'])).stdout) as { secretVariables: Record<string, boolean> }).secretVariables;
    expect(Object.keys(demoId)).toEqual(['db_pass', 'pwd']);
    expect((await h.runInProcess(['env', 'edit', DEMO_SESSION, '--unset-var', 'db_pass'])).code).toBe(0);
    expect((await keychainAccounts(h.dir)).filter((a) => a.endsWith('/var/db_pass'))).toEqual([]);
    expect((await keychainAccounts(h.dir)).filter((a) => a.endsWith('/var/pwd'))).toHaveLength(1);
    expect((await h.runInProcess(['env', 'remove', 'Imported staging'])).code).toBe(0);
    expect((await keychainAccounts(h.dir)).filter((a) => a.includes('/var/') && !a.endsWith('/var/pwd'))).toEqual([]);
  });

  it('refuses variable names that cannot round-trip, naming them, and stores nothing', async () => {
    const h = newHome();
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const r = await h.runInProcess(['env', 'add', 'x', '--provider', 'session', '--url', 'http://localhost:3000', '--var', `${name}=v`]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`variable ${name}: the name is reserved by JavaScript`);
    }
    expect(JSON.parse((await h.runInProcess(['env', 'list', '--json'])).stdout)).toEqual([]);
    expect(await keychainAccounts(h.dir)).toEqual([]);
  });
});
