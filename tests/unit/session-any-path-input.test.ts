import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src-main/contract/providers.js';
import { signInFields } from '../../src-main/contract/settings.js';
import { validateDraft, type EnvDraft } from '../../src-renderer/environments/validate.js';

/** What the Add/Edit form and the sign-in form make of a session API's settings (issue 20, "Session APIs at any path"). */
const draft = (over: Partial<EnvDraft> = {}): EnvDraft => ({
  provider: 'session',
  name: 'Mine',
  baseUrl: 'http://127.0.0.1:8080',
  settings: {},
  removeSecrets: {},
  color: '',
  label: '',
  production: false,
  accountKind: 'none',
  accountName: '',
  ...over,
});
const errorsOf = (d: EnvDraft) => validateDraft(d, { existing: [] }).errors;

describe('the environment form with a session API\'s settings', () => {
  it('refuses a mapping whose field the session kind does not read, naming it and the allowed ones', () => {
    const errors = errorsOf(draft({ settings: { map: 'token=data.accessToken\nexpiry=data.expiresIn' } }));
    expect(errors['setting:map']).toMatch(/"expiry" is not a field that can be mapped; use one of token, expires, userId, email, accounts, roles, permissions/);
    expect(errorsOf(draft({ settings: { map: 'token=data.accessToken\nexpires=data.expiresIn' } }))['setting:map']).toBeUndefined();
  });

  it('takes a base URL ending in /api when the environment has paths of its own, not with the default ones', () => {
    expect(errorsOf(draft({ baseUrl: 'http://127.0.0.1:8080/api' })).baseUrl).toMatch(/ends in \/api/);
    expect(errorsOf(draft({ baseUrl: 'http://127.0.0.1:8080/api', settings: { loginPath: '/v2/sessions', sessionPath: '/v2/me' } })).baseUrl).toBeUndefined();
  });
});

describe('the sign-in form\'s first field for a session API', () => {
  const method = PROVIDERS.session.capabilities.signInMethods[0]!;
  it('asks a user name as text when the login body\'s identifier field is not email; the answer keeps its name', () => {
    const [first] = signInFields('session', method, { identifierField: 'username' });
    expect(first).toMatchObject({ name: 'email', kind: 'text', label: 'User name' });
  });
  it('asks an email address by default', () => {
    expect(signInFields('session', method, {})[0]).toMatchObject({ name: 'email', kind: 'email', label: 'Email' });
    expect(signInFields('session', method, { identifierField: 'email' })[0]).toMatchObject({ kind: 'email' });
  });
});
