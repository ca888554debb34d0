import { capabilitiesOf, PROVIDER_KINDS } from '../../contract/providers.js';
import { TokenDeskError } from '../errors.js';
import type { AuthProvider, ProviderKind } from './types.js';

/** Where each provider's code lives: the only per-kind line here (what it can do is in the catalogue). */
const loaders: Record<ProviderKind, () => Promise<AuthProvider>> = {
  supabase: async () => (await import('./supabase/index.js')).supabaseProvider,
  session: async () => (await import('./session-api/index.js')).sessionApiProvider,
  bearer: async () => (await import('./bearer/index.js')).bearerProvider,
  oidc: async () => (await import('./oidc/index.js')).oidcProvider,
  oauth2: async () => (await import('./oauth2/index.js')).oauth2Provider,
};

/**
 * Providers are loaded on their first call, not at start-up: `tokendesk token` on a fresh session
 * never talks to a server, so it should not pay for loading the providers' code and schemas. What a
 * provider can do is known without loading it: the catalogue says (contract/providers.ts).
 */
function lazyProvider(kind: ProviderKind, load: () => Promise<AuthProvider>): AuthProvider {
  let loaded: Promise<AuthProvider> | undefined;
  let ready: AuthProvider | undefined;
  const real = () => (loaded ??= load().then((p) => (ready = p)));
  const { canRefresh, canSignUp } = capabilitiesOf(kind);
  return {
    kind,
    canRefresh,
    canSignUp,
    signInWith: async (...a) => (await real()).signInWith(...a),
    signUp: async (...a) => (await real()).signUp(...a),
    refresh: async (...a) => (await real()).refresh(...a),
    fetchProfile: async (...a) => (await real()).fetchProfile(...a),
    signOut: async (...a) => (await real()).signOut(...a),
    signOutExpired: async (...a) => (await real()).signOutExpired?.(...a),
    // Only called for a session its provider marked renewsBy (client credentials); one without the hook cannot renew it.
    renewWithoutUser: async (ctx, session) => {
      const p = await real();
      if (!p.renewWithoutUser) throw new TokenDeskError('refresh_rejected', 'This session cannot renew itself: sign in again');
      return p.renewWithoutUser(ctx, session);
    },
    // Asked after a refresh the provider refused: it is loaded by then (the refresh loaded it).
    explainRefreshFailure: (err) => ready?.explainRefreshFailure?.(err) ?? err,
    // Optional on a provider; the wrapper always has it and says so when the provider has none.
    checkSession: async (...a) => {
      const p = await real();
      return p.checkSession ? p.checkSession(...a) : { outcome: 'unknown', reason: 'this kind of server cannot be asked whether a session is still accepted' };
    },
  };
}

const providers = Object.fromEntries(PROVIDER_KINDS.map((kind) => [kind, lazyProvider(kind, loaders[kind])])) as Record<ProviderKind, AuthProvider>;

/** The provider for a configured environment's kind (both are stateless singletons). */
export function getProvider(kind: ProviderKind): AuthProvider {
  const provider = (providers as Partial<Record<string, AuthProvider>>)[kind];
  if (!provider) throw new TokenDeskError('invalid_input', `Unknown provider kind "${String(kind).slice(0, 40)}"`);
  return provider;
}

export function providerKinds(): ProviderKind[] {
  return [...PROVIDER_KINDS];
}
