/**
 * The secret `tokendesk exec` hands its child (issue 23): tdx1.<payload>.<mac>, verified with the
 * install secret alone. What a caller would notice: a secret made with this install secret is served
 * its scope until it expires, and one altered anywhere, made with another install secret, or expired
 * is nothing at all.
 */
import { describe, expect, it } from 'vitest';
import { makeScopedSecret, mergeScope, ScopedSecretCheck, scopeFor, type Scope } from '../../src-main/core/endpoint/scoped-secret.js';

const INSTALL = 'c2VjcmV0LW9mLXRoaXMtaW5zdGFsbC1mb3ItdGVzdHMtb25seQ';
const NOW = 1_800_000_000_000;
const scope: Scope = { entries: [{ env: 'env-a' }, { env: 'env-b', identities: ['id-1'] }], expiresAt: NOW + 3_600_000, madeFor: 'exec node' };

describe('scoped endpoint secrets', () => {
  it('verifies with the install secret it was made with, giving back its scope; two made alike differ', () => {
    const made = makeScopedSecret(INSTALL, scope);
    expect(made).toMatch(/^tdx1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(made).not.toContain(INSTALL);
    expect(new ScopedSecretCheck(INSTALL).verify(made, NOW)).toEqual(scope);
    expect(makeScopedSecret(INSTALL, scope)).not.toBe(made);
  });

  it('is refused once expired, after another install secret, and when any part is altered', () => {
    const made = makeScopedSecret(INSTALL, scope);
    const check = new ScopedSecretCheck(INSTALL);
    expect(check.verify(made, scope.expiresAt - 1)).toBeDefined();
    expect(check.verify(made, scope.expiresAt)).toBeUndefined();
    expect(new ScopedSecretCheck(`${INSTALL}x`).verify(made, NOW)).toBeUndefined();

    const [prefix, payload, mac] = made.split('.') as [string, string, string];
    // A wider scope or a later expiry written into the payload: the MAC no longer matches.
    const widened = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { scope: unknown[]; exp: number };
    widened.scope.push({ env: 'env-c' });
    widened.exp += 86_400_000;
    const forged = `${prefix}.${Buffer.from(JSON.stringify(widened)).toString('base64url')}.${mac}`;
    expect(check.verify(forged, NOW)).toBeUndefined();
    const flipped = `${prefix}.${payload}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    expect(check.verify(flipped, NOW)).toBeUndefined();
    // The last character carries two spare bits: another spelling of the same MAC is still another secret.
    const last = mac.at(-1)!;
    const spare = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(last) ^ 1;
    const respelled = `${prefix}.${payload}.${mac.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[spare]}`;
    expect(Buffer.from(respelled.split('.')[2]!, 'base64url')).toEqual(Buffer.from(mac, 'base64url'));
    expect(check.verify(respelled, NOW)).toBeUndefined();
    for (const bad of ['tdx1.', 'tdx1..', `tdx1.${payload}`, `tdx1.${payload}.`, `tdx2.${payload}.${mac}`, `${made}.x`, `tdx1.${'A'.repeat(9000)}.${mac}`]) {
      expect(check.verify(bad, NOW)).toBeUndefined();
    }
  });

  it('a correctly signed payload that is not a scope is still refused (validated after the MAC)', async () => {
    const { createHmac } = await import('node:crypto');
    const key = createHmac('sha256', INSTALL).update('tokendesk endpoint scoped secret v1').digest();
    const signedWith = (payload: unknown) => {
      const signed = `tdx1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${signed}.${createHmac('sha256', key).update(signed).digest('base64url')}`;
    };
    const check = new ScopedSecretCheck(INSTALL);
    expect(check.verify(signedWith({ v: 1, scope: [{ env: 'env-a' }], exp: NOW + 1000, for: 'x', n: 'n' }), NOW)).toBeDefined();
    expect(check.verify(signedWith({ v: 1, scope: [], exp: NOW + 1000, for: 'x', n: 'n' }), NOW)).toBeUndefined();
    expect(check.verify(signedWith({ v: 2, scope: [{ env: 'env-a' }], exp: NOW + 1000, for: 'x', n: 'n' }), NOW)).toBeUndefined();
    expect(check.verify(signedWith({ v: 1, scope: [{ env: 'env-a' }], for: 'x', n: 'n' }), NOW)).toBeUndefined();
  });

  it('serves its environments, restricted to identities only where every use named one', () => {
    expect(scopeFor(scope, 'env-a')).toEqual({});
    expect(scopeFor(scope, 'env-b')).toEqual({ identities: ['id-1'] });
    expect(scopeFor(scope, 'env-c')).toBeUndefined();
    expect(mergeScope([{ env: 'a', identity: 'x' }, { env: 'b' }, { env: 'a', identity: 'y' }, { env: 'b', identity: 'z' }, { env: 'a', identity: 'x' }])).toEqual([
      { env: 'a', identities: ['x', 'y'] },
      { env: 'b' },
    ]);
    expect(mergeScope([{ env: 'a', identity: 'x' }, { env: 'a' }])).toEqual([{ env: 'a' }]);
  });
});
