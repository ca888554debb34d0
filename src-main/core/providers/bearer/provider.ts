import { TokenDeskError } from '../../errors.js';
import { methodsById } from '../password-method.js';
import type { AuthProvider, Profile, ProviderContext, SignUpResult, StoredSession } from '../types.js';
import { checkSession } from './check.js';
import { profileFromToken } from './profile.js';
import { tokenFlow } from './sign-in.js';

/**
 * A pasted token (issue 20): any API that takes a long-lived bearer token or personal access token.
 * TokenDesk did not issue it, so it cannot renew it (catalogue renewal `none`: warned before a JWT's
 * exp) and there is no server session to end on sign-out: forgetting it locally is all there is.
 */
export const bearerProvider: AuthProvider = {
  kind: 'bearer',
  canRefresh: false,
  canSignUp: false,
  signInWith: methodsById('A pasted-token environment', { token: tokenFlow }),
  async signUp(): Promise<SignUpResult> {
    throw new TokenDeskError('unsupported', 'A pasted-token environment has no sign-up: create the token in the API\'s own settings');
  },
  async refresh(): Promise<StoredSession> {
    throw new TokenDeskError('unsupported', 'A pasted token cannot be renewed by TokenDesk: paste a new one');
  },
  async fetchProfile(_ctx: ProviderContext, session: StoredSession): Promise<Profile> {
    return profileFromToken(session.accessToken);
  },
  // The token belongs to the API's own settings page; revoking it there is the user's call.
  async signOut(): Promise<void> {},
  checkSession,
};
