import { describe, expect, it } from 'vitest';
import { emptyConfig, type Identity } from '../../src-main/core/config/schema.js';
import { recordsIdentity } from '../../src-main/core/sessions/identity-match.js';

const next: Identity = {
  id: 'id-1',
  envId: 'env-1',
  subject: 'u-1',
  email: 'a@x.test',
  displayName: 'A',
  userId: 'u-1',
  activeAccountId: undefined,
  rememberPassword: false,
  createdAt: 1,
};
const withListed = (listed: Identity, active = 'id-1') => ({ ...emptyConfig(), identities: [listed], activeIdentity: { 'env-1': active } });

// A sign-in skips the configuration write only when this says the file already holds the result.
describe('recordsIdentity', () => {
  it('is true for the same fields, an absent field counting as undefined', () => {
    const { activeAccountId: _, ...listed } = next;
    expect(recordsIdentity(withListed(listed as Identity), next)).toBe(true);
  });

  it('is false when the identity is not the active one, is missing, or differs in any field', () => {
    expect(recordsIdentity(withListed(next, 'id-2'), next)).toBe(false);
    expect(recordsIdentity({ ...emptyConfig(), activeIdentity: { 'env-1': 'id-1' } }, next)).toBe(false);
    expect(recordsIdentity(withListed({ ...next, displayName: 'B' }), next)).toBe(false);
    expect(recordsIdentity(withListed({ ...next, rememberPassword: true }), next)).toBe(false);
  });

  it('is false while the identity carries a last error, so a new sign-in clears it', () => {
    expect(recordsIdentity(withListed({ ...next, lastError: { code: 'refresh_failed', message: 'x', at: 2 } }), next)).toBe(false);
  });
});
