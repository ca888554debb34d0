import { describe, expect, it } from 'vitest';
import { sessionStatus } from '../../src-main/core/app/state-view.js';
import type { Identity } from '../../src-main/core/config/schema.js';

/**
 * A session whose refresh token the server refused, once its access token has run out, is gone from
 * the vault with the refusal recorded (SessionManager.onRenewFailure → endSession). The window and the
 * tray show it as ended by the server, with the reason, not as a bare "error".
 */
const identity = (lastError?: Identity['lastError']): Identity =>
  ({ id: 'i1', envId: 'e1', subject: 'sub', email: 'alice@oidc.test', rememberPassword: false, createdAt: 0, ...(lastError && { lastError }) }) as Identity;

describe('sessionStatus without a stored session', () => {
  it('a refused refresh token is "ended", with the refusal as the message', () => {
    const refusal = { code: 'refresh_rejected', message: 'The OpenID Connect server refused the refresh token (invalid_grant): it was revoked, expired or already used', at: 1 };
    expect(sessionStatus(identity(refusal), undefined, 10, 60, false)).toEqual({ status: 'ended', message: refusal.message });
  });

  it('another failure stays an error, and no failure at all is signed out', () => {
    expect(sessionStatus(identity({ code: 'network_error', message: 'The server could not be reached', at: 1 }), undefined, 10, 60, false).status).toBe('error');
    expect(sessionStatus(identity(), undefined, 10, 60, false)).toEqual({ status: 'signed_out' });
  });
});
