import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthError, OAuthError } from './auth-errors.js';
import { parseChallengeMethod, validatePkceParams } from './flow-state.js';
import { readBody } from './http-util.js';
import { esc, sendHtml } from './mailbox.js';
import { siteUrl, requestReferrer } from './signup.js';
import { findByEmail, isBanned, issueSession, nowIso, type SupabaseContext } from './supabase-auth.js';
import { DEMO_ORGANIZATION_ID, type SupabaseUser } from './users.js';

/** Providers GoTrue knows by name (provider/*.go); any of them can be enabled in the settings. */
const KNOWN_PROVIDERS = new Set([
  'apple', 'azure', 'bitbucket', 'discord', 'facebook', 'figma', 'fly', 'github', 'gitlab', 'google', 'kakao',
  'keycloak', 'linkedin', 'linkedin_oidc', 'notion', 'slack', 'slack_oidc', 'snapchat', 'spotify', 'twitch',
  'twitter', 'x', 'workos', 'zoom',
]);

/** Codes the demo provider handed out, waiting for GoTrue's callback to redeem them. */
interface ProviderGrant {
  provider: string;
  email: string;
}

function redirect(res: ServerResponse, status: 302 | 303, location: string): void {
  res.writeHead(status, { Location: location });
  res.end();
}

/** Sign-in with the demo provider: which seed accounts it knows (people with an email). */
function providerAccounts(ctx: SupabaseContext): SupabaseUser[] {
  return ctx.users.filter((u) => u.email !== '' && u.emailConfirmedAt && !/unconfirmed|banned|weak/.test(u.email));
}

export class DemoOAuth {
  private readonly grants = new Map<string, ProviderGrant>();

  constructor(private readonly ctx: SupabaseContext) {}

  /**
   * GET /auth/v1/authorize (external.go `GetExternalProviderRedirectURL`): provider enabled, the
   * referrer (redirect_to if allowed, else the Site URL), PKCE params, a flow state whose id is the
   * `state`, then a 302 to the provider's own authorization page.
   */
  authorize(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    const provider = q.get('provider') ?? '';
    if (!KNOWN_PROVIDERS.has(provider)) {
      throw new AuthError(400, 'validation_failed', `Unsupported provider: Provider ${provider} could not be found`);
    }
    if (!this.ctx.settings.oauthProviders.includes(provider)) {
      throw new AuthError(400, 'validation_failed', 'Unsupported provider: provider is not enabled');
    }
    const referrer = requestReferrer(this.ctx, req, url);
    const challenge = q.get('code_challenge') ?? '';
    const method = q.get('code_challenge_method') ?? '';
    validatePkceParams(method, challenge);
    const parsed = challenge ? parseChallengeMethod(method) : 's256';
    if (!parsed) throw new AuthError(400, 'validation_failed', 'Invalid code_challenge_method');
    const flow = this.ctx.flows.create({
      providerType: provider,
      authMethod: 'oauth',
      codeChallenge: challenge,
      codeChallengeMethod: parsed,
      referrer,
    });
    const base = this.ctx.baseUrl();
    const to = new URL(`${base}/demo/oauth/${provider}/authorize`);
    to.searchParams.set('client_id', `demo-${provider}-client`);
    to.searchParams.set('redirect_uri', `${base}/auth/v1/callback`);
    to.searchParams.set('response_type', 'code');
    to.searchParams.set('scope', q.get('scopes') ?? 'email');
    to.searchParams.set('state', flow.id);
    redirect(res, 302, to.toString());
  }

  /** The demo provider's consent page: plain HTML a person can click (GET /demo/oauth/{provider}/authorize). */
  consentPage(res: ServerResponse, provider: string, url: URL): void {
    const state = url.searchParams.get('state') ?? '';
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    const hidden = `<input type="hidden" name="state" value="${esc(state)}"><input type="hidden" name="redirect_uri" value="${esc(redirectUri)}">`;
    const buttons = providerAccounts(this.ctx)
      .map((u) => `<button type="submit" name="decision" value="allow:${esc(u.email)}">Continue as ${esc(u.email)}</button>`)
      .join('<br>');
    const name = provider.charAt(0).toUpperCase() + provider.slice(1);
    sendHtml(res, 200, `Sign in with ${name} (demo)`, `<h1>${esc(name)} (demo provider)</h1>
<p><strong>TokenDesk demo project</strong> wants to know your email address.</p>
<form method="post" action="/demo/oauth/${esc(provider)}/decide">${hidden}
<p>${buttons}</p>
<p><button type="submit" name="decision" value="deny">Cancel</button></p></form>`);
  }

  /** The consent form's answer: back to GoTrue's callback with a code, or with access_denied. */
  async decide(req: IncomingMessage, res: ServerResponse, provider: string): Promise<void> {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const state = form.get('state') ?? '';
    const back = new URL(form.get('redirect_uri') || `${this.ctx.baseUrl()}/auth/v1/callback`);
    back.searchParams.set('state', state);
    const decision = form.get('decision') ?? 'deny';
    if (decision.startsWith('allow:')) {
      const code = randomUUID();
      this.grants.set(code, { provider, email: decision.slice('allow:'.length) });
      back.searchParams.set('code', code);
    } else {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user denied the request');
    }
    redirect(res, 302, back.toString());
  }

  /**
   * GET /auth/v1/callback (external.go `ExternalProviderCallback`): the flow state from `state`
   * (else the Site URL with the error), then the provider's answer; errors go to the referrer
   * (`redirectErrors`), a success to referrer?code=… (PKCE) or the fragment session (implicit).
   */
  callback(res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    const flow = this.ctx.flows.byId(q.get('state') ?? '');
    if (!flow) {
      const site = new URL(siteUrl(this.ctx));
      site.searchParams.set('error', 'invalid_request');
      site.searchParams.set('error_description', 'OAuth state parameter is invalid: flow state not found');
      site.searchParams.set('error_code', 'bad_oauth_state');
      return redirect(res, 303, site.toString());
    }
    const target = new URL(flow.referrer);
    try {
      const ext = q.get('error');
      if (ext) throw new OAuthError(ext, q.get('error_description') ?? '');
      const code = q.get('code') ?? '';
      if (code === '') throw new AuthError(400, 'bad_oauth_callback', 'OAuth callback with missing authorization code missing');
      if (flow.userId !== undefined) throw new AuthError(400, 'flow_state_already_used', 'State has already been used');
      const grant = this.grants.get(code);
      this.grants.delete(code);
      if (!grant || grant.provider !== flow.providerType) throw new OAuthError('server_error', 'oauth2: "invalid_grant"');
      const user = this.linkOrCreate(grant);
      if (isBanned(this.ctx, user)) throw new AuthError(403, 'user_banned', 'User is banned');
      if (flow.codeChallenge !== '') {
        flow.userId = user.id;
        target.searchParams.set('code', flow.authCode);
        return redirect(res, 302, target.toString());
      }
      this.ctx.flows.delete(flow.id);
      const session = issueSession(this.ctx, user, 'oauth').body as Record<string, unknown>;
      const h = new URLSearchParams();
      for (const k of ['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type']) h.set(k, String(session[k]));
      h.set('provider_token', `demo-${flow.providerType}-token`);
      target.hash = h.toString();
      return redirect(res, 302, target.toString());
    } catch (err) {
      if (err instanceof OAuthError) {
        target.searchParams.set('error', err.error);
        target.searchParams.set('error_description', err.description);
      } else if (err instanceof AuthError) {
        const oauth = err.code === 'user_banned' ? 'access_denied' : ({ 400: 'invalid_request', 401: 'unauthorized_client', 403: 'access_denied' } as Record<number, string>)[err.status] ?? 'server_error';
        target.searchParams.set('error', oauth);
        target.searchParams.set('error_description', err.message);
        target.searchParams.set('error_code', err.code);
      } else {
        throw err;
      }
      const hq = new URLSearchParams();
      for (const k of ['error', 'error_description', 'error_code']) {
        const v = target.searchParams.get(k);
        if (v) hq.set(k, v);
      }
      hq.set('sb', '');
      target.hash = hq.toString();
      return redirect(res, 302, target.toString());
    }
  }

  /** Automatic linking by verified email, as GoTrue does; otherwise a new user of that provider. */
  private linkOrCreate(grant: ProviderGrant): SupabaseUser {
    const ctx = this.ctx;
    const now = nowIso(ctx);
    const providerId = `demo-${grant.provider}-${grant.email}`;
    const identityData = { email: grant.email, email_verified: true, phone_verified: false, sub: providerId, provider_id: providerId, iss: `${ctx.baseUrl()}/demo/oauth/${grant.provider}` };
    let user = findByEmail(ctx, grant.email);
    if (!user) {
      user = {
        id: randomUUID(),
        email: grant.email,
        phone: '',
        password: '',
        label: grant.email,
        emailConfirmedAt: now,
        userMetadata: { ...identityData },
        appMetadata: { provider: grant.provider, providers: [grant.provider], organization_id: DEMO_ORGANIZATION_ID },
        identities: [],
        factors: [],
        createdAt: now,
        updatedAt: now,
        profileRole: 'member',
      };
      ctx.users.push(user);
    }
    if (!user.identities.some((i) => i.provider === grant.provider)) {
      user.identities.push({ provider: grant.provider, providerId, data: identityData, createdAt: now });
      const providers = Array.isArray(user.appMetadata.providers) ? (user.appMetadata.providers as unknown[]) : [];
      if (!providers.includes(grant.provider)) user.appMetadata = { ...user.appMetadata, providers: [...providers, grant.provider] };
    }
    return user;
  }
}

/** POST /token?grant_type=pkce: the flow's user gets a session with the flow's AMR method. */
export function pkceGrant(ctx: SupabaseContext, authCode: string, verifier: string): ReturnType<typeof issueSession> {
  const flow = ctx.flows.exchange(authCode, verifier);
  const user = ctx.users.find((u) => u.id === flow.userId);
  if (!user) throw new AuthError(404, 'user_not_found', 'User not found');
  const reply = issueSession(ctx, user, flow.authMethod, flow.authMethod === 'oauth' ? { provider_token: `demo-${flow.providerType}-token` } : {});
  ctx.flows.delete(flow.id);
  return reply;
}
