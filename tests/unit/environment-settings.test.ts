import { describe, expect, it } from 'vitest';
import type { SettingInfo } from '../../src-main/contract/providers.js';
import { checkSetting, withDefaults } from '../../src-main/contract/settings.js';
import { planSettings, secretsOf } from '../../src-main/core/environments/settings.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { ConfigSchema, CONFIG_VERSION } from '../../src-main/core/config/schema.js';
import { TokenDeskError } from '../../src-main/core/errors.js';

// Declarations of the test's own: the catalogue is a const, and the code must work for any setting.
const DECLARED: readonly SettingInfo[] = [
  { name: 'loginPath', label: 'Login path', secret: false, required: false, flag: 'login-path', syntax: 'path', defaultValue: '/api/auth/login' },
  { name: 'headerName', label: 'Header', secret: false, required: true, flag: 'header', syntax: 'header' },
  { name: 'idField', label: 'Identifier field', secret: false, required: false, flag: 'identifier-field', syntax: 'field' },
  { name: 'mappings', label: 'Mappings', secret: false, required: false, flag: 'map', syntax: 'mapping', repeatable: true },
  { name: 'clientSecret', label: 'Client secret', secret: true, required: true, flag: 'client-secret' },
  { name: 'extraKey', label: 'Extra key', secret: true, required: false, flag: 'extra-key' },
];

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TokenDeskError);
    expect((e as TokenDeskError).code).toBe('invalid_input');
    return (e as TokenDeskError).message;
  }
  throw new Error('expected a refusal');
}

const add = (settings: Record<string, string>, secrets: Record<string, string | null> = { clientSecret: 's3cr3t-value' }) =>
  planSettings(DECLARED, 'Test', { settings, secrets }, {}, true);

describe('declared settings on their way in (planSettings)', () => {
  it('keeps valid non-secret values for config.json and secret ones for the vault only', () => {
    const plan = add({ headerName: 'X-Token', loginPath: ' /v2/sessions ', idField: 'username', mappings: 'token=data.accessToken\n\nexpires=data.expiresIn' });
    expect(plan.settings).toEqual({ headerName: 'X-Token', loginPath: '/v2/sessions', idField: 'username', mappings: 'token=data.accessToken\nexpires=data.expiresIn' });
    expect([...plan.secrets]).toEqual([['clientSecret', 's3cr3t-value']]);
    expect(plan.settings).not.toHaveProperty('clientSecret');
  });

  it('refuses a name the kind does not declare, naming it and the ones it has', () => {
    expect(refusal(() => add({ headerName: 'X', logoutPath: '/x' }))).toMatch(/"logoutPath" is not a setting of Test environments \(it has loginPath, headerName, idField, mappings\)/);
    expect(refusal(() => add({ headerName: 'X' }, { clientSecret: 'v', nope: 'v' }))).toMatch(/"nope" is not a setting of Test environments \(it has clientSecret, extraKey\)/);
  });

  it('refuses a secret given as a plain setting (it would land in config.json) and the reverse', () => {
    expect(refusal(() => add({ headerName: 'X', clientSecret: 'abc' }))).toMatch(/client secret is secret/);
    expect(refusal(() => add({ headerName: 'X' }, { clientSecret: 'v', loginPath: '/a' }))).toMatch(/login path is not secret/);
  });

  it.each([
    ['loginPath', 'api/login', /login path: a path starts with \//],
    ['loginPath', '/a b', /login path: a path starts with \//],
    ['headerName', 'X Token', /header: an HTTP header name/],
    ['headerName', 'X:Token', /header: an HTTP header name/],
    ['idField', 'user.name', /identifier field: a JSON field name/],
    ['mappings', 'token', /mappings: "token" is not FIELD=dot.path/],
    ['mappings', 'token=data..x', /is not FIELD=dot.path/],
    ['mappings', 'token=a\ntoken=b', /token is given twice/],
    ['idField', 'na\u202eme', /invisible or control character/],
  ])('refuses %s = %j with a message naming the setting', (name, value, message) => {
    const settings: Record<string, string> = { headerName: 'X-Token', [name]: value };
    expect(refusal(() => add(settings))).toMatch(message);
  });

  it('refuses a non-secret value that looks like a credential (the secret guard of config.json)', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(refusal(() => add({ headerName: 'X', idField: 'ghp_0123456789abcdefghijABCDEFGHIJ' }))).toMatch(/identifier field looks like a credential/);
    expect(refusal(() => add({ headerName: 'X', loginPath: `/login/${jwt}` }))).toMatch(/looks like a credential/);
  });

  it('on add, a required setting without a default must be given, secret or not', () => {
    expect(refusal(() => add({}))).toMatch(/a Test environment needs its header/);
    expect(refusal(() => add({ headerName: 'X' }, {}))).toMatch(/a Test environment needs its client secret/);
    // loginPath is not required, and has a default anyway.
    expect(add({ headerName: 'X' }).settings).toEqual({ headerName: 'X' });
  });

  it('on edit, values are set on top of the stored ones, an empty one removes it, null removes a secret', () => {
    const stored = { headerName: 'X-Token', loginPath: '/v2/sessions' };
    const plan = planSettings(DECLARED, 'Test', { settings: { loginPath: '', idField: 'login' }, secrets: { extraKey: null } }, stored, false);
    expect(plan.settings).toEqual({ headerName: 'X-Token', idField: 'login' });
    expect([...plan.secrets]).toEqual([['extraKey', null]]);
    expect(stored).toEqual({ headerName: 'X-Token', loginPath: '/v2/sessions' }); // not changed in place
    expect(refusal(() => planSettings(DECLARED, 'Test', { settings: { headerName: '' } }, stored, false))).toMatch(/needs its header/);
    expect(refusal(() => planSettings(DECLARED, 'Test', { secrets: { clientSecret: null } }, stored, false))).toMatch(/needs its client secret/);
  });

  it('routes the legacy anonKey/apiKey fields as the secret settings of the same names', () => {
    expect(secretsOf({ anonKey: 'a', apiKey: null, secrets: { other: 'o' } })).toEqual({ other: 'o', anonKey: 'a', apiKey: null });
    expect(secretsOf({})).toBeUndefined();
  });
});

describe('checkSetting and withDefaults', () => {
  it('secret values: one line, not empty; anonKey and apiKey keep their own checks', () => {
    expect(checkSetting(DECLARED[4]!, '  v  ')).toEqual({ ok: true, value: 'v' });
    expect(checkSetting(DECLARED[4]!, 'a\nb')).toMatchObject({ ok: false, message: expect.stringMatching(/line breaks/) });
    const anon: SettingInfo = { name: 'anonKey', label: 'Anon key', secret: true, required: true, flag: 'anon-key' };
    expect(checkSetting(anon, 'notakey')).toMatchObject({ ok: false, label: 'anon key', message: expect.stringMatching(/^an anon key is a JWT/) });
  });

  it('fills the declared defaults of the settings an environment leaves out (never a secret)', () => {
    expect(withDefaults(DECLARED, { headerName: 'X' })).toEqual({ loginPath: '/api/auth/login', headerName: 'X' });
    expect(withDefaults(DECLARED, { loginPath: '/own' }).loginPath).toBe('/own');
  });
});

describe('secret settings in the vault', () => {
  it('anonKey and apiKey keep the keys they had, so nothing stored moves; others get their own', () => {
    expect(secretKeys.setting('e1', 'anonKey')).toBe(secretKeys.anonKey('e1'));
    expect(secretKeys.setting('e1', 'apiKey')).toBe(secretKeys.apiKey('e1'));
    expect(secretKeys.setting('e1', 'clientSecret')).toBe('env/e1/setting/clientSecret');
  });
});

describe('EnvironmentSchema.settings (config.json)', () => {
  const envWith = (settings: unknown) => ({
    version: CONFIG_VERSION,
    environments: [{ id: 'e1', name: 'staging', provider: 'supabase', baseUrl: 'https://abc.supabase.co', settings, createdAt: 1 }],
  });

  it('defaults to none, and refuses a name the kind does not declare or one of its secrets', () => {
    expect(ConfigSchema.parse(envWith(undefined)).environments[0]!.settings).toEqual({});
    const unknown = ConfigSchema.safeParse(envWith({ loginPathX: '/a' }));
    expect(unknown.success).toBe(false);
    expect(unknown.error!.issues[0]!.message).toMatch(/"loginPathX" is not a setting of Supabase environments/);
    const secret = ConfigSchema.safeParse(envWith({ anonKey: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.kk88' }));
    expect(secret.success).toBe(false);
    expect(secret.error!.issues.map((i) => i.message).join(' ')).toMatch(/"anonKey" is a secret setting/);
  });
});
