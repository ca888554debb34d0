import { describe, expect, it } from 'vitest';
import { ConfigSchema, CONFIG_VERSION } from '../../src-main/core/config/schema.js';
import { migrateConfig } from '../../src-main/core/config/migrate.js';

/** A config as TokenDesk wrote it before identities had a subject (format version 1). */
const v1 = {
  version: 1,
  environments: [{ id: 'e1', name: 'Staging', provider: 'session', baseUrl: 'https://api.example.test', createdAt: 1 }],
  identities: [
    { id: 'i1', envId: 'e1', email: 'Dev@Example.test', userId: 'user-42', rememberPassword: true, createdAt: 1 },
    { id: 'i2', envId: 'e1', email: 'Ops@Example.test', rememberPassword: false, createdAt: 2 },
  ],
  activeIdentity: { e1: 'i2' },
};

describe('config migration (config/migrate.ts)', () => {
  it('a version 1 config becomes the current version: each identity keyed by its user id, or by its email when it has none', () => {
    const cfg = ConfigSchema.parse(migrateConfig(v1));
    expect(cfg.version).toBe(CONFIG_VERSION);
    expect(cfg.identities.map((i) => [i.id, i.subject, i.email])).toEqual([
      ['i1', 'user-42', 'Dev@Example.test'],
      ['i2', 'email:ops@example.test', 'Ops@Example.test'],
    ]);
    // Everything else is kept as it was.
    expect(cfg.activeIdentity).toEqual({ e1: 'i2' });
    expect(cfg.identities[0]!.rememberPassword).toBe(true);
  });

  it('every email version 1 took (up to 320 characters) migrates: the email subject fits', () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(250)}.test`;
    expect(long.length).toBe(320);
    const cfg = ConfigSchema.safeParse(migrateConfig({ ...v1, identities: [{ id: 'i3', envId: 'e1', email: long, rememberPassword: false, createdAt: 3 }] }));
    expect(cfg.success).toBe(true);
    expect(cfg.data?.identities[0]!.subject).toBe(`email:${long}`);
  });

  it('a version 1 config does not parse without the migration (the schema asks for a subject)', () => {
    expect(ConfigSchema.safeParse(v1).success).toBe(false);
  });

  it('leaves a current config, a newer one and what it does not recognise alone', () => {
    const current = migrateConfig(v1);
    expect(migrateConfig(current)).toEqual(current);
    expect(migrateConfig({ version: 99, identities: [] })).toEqual({ version: 99, identities: [] });
    expect(migrateConfig('nonsense')).toBe('nonsense');
  });
});
