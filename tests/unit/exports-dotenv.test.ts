import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dotenvKey, dotenvValue, toDotenv } from '../../src-main/core/exports/index.js';
import { makeEnv, SUPABASE_SECRETS, supabaseInput } from './exports-fixtures.js';

/** A small dotenv reader: KEY=bare or KEY="escaped" (\\ \" \$ \` \n \r), comments skipped. */
function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`bad line: ${line}`);
    const [, key, raw] = m as unknown as [string, string, string];
    if (raw.startsWith('"')) {
      expect(raw.endsWith('"')).toBe(true);
      out[key] = raw.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
    } else {
      out[key] = raw;
    }
  }
  return out;
}

describe('toDotenv', () => {
  it('upper-cases keys, leaves plain values bare and names environment and identity in a comment', () => {
    const text = toDotenv(supabaseInput(), { includeSecrets: true, includeRefreshToken: true });
    const lines = text.split('\n');
    expect(lines[0]).toBe('# TokenDesk environment "staging" (supabase)');
    expect(lines[1]).toBe('# Identity: dev@example.com');
    expect(text).toContain('\nURL=https://txpaxbxhnvnhsjwwaeoy.supabase.co\n');
    expect(parseDotenv(text)).toEqual({
      URL: 'https://txpaxbxhnvnhsjwwaeoy.supabase.co',
      ANON_KEY: SUPABASE_SECRETS.anonKey,
      API_KEY: SUPABASE_SECRETS.apiKey,
      USER_JWT_TOKEN: SUPABASE_SECRETS.accessToken,
      REFRESH_TOKEN: SUPABASE_SECRETS.refreshToken,
      ORGANIZATION_ID: '40e9bb4c-3b1c-4e5b-8c7d-2f5a9b8e1c3d',
    });
  });

  it('without secrets: keys stay, values empty, and the header says so', () => {
    const text = toDotenv(supabaseInput(), { includeSecrets: false });
    for (const s of Object.values(SUPABASE_SECRETS)) expect(text).not.toContain(s);
    expect(text).toContain('\nUSER_JWT_TOKEN=\n');
    expect(text).toContain('# Secrets omitted');
  });

  it('leaves out a line it has no value for (the refresh token not asked for, a secret variable missing), not KEY=', () => {
    const env = makeEnv({ secretVariables: ['db_pass'] });
    const text = toDotenv(supabaseInput({ env }), { includeSecrets: true });
    expect(text).not.toMatch(/^REFRESH_TOKEN=/m);
    expect(text).not.toMatch(/^DB_PASS=/m);
    expect(text).toMatch(/^# The refresh token was left out/m);
    expect(parseDotenv(text)).toMatchObject({ USER_JWT_TOKEN: SUPABASE_SECRETS.accessToken, ANON_KEY: SUPABASE_SECRETS.anonKey });
  });

  const nasty = [`a b`, `quote " and 'single'`, 'dollar $HOME ${X} `id`', 'back\\slash\\', 'line1\nline2\r', 'ünïcødé=#'];

  it('escaping round-trips through a dotenv parser', () => {
    const variables = Object.fromEntries(nasty.map((v, i) => [`v${i}`, v]));
    const env = makeEnv({ variables });
    const parsed = parseDotenv(toDotenv({ env, secrets: {} }, { includeSecrets: true }));
    nasty.forEach((v, i) => expect(parsed[`V${i}`]).toBe(v));
    expect(dotenvValue('abc-1.2/x:y_z')).toBe('abc-1.2/x:y_z');
    expect(dotenvValue('a b')).toBe('"a b"');
  });

  it('a POSIX shell sourcing the file reads the same values (no $ expansion)', () => {
    const oneLine = nasty.filter((v) => !/[\r\n]/.test(v));
    const env = makeEnv({ variables: Object.fromEntries(oneLine.map((v, i) => [`v${i}`, v])) });
    const text = toDotenv({ env, secrets: {} }, { includeSecrets: true });
    const script = `${text}\nprintf '%s\\0' ${oneLine.map((_, i) => `"$V${i}"`).join(' ')}`;
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(oneLine);
  });

  it('keys are made into identifiers; a newline in the env name cannot break the comment', () => {
    expect(dotenvKey('my.var-name')).toBe('MY_VAR_NAME');
    expect(dotenvKey('1st')).toBe('_1ST');
    const text = toDotenv({ env: makeEnv({ name: 'x\nEVIL=1' }), secrets: {} }, { includeSecrets: false });
    expect(text).not.toMatch(/^EVIL=/m);
  });
});
