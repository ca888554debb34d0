import { joinUrl } from '../../http/body.js';
import type { ProviderContext } from '../types.js';

/** The URL and headers every GoTrue call shares (provider.ts, check.ts). */

export const SUPABASE_API_VERSION = '2024-01-01';

/** Accepts the project URL with or without a trailing `/auth/v1` (people paste both). */
export function authUrl(baseUrl: string, path: string): string {
  const base = baseUrl.trim().replace(/\/+$/, '').replace(/\/auth\/v1$/i, '');
  return joinUrl(base, `/auth/v1${path}`);
}

export function headers(ctx: Pick<ProviderContext, 'anonKey'>, accessToken?: string): Record<string, string> {
  const h: Record<string, string> = { 'X-Supabase-Api-Version': SUPABASE_API_VERSION };
  // Without a key we send none and let the gateway say so: its answer names the problem exactly.
  if (ctx.anonKey) h.apikey = ctx.anonKey;
  if (accessToken) h.Authorization = `Bearer ${accessToken}`;
  return h;
}

