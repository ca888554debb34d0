import { TokenDeskError } from '../errors.js';
import type { AuthProvider, ProviderKind } from './types.js';

/**
 * Providers are loaded on their first call, not at start-up: `tokendesk token` on a fresh session
 * never talks to a server, so it should not pay for loading the providers' code and schemas.
 */
function lazyProvider(kind: ProviderKind, caps: { canRefresh: boolean; canSignUp: boolean }, load: () => Promise<AuthProvider>): AuthProvider {
  let loaded: Promise<AuthProvider> | undefined;
  const real = () => (loaded ??= load());
  return {
    kind,
    ...caps,
    signIn: async (...a) => (await real()).signIn(...a),
    signUp: async (...a) => (await real()).signUp(...a),
    refresh: async (...a) => (await real()).refresh(...a),
    fetchProfile: async (...a) => (await real()).fetchProfile(...a),
    signOut: async (...a) => (await real()).signOut(...a),
  };
}

const providers: Record<ProviderKind, AuthProvider> = {
  supabase: lazyProvider('supabase', { canRefresh: true, canSignUp: true }, async () => (await import('./supabase/index.js')).supabaseProvider),
  session: lazyProvider('session', { canRefresh: false, canSignUp: false }, async () => (await import('./session-api/index.js')).sessionApiProvider),
};

/** The provider for a configured environment's kind (both are stateless singletons). */
export function getProvider(kind: ProviderKind): AuthProvider {
  const provider = (providers as Partial<Record<string, AuthProvider>>)[kind];
  if (!provider) throw new TokenDeskError('invalid_input', `Unknown provider kind "${String(kind).slice(0, 40)}"`);
  return provider;
}

export function providerKinds(): ProviderKind[] {
  return Object.keys(providers) as ProviderKind[];
}
