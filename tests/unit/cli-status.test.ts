import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../src-main/cli/commands/status.js';
import { environmentViews } from '../../src-main/core/app/state-view.js';
import { ConfigSchema } from '../../src-main/core/config/schema.js';
import { secretKeys } from '../../src-main/core/secrets/types.js';
import { splitSession } from '../../src-main/core/sessions/session-codec.js';

/** `tokendesk status` is built from the app's own identity view (state-view.ts), in the CLI's words. */
describe('status from the shared view', () => {
  const now = Date.UTC(2026, 0, 1);
  const cfg = ConfigSchema.parse({
    version: 2,
    environments: [{ id: 'e1', name: 'Local', provider: 'session', baseUrl: 'http://localhost:3000', createdAt: 1 }],
    identities: [
      { id: 'i1', envId: 'e1', subject: 'u-i1', email: 'a@test.com', rememberPassword: false, createdAt: 1, activeAccountId: '2', lastError: { code: 'network', message: 'The server did not answer', at: now - 5 } },
      { id: 'i2', envId: 'e1', subject: 'u-i2', email: 'b@test.com', rememberPassword: true, createdAt: 1 },
      { id: 'i3', envId: 'e1', subject: 'u-i3', email: 'c@test.com', rememberPassword: false, createdAt: 1 },
    ],
    activeIdentity: { e1: 'i1' },
  });
  const profile = { userId: 'u', email: 'a@test.com', accounts: [{ id: '1', name: 'Acme', primary: true }, { id: '2', name: 'Globex', primary: false }], roles: ['admin'], permissions: ['read'], permissionsFromRoles: ['read'] };
  const session = (expiresAt: number) => splitSession({ provider: 'session', accessToken: 'ab'.repeat(32), obtainedAt: now - 60_000, expiresAt, profile });
  const a = session(now - 1_000);
  const b = session(now - 1_000);
  const secrets = new Map([[secretKeys.session('i1'), a.tokens], [secretKeys.session('i2'), b.tokens]]);
  const profiles = new Map([['i1', a.profile], ['i2', b.profile]]);
  const [env] = buildStatus(environmentViews(cfg, secrets, { now, refreshing: new Set(), profiles }), now);

  it('tells an expired session that cannot renew from one the next use renews, and one never signed in', () => {
    expect(env!.identities.map((i) => [i.email, i.state, i.renewal, i.signedIn])).toEqual([
      ['a@test.com', 'expired', 'none', false],
      ['b@test.com', 'expired-renewable', 'remembered-password', false],
      ['c@test.com', 'signed-out', 'none', false],
    ]);
  });

  it('keeps the last failure beside an expiry, the chosen account and the profile', () => {
    const [first] = env!.identities;
    expect(first).toMatchObject({ active: true, lastError: 'The server did not answer', expiresAt: new Date(now - 1_000).toISOString(), expiresInSeconds: -1, roles: ['admin'], permissions: ['read'] });
    expect(first!.accounts).toEqual([{ id: '1', name: 'Acme', primary: true, active: false }, { id: '2', name: 'Globex', primary: false, active: true }]);
    expect(env!.identities[1]!.lastError).toBeNull();
  });
});
