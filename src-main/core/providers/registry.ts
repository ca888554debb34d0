import { TokenDeskError } from '../errors.js';
import { sessionApiProvider } from './session-api/index.js';
import { supabaseProvider } from './supabase/index.js';
import type { AuthProvider, ProviderKind } from './types.js';

const providers: Record<ProviderKind, AuthProvider> = {
  supabase: supabaseProvider,
  session: sessionApiProvider,
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
