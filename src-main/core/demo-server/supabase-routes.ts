import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AuthError, OAuthError, sendAuthError } from './auth-errors.js';
import { bearerToken, header, sendEmpty, sendJson, sleep } from './http-util.js';
import { verifyHs256 } from './jwt.js';
import { sendHtml } from './mailbox.js';
import { DemoMfa } from './mfa.js';
import { DemoOAuth, pkceGrant } from './oauth.js';
import { otp, verifyGet, verifyPost } from './otp.js';
import { signup } from './signup.js';
import { isLegacy, logout, parseBody, requireUser, tokenGrant, type JsonReply, type SupabaseContext } from './supabase-auth.js';
import { DEMO_ORGANIZATION_ID, userJson } from './users.js';

/** Demo rows for the seed's "Search Contacts" (X-API-Key) endpoint. */
const CONTACTS = [
  { id: 'c1', first_name: 'Grace', last_name: 'Hopper', email: 'grace@navy.test', company: 'Navy Labs' },
  { id: 'c2', first_name: 'Alan', last_name: 'Turing', email: 'alan@bletchley.test', company: 'Bletchley Park' },
  { id: 'c3', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@engine.test', company: 'Analytical Engines' },
  { id: 'c4', first_name: 'Linus', last_name: 'Torvalds', email: 'linus@kernel.test', company: 'Kernel Org' },
].map((c) => ({ ...c, organization_id: DEMO_ORGANIZATION_ID }));

function method(req: IncomingMessage, ...allowed: string[]): void {
  if (!allowed.includes(req.method ?? '')) throw new AuthError(405, 'method_not_allowed', `Method ${req.method ?? ''} not allowed`);
}

const pkceBody = z.object({ auth_code: z.string().nullish(), code_verifier: z.string().nullish() });

/** The Supabase side's state plus its flows (OAuth provider, MFA). */
export interface SupabaseHandlers {
  ctx: SupabaseContext;
  oauth: DemoOAuth;
  mfa: DemoMfa;
}

export function supabaseHandlers(ctx: SupabaseContext): SupabaseHandlers {
  return { ctx, oauth: new DemoOAuth(ctx), mfa: new DemoMfa(ctx) };
}

/** GET /settings: which sign-in methods the project offers (`Settings`). */
function settingsJson(ctx: SupabaseContext): Record<string, unknown> {
  const s = ctx.settings;
  const external: Record<string, boolean> = { email: s.emailProvider, phone: s.phoneProvider, anonymous_users: false };
  for (const p of s.oauthProviders) external[p] = true;
  return {
    external,
    disable_signup: false,
    mailer_autoconfirm: !s.emailConfirmation,
    phone_autoconfirm: !s.phoneConfirmation,
    sms_provider: 'demo',
    saml_enabled: false,
  };
}

/** /auth/v1/* (GoTrue behind the gateway's stripped prefix). Assumes the apikey check passed. */
async function authRoute(h: SupabaseHandlers, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { ctx } = h;
  const path = url.pathname.slice('/auth/v1'.length);
  const factor = /^\/factors\/([^/]+)\/(challenge|verify)$/.exec(path);
  let reply: JsonReply | undefined;
  try {
    if (factor) {
      method(req, 'POST');
      const [, id, action] = factor as unknown as [string, string, string];
      reply = action === 'challenge' ? h.mfa.challenge(req, id) : await h.mfa.verify(req, id);
    } else {
      switch (path) {
        case '/token':
          method(req, 'POST');
          reply = await tokenGrant(ctx, req, url, async () => {
            const b = await parseBody(req, pkceBody);
            return pkceGrant(ctx, b.auth_code ?? '', b.code_verifier ?? '');
          });
          break;
        case '/signup':
          method(req, 'POST');
          reply = await signup(ctx, req, url);
          break;
        case '/otp':
          method(req, 'POST');
          reply = await otp(ctx, req, url);
          break;
        case '/verify':
          method(req, 'GET', 'POST');
          if (req.method === 'GET') {
            verifyGet(ctx, req, res, url);
            return;
          }
          reply = await verifyPost(ctx, req);
          break;
        case '/authorize':
          method(req, 'GET');
          h.oauth.authorize(req, res, url);
          return;
        case '/callback':
          method(req, 'GET', 'POST');
          h.oauth.callback(res, url);
          return;
        case '/settings':
          method(req, 'GET');
          reply = { status: 200, body: settingsJson(ctx) };
          break;
        case '/user':
          method(req, 'GET');
          reply = { status: 200, body: userJson(requireUser(ctx, req).user) };
          break;
        case '/logout':
          method(req, 'POST');
          logout(ctx, req, url);
          sendEmpty(res, 204);
          return;
        case '/.well-known/jwks.json':
          // HS256 keys are symmetric, so GoTrue publishes none.
          reply = { status: 200, body: { keys: [] } };
          break;
        default:
          throw new AuthError(404, 'not_found', 'Not Found');
      }
    }
  } catch (err) {
    if (!(err instanceof AuthError) && !(err instanceof OAuthError)) throw err;
    sendAuthError(req, res, err, isLegacy(ctx, req));
    return;
  }
  if (ctx.answerDelayMs) await sleep(ctx.answerDelayMs);
  sendJson(res, reply.status, reply.body, reply.headers);
}

/** The demo's own pages: the mailbox, the OAuth provider's consent, and the Site URL. */
async function demoRoute(h: SupabaseHandlers, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const p = url.pathname;
  if (p === '/demo/mailbox' && req.method === 'GET') h.ctx.mailbox.serveHtml(res);
  else if (p === '/demo/mailbox.json' && req.method === 'GET') h.ctx.mailbox.serveJson(res, url);
  else if (p === '/demo/site' && req.method === 'GET') {
    sendHtml(res, 200, 'Demo site', `<h1>Demo project site</h1>
<p>Supabase Auth sent you to the project's Site URL. That happens when the address a sign-in asked to return to
is not in the project's allowed redirect URLs.</p>`);
  } else {
    const m = /^\/demo\/oauth\/([a-z_]+)\/(authorize|decide)$/.exec(p);
    if (!m) return false;
    const [, provider, action] = m as unknown as [string, string, string];
    if (action === 'authorize' && req.method === 'GET') h.oauth.consentPage(res, provider, url);
    else if (action === 'decide' && req.method === 'POST') await h.oauth.decide(req, res, provider);
    else return false;
  }
  return true;
}

/** PostgREST's error body. */
function pgrst(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { code, details: null, hint: null, message });
}

/**
 * GET /rest/v1/profiles: the caller's own row under RLS. Anonymous access is treated as disabled
 * (PGRST302) so a missing user JWT is visible; the anon key itself as Bearer sees no rows.
 * Sessions are not consulted: PostgREST accepts any signature-valid JWT until `exp`.
 */
function profilesRoute(ctx: SupabaseContext, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET') return pgrst(res, 405, 'PGRST117', `Unsupported HTTP method: ${req.method ?? ''}`);
  const token = bearerToken(req);
  if (!token) return pgrst(res, 401, 'PGRST302', 'Anonymous access is disabled');
  const v = verifyHs256(token, Math.floor(ctx.now() / 1000));
  if (!v.ok) {
    return v.reason.includes('expired')
      ? pgrst(res, 401, 'PGRST303', 'JWT expired')
      : pgrst(res, 401, 'PGRST301', 'JWSError JWSInvalidSignature');
  }
  const user = ctx.users.find((u) => u.id === v.claims.sub);
  if (!user || v.claims.role !== 'authenticated') return sendJson(res, 200, []);
  const m = user.userMetadata;
  sendJson(res, 200, [
    {
      id: user.id,
      organization_id: user.appMetadata.organization_id ?? null,
      email: user.email,
      first_name: m.first_name ?? null,
      last_name: m.last_name ?? null,
      full_name: m.full_name ?? null,
      role: user.profileRole,
      created_at: user.createdAt,
    },
  ]);
}

/** GET /functions/v1/contacts/search?q=…: the seed's external X-API-Key endpoint. */
function contactsSearch(req: IncomingMessage, res: ServerResponse, url: URL, apiKey: string): void {
  if (header(req, 'x-api-key') !== apiKey) return sendJson(res, 401, { error: 'Invalid API key' });
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'Method not allowed' });
  const q = (url.searchParams.get('q') ?? '').trim().toLowerCase();
  const hits = CONTACTS.filter((c) => q === '' || `${c.first_name} ${c.last_name} ${c.email} ${c.company}`.toLowerCase().includes(q));
  sendJson(res, 200, { success: true, data: hits, count: hits.length });
}

/** Returns false when the path is not a Supabase one. */
export async function handleSupabase(
  h: SupabaseHandlers,
  apiKey: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const { ctx } = h;
  const p = url.pathname;
  if (p.startsWith('/auth/v1/')) await authRoute(h, req, res, url);
  else if (p.startsWith('/demo/')) return demoRoute(h, req, res, url);
  else if (p === '/rest/v1/profiles') profilesRoute(ctx, req, res);
  else if (p.startsWith('/rest/v1/')) pgrst(res, 404, 'PGRST205', `Could not find the table 'public.${p.slice(9)}' in the schema cache`);
  else if (p === '/functions/v1/contacts/search') contactsSearch(req, res, url, apiKey);
  else return false;
  return true;
}
