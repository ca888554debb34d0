import { parseAuthParams } from '../../../contract/auth-params.js';
import { PROVIDERS } from '../../../contract/providers.js';
import { TokenDeskError } from '../../errors.js';
import type { ProviderContext } from '../types.js';

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret?: string;
  scope: string;
  audience?: string;
  /** Extra authorization parameters for the browser sign-in (the `authParams` setting). */
  authParams: Record<string, string>;
}

const DEFAULT_SCOPE = PROVIDERS.oidc.settings.find((s) => s.name === 'scope')?.defaultValue ?? 'openid';

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The environment's OpenID settings (catalogue `oidc`): the issuer is the `issuer` setting or else the
 * base URL. Plain http is taken only on this machine (a local Keycloak, the test peer): anywhere else the
 * codes and tokens would cross the network in clear (RFC 6749 §3.1, §10.9).
 */
export function oidcSettings(ctx: Pick<ProviderContext, 'baseUrl' | 'settings' | 'secrets'>): OidcSettings {
  const raw = ctx.settings?.issuer?.trim() || ctx.baseUrl;
  let issuer: URL;
  try {
    issuer = new URL(raw);
  } catch {
    throw new TokenDeskError('invalid_input', 'The issuer is not a valid URL');
  }
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer.hostname))) {
    throw new TokenDeskError('invalid_input', `The issuer must use https:// (plain http only on this machine): ${issuer.origin}`);
  }
  const clientId = ctx.settings?.clientId?.trim();
  if (!clientId) throw new TokenDeskError('invalid_input', 'This environment has no client ID: set it (env edit --client-id)');
  const clientSecret = ctx.secrets?.clientSecret || undefined;
  const scope = ctx.settings?.scope?.trim() || DEFAULT_SCOPE;
  const audience = ctx.settings?.audience?.trim() || undefined;
  // Checked when saved too (contract/settings.ts); a config edited by hand is refused here, before any request.
  const extra = parseAuthParams(ctx.settings?.authParams ?? '');
  if (!extra.ok) throw new TokenDeskError('invalid_input', `The extra authorization parameters are not usable: ${extra.message}`);
  return { issuer, clientId, scope, authParams: extra.params, ...(clientSecret && { clientSecret }), ...(audience && { audience }) };
}

/** The audience parameter some providers need (Auth0's `audience`), sent with each grant when set. */
export function audienceParams(s: OidcSettings): Record<string, string> {
  return s.audience ? { audience: s.audience } : {};
}
