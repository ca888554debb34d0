import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src-main/core/config/store.js';
import { EnvironmentService } from '../../src-main/core/environments/service.js';
import { applyOneByOne, updateOneByOne, type SecretStore } from '../../src-main/core/secrets/types.js';
import { makeHome } from '../helpers/home.js';

function memorySecrets(): SecretStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  const store: SecretStore & { map: Map<string, string> } = {
    map,
    loadAll: async () => new Map(map),
    get: async (k) => map.get(k),
    set: async (k, v) => void map.set(k, v),
    delete: async (k) => void map.delete(k),
    apply: (changes) => applyOneByOne(store, changes),
    update: (decide) => updateOneByOne(store, decide),
  };
  return store;
}

describe('environment validation speaks the user\'s words and stores nothing on bad input', () => {
  const homes: ReturnType<typeof makeHome>[] = [];
  afterEach(() => homes.splice(0).forEach((h) => h.cleanup()));

  function service() {
    const home = makeHome();
    homes.push(home);
    const secrets = memorySecrets();
    const config = new ConfigStore(home.dir);
    return { envs: new EnvironmentService(config, secrets), secrets, config };
  }

  it.each([
    [{ name: 'x', provider: 'session' as const, baseUrl: 'ftp://host' }, /URL: enter an http\(s\) URL/],
    [{ name: 'x', provider: 'session' as const, baseUrl: 'http://h', color: 'red' }, /colour: use a colour like #4f7cff/],
    [{ name: 'x', provider: 'session' as const, baseUrl: 'http://h', variables: { '1bad': 'v' } }, /variable 1bad: variable names start/],
    [{ name: 'x', provider: 'supabase' as const, baseUrl: 'http://h' }, /needs its anon key/],
    // Names that do not survive plain objects are refused, naming the variable.
    [{ name: 'x', provider: 'session' as const, baseUrl: 'http://h', variables: JSON.parse('{"__proto__":"v"}') as Record<string, string> }, /variable __proto__: the name is reserved/],
    [{ name: 'x', provider: 'session' as const, baseUrl: 'http://h', variables: { constructor: 'v' } }, /variable constructor: the name is reserved/],
    [{ name: 'x', provider: 'session' as const, baseUrl: 'http://h', variables: { prototype: 'v' } }, /variable prototype: the name is reserved/],
    [{ name: 'x', provider: 'session' as const, baseUrl: 'http://h', secretVariables: { 'a b': 'v' } }, /variable "a b": variable names start/],
    // Stored text is printed raw by export and exec: a terminal escape or a bidi override is refused.
    [{ name: 'Staging\u001b[2J', provider: 'session' as const, baseUrl: 'http://h' }, /The name contains a control character \(U\+001B\)/],
    [{ name: 'x', label: 'eu\u202e', provider: 'session' as const, baseUrl: 'http://h' }, /The label contains a control character \(U\+202E\)/],
    [{ name: 'x', provider: 'session' as const, baseUrl: 'http://h', variables: { region: 'eu\u009b31m' } }, /The value of variable "region" contains a control character \(U\+009B\)/],
  ])('rejects %o', async (input, message) => {
    const { envs, secrets, config } = service();
    await expect(envs.add(input)).rejects.toThrow(message);
    expect(secrets.map.size).toBe(0);
    expect(existsSync(config.path)).toBe(false);
  });

  it('keeps a secret-looking variable in the keychain: the config lists its name, never its value', async () => {
    const { envs, secrets, config } = service();
    const env = await envs.add({
      name: 'x',
      provider: 'session',
      baseUrl: 'http://h',
      variables: { client_secret: 'v', db_pass: 'hunter2', dsn: 'postgres://u:p@db/app', organization_id: '42' },
    });
    expect(env.variables).toEqual({ organization_id: '42' });
    expect(env.secretVariables).toEqual(['client_secret', 'db_pass', 'dsn']);
    expect(secrets.map.get(`env/${env.id}/var/db_pass`)).toBe('hunter2');
    const text = readFileSync(config.path, 'utf8');
    for (const value of ['hunter2', 'postgres://u:p@db/app']) expect(text).not.toContain(value);
    expect(text).toContain('"db_pass"');
  });

  it('edits move a variable between the config and the keychain and unset removes both kinds', async () => {
    const { envs, secrets } = service();
    const env = await envs.add({ name: 'x', provider: 'session', baseUrl: 'http://h', variables: { link: 'https://u:p@h/', team: 'a' } });
    expect(env.secretVariables).toEqual(['link']);
    // A plain value under the same name: the keychain entry goes, the value is plain again.
    let next = await envs.update(env.id, { variables: { team: 'a', link: 'https://h/' } });
    expect(next.variables).toEqual({ team: 'a', link: 'https://h/' });
    expect(next.secretVariables).toBeUndefined();
    expect(secrets.map.has(`env/${env.id}/var/link`)).toBe(false);
    next = await envs.update(env.id, { variables: { ...next.variables, pwd: 'x1' } });
    expect(next.secretVariables).toEqual(['pwd']);
    // Replacing the plain variables keeps the secret ones (the app's form only knows the plain ones).
    next = await envs.update(env.id, { variables: { team: 'b' } });
    expect(next).toMatchObject({ variables: { team: 'b' }, secretVariables: ['pwd'] });
    expect(secrets.map.get(`env/${env.id}/var/pwd`)).toBe('x1');
    next = await envs.update(env.id, { unsetVariables: ['pwd', 'team'] });
    expect(next.variables).toEqual({});
    expect(next.secretVariables).toBeUndefined();
    expect([...secrets.map.keys()].filter((k) => k.includes('/var/'))).toEqual([]);
  });

  it('moves plain secrets written before the guard knew them into the keychain', async () => {
    const { envs, secrets, config } = service();
    const env = await envs.add({ name: 'old', provider: 'session', baseUrl: 'http://h', variables: { team: 'a' } });
    // As an older version left it: a password in plain text.
    await config.update((cfg) => ({ ...cfg, environments: cfg.environments.map((e) => ({ ...e, variables: { team: 'a', db_pass: 'hunter2' } })) }));
    expect(await envs.protectPlainSecrets()).toEqual(['old: db_pass']);
    expect(readFileSync(config.path, 'utf8')).not.toContain('hunter2');
    expect(secrets.map.get(`env/${env.id}/var/db_pass`)).toBe('hunter2');
    expect(await envs.resolve('old')).toMatchObject({ variables: { team: 'a' }, secretVariables: ['db_pass'] });
    expect(await envs.protectPlainSecrets()).toEqual([]);
  });

  it('a reserved name stored by an older version can still be unset', async () => {
    const { envs, config } = service();
    await envs.add({ name: 'old', provider: 'session', baseUrl: 'http://h', variables: { team: 'a' } });
    await config.update((cfg) => ({ ...cfg, environments: cfg.environments.map((e) => ({ ...e, variables: { team: 'a', constructor: 'x' } })) }));
    expect(await envs.protectPlainSecrets()).toEqual([]);
    await expect(envs.update('old', { variables: { team: 'b', constructor: 'x' } })).rejects.toThrow(/variable constructor: the name is reserved/);
    const env = await envs.update('old', { variables: { team: 'a', constructor: 'x' }, unsetVariables: ['constructor'] });
    expect({ ...env.variables }).toEqual({ team: 'a' });
  });
});
