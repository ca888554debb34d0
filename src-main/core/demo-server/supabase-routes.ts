import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthError, sendAuthError } from './auth-errors.js';
import { bearerToken, header, sendEmpty, sendJson, sleep } from './http-util.js';
import { verifyHs256 } from './jwt.js';
import { logout, requireUser, signup, tokenGrant, type JsonReply, type SupabaseContext } from './supabase-auth.js';
import { DEMO_ORGANIZATION_ID, userJson } from './users.js';

/** Demo rows for the seed's "Search Contacts" (X-API-Key) endpoint. */
const CONTACTS = [
  { id: 'c1', first_name: 'Grace', last_name: 'Hopper', email: 'grace@navy.test', company: 'Navy Labs' },
  { id: 'c2', first_name: 'Alan', last_name: 'Turing', email: 'alan@bletchley.test', company: 'Bletchley Park' },
  { id: 'c3', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@engine.test', company: 'Analytical Engines' },
  { id: 'c4', first_name: 'Linus', last_name: 'Torvalds', email: 'linus@kernel.test', company: 'Kernel Org' },
].map((c) => ({ ...c, organization_id: DEMO_ORGANIZATION_ID }));

function method(req: IncomingMessage, allowed: string): void {
  if (req.method !== allowed) throw new AuthError(405, 'method_not_allowed', `Method ${req.method ?? ''} not allowed`);
}

/** /auth/v1/* (GoTrue behind the gateway's stripped prefix). Assumes the apikey check passed. */
async function authRoute(ctx: SupabaseContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.slice('/auth/v1'.length);
  let reply: JsonReply | undefined;
  try {
    switch (path) {
      case '/token':
        method(req, 'POST');
        reply = await tokenGrant(ctx, req, url);
        break;
      case '/signup':
        method(req, 'POST');
        reply = await signup(ctx, req);
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
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    sendAuthError(req, res, err, { tokenRoute: path === '/token' });
    return;
  }
  if (ctx.answerDelayMs) await sleep(ctx.answerDelayMs);
  sendJson(res, reply.status, reply.body, reply.headers);
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
  ctx: SupabaseContext,
  apiKey: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const p = url.pathname;
  if (p.startsWith('/auth/v1/')) await authRoute(ctx, req, res, url);
  else if (p === '/rest/v1/profiles') profilesRoute(ctx, req, res);
  else if (p.startsWith('/rest/v1/')) pgrst(res, 404, 'PGRST205', `Could not find the table 'public.${p.slice(9)}' in the schema cache`);
  else if (p === '/functions/v1/contacts/search') contactsSearch(req, res, url, apiKey);
  else return false;
  return true;
}
