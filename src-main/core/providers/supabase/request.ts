import { joinUrl } from '../../http/body.js';
import type { ProviderContext } from '../types.js';

/** The URL and headers every GoTrue call shares (provider.ts, check.ts). */

export const SUPABASE_API_VERSION = '2024-01-01';

/** Accepts the project URL with or without a trailing `/auth/v1` (people paste both). */
export function authUrl(baseUrl: string, path: string): string {
  const base = baseUrl.trim().replace(/\/+$/, '').replace(/\/auth\/v1$/i, '');
  return joinUrl(base, `/auth/v1${path}`);
}

/**
 * The environment's anon key: its secret setting `anonKey` (catalogue), which the session manager
 * passes in `ctx.secrets` like any secret setting; `ctx.anonKey` is the shorthand tests and the bench use.
 */
export function anonKeyOf(ctx: Pick<ProviderContext, 'anonKey' | 'secrets'>): string | undefined {
  return ctx.secrets?.anonKey ?? ctx.anonKey;
}

export function headers(ctx: Pick<ProviderContext, 'anonKey' | 'secrets'>, accessToken?: string): Record<string, string> {
  const h: Record<string, string> = { 'X-Supabase-Api-Version': SUPABASE_API_VERSION };
  const anonKey = anonKeyOf(ctx);
  // Without a key we send none and let the gateway say so: its answer names the problem exactly.
  if (anonKey) h.apikey = anonKey;
  if (accessToken) h.Authorization = `Bearer ${accessToken}`;
  return h;
}

