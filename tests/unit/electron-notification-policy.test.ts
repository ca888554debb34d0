import { describe, expect, it } from 'vitest';
import { NotificationPolicy, type IdentityInfo } from '../../src-main/electron/notification-policy.js';

function setup(info: Record<string, IdentityInfo>) {
  const db = { ...info };
  return { db, policy: new NotificationPolicy((id) => db[id]) };
}

const renewable: IdentityInfo = { envName: 'Staging', email: 'owner@example.test', canRenew: true, expiresAt: 1000 };
const fixed: IdentityInfo = { envName: 'Prod', email: 'admin@example.test', canRenew: false, expiresAt: 2000 };

describe('NotificationPolicy', () => {
  it('warns once before a non-renewable session expires', () => {
    const { policy } = setup({ i1: fixed });
    const e = { type: 'session-expiring', identityId: 'i1', envId: 'e1', expiresAt: 2000 } as const;
    const first = policy.decide(e);
    expect(first).toMatchObject({ title: 'Prod: session expires soon', identityId: 'i1', envId: 'e1' });
    expect(first!.body).toContain('admin@example.test');
    for (let i = 0; i < 50; i++) expect(policy.decide(e)).toBeNull(); // the scheduler may repeat it every tick
  });

  it('stays quiet when the session renews itself', () => {
    const { policy } = setup({ i1: renewable });
    expect(policy.decide({ type: 'session-expiring', identityId: 'i1', envId: 'e1', expiresAt: 1000 })).toBeNull();
  });

  it('notifies a final refresh failure once, never a retryable one', () => {
    const { policy } = setup({ i1: renewable });
    expect(policy.decide({ type: 'refresh-failed', identityId: 'i1', envId: 'e1', message: 'offline', final: false })).toBeNull();
    const e = { type: 'refresh-failed', identityId: 'i1', envId: 'e1', message: 'Refresh token revoked', final: true } as const;
    expect(policy.decide(e)).toMatchObject({ title: 'Staging: could not renew the session' });
    expect(policy.decide(e)).toBeNull();
  });

  it('notifies an expired session once per session', () => {
    const { policy, db } = setup({ i1: renewable });
    const e = { type: 'session-expired', identityId: 'i1', envId: 'e1', reason: 'expired' } as const;
    expect(policy.decide(e)).toMatchObject({ title: 'Staging: session expired' });
    expect(policy.decide(e)).toBeNull();
    // Signed in again (a new session, a new expiry): its expiry is news again.
    db.i1 = { ...renewable, expiresAt: 5000 };
    expect(policy.decide(e)).not.toBeNull();
    expect(policy.decide(e)).toBeNull();
  });

  it('a refreshed session resets what was notified for that identity only', () => {
    const { policy } = setup({ i1: fixed, i2: fixed });
    const exp = (identityId: string) => ({ type: 'session-expiring', identityId, envId: 'e1', expiresAt: 2000 }) as const;
    expect(policy.decide(exp('i1'))).not.toBeNull();
    expect(policy.decide(exp('i2'))).not.toBeNull();
    expect(policy.decide({ type: 'session-refreshed', identityId: 'i1', envId: 'e1', expiresAt: 3000 })).toBeNull();
    expect(policy.decide(exp('i1'))).not.toBeNull();
    expect(policy.decide(exp('i2'))).toBeNull();
  });

  it('a hostile environment name or email reaches the notification as plain text', () => {
    const { policy } = setup({ i1: { envName: 'Prod\u001b]0;pwned\u0007\u202e\u001b[2J', email: 'a\u009b8m@evil.test\r\nRun: sh', canRenew: false, expiresAt: 5 } });
    const n = policy.decide({ type: 'session-expired', identityId: 'i1', envId: 'e1', reason: 'expired' });
    expect(n).toMatchObject({ title: 'Prod: session expired', body: 'a@evil.test Run: sh is signed out. Sign in again to get a new token.' });
  });

  it('ignores unknown identities and other events, and never puts the server message in the text', () => {
    const { policy } = setup({ i1: renewable });
    expect(policy.decide({ type: 'session-expired', identityId: 'ghost', envId: 'e1', reason: 'x' })).toBeNull();
    expect(policy.decide({ type: 'state-changed', reason: 'config' })).toBeNull();
    expect(policy.decide({ type: 'clipboard-cleared' })).toBeNull();
    const n = policy.decide({ type: 'refresh-failed', identityId: 'i1', envId: 'e1', message: 'token=eyJSECRET', final: true });
    expect(JSON.stringify(n)).not.toContain('eyJSECRET');
  });
});
