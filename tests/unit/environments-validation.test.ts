import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../src-main/core/config/store.js';
import { EnvironmentService } from '../../src-main/core/environments/service.js';
import type { SecretStore } from '../../src-main/core/secrets/types.js';
import { makeHome } from '../helpers/home.js';

function memorySecrets(): SecretStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    loadAll: async () => new Map(map),
    get: async (k) => map.get(k),
    set: async (k, v) => void map.set(k, v),
    delete: async (k) => void map.delete(k),
  };
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
    [{ name: 'x', provider: 'session' as const, baseUrl: 'http://h', variables: { client_secret: 'v' } }, /looks like a secret/],
  ])('rejects %o', async (input, message) => {
    const { envs, secrets, config } = service();
    await expect(envs.add(input)).rejects.toThrow(message);
    expect(secrets.map.size).toBe(0);
    expect(existsSync(config.path)).toBe(false);
  });
});
