import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny auth server on 127.0.0.1 that speaks just enough GoTrue (`POST /auth/v1/token?grant_type=
 * password|refresh_token`, `GET /auth/v1/user`, `POST /auth/v1/logout`) and session API
 * (`POST /api/auth/login`, `GET /api/auth/session`, `POST /api/auth/logout`) for TokenDesk to sign in
 * and renew, with well-formed answers by default. A test swaps in a hostile answer per route with
 * `answer(route, fn)`: `fn` gets the request and the answer the server would have sent, and returns
 * what to send instead (any status, headers, body — or a raw text body).
 */

export type HostileRoute = 'supabase-password' | 'supabase-refresh' | 'supabase-user' | 'session-login' | 'session-session';

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, instead of `body` (e.g. `{"expires_in": 1e400}`, which JSON.stringify cannot write). */
  raw?: string;
}

export interface SeenRequest {
  route: HostileRoute | 'other';
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export type Answer = (req: SeenRequest, normal: Reply & { body: Record<string, unknown> }) => Reply;

export interface HostileAuthServer {
  url: string;
  anonKey: string;
  requests: SeenRequest[];
  /** Replaces the answer of one route until `reset()` (or another `answer` for that route). */
  answer(route: HostileRoute, fn: Answer): void;
  reset(): void;
  close(): Promise<void>;
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A stable user id per email, so the same user signs in as the same id every time. */
export function userIdFor(email: string): string {
  const h = createHash('sha256').update(email.toLowerCase()).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An unsigned-looking JWS (header.claims.signature): TokenDesk only decodes it for display. */
export function fakeJwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}.${randomBytes(16).toString('base64url')}`;
}

export function goTrueUser(email: string): Record<string, unknown> {
  return {
    id: userIdFor(email),
    aud: 'authenticated',
    role: 'authenticated',
    email,
    phone: '',
    app_metadata: { provider: 'email' },
    user_metadata: {},
    identities: [],
  };
}

export function goTrueTokenAnswer(email: string, expiresIn = 3600): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    access_token: fakeJwt({ sub: userIdFor(email), email, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + expiresIn, session_id: 's1' }),
    token_type: 'bearer',
    expires_in: expiresIn,
    expires_at: now + expiresIn,
    refresh_token: randomBytes(9).toString('base64url').slice(0, 12),
    user: goTrueUser(email),
  };
}

export function sessionProfile(email: string, id = 7): Record<string, unknown> {
  return {
    id,
    email,
    primaryAccount: { accountName: 'Acme', accountId: '4100', userBelongsToThisAccount: true, usersPrimaryAccount: true, internalUser: false },
    accounts: [{ accountName: 'Acme', accountId: '4100', userBelongsToThisAccount: true, usersPrimaryAccount: true, internalUser: false }],
    flatRolesList: ['user'],
    flatPermissionsList: ['readApplications'],
    permissionsFromRoles: ['readApplications'],
  };
}

export function sessionLoginAnswer(email: string, ttlMs = 8 * 3600_000): Record<string, unknown> {
  return { ...sessionProfile(email), token: randomBytes(32).toString('hex'), expiresAt: new Date(Date.now() + ttlMs).toISOString() };
}

function routeOf(method: string, path: string, query: URLSearchParams): HostileRoute | 'other' {
  if (method === 'POST' && path === '/auth/v1/token') {
    const grant = query.get('grant_type');
    return grant === 'password' ? 'supabase-password' : grant === 'refresh_token' ? 'supabase-refresh' : 'other';
  }
  if (method === 'GET' && path === '/auth/v1/user') return 'supabase-user';
  if (method === 'POST' && path === '/api/auth/login') return 'session-login';
  if (method === 'GET' && path === '/api/auth/session') return 'session-session';
  return 'other';
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Who each refresh token was issued to, so a refresh answers for the same user. */
type Issued = Map<string, string>;

function normalAnswer(seen: SeenRequest, issued: Issued): Reply & { body: Record<string, unknown> } {
  const email = typeof seen.body.email === 'string' ? seen.body.email : 'someone@example.test';
  switch (seen.route) {
    case 'supabase-password':
      return { status: 200, body: goTrueTokenAnswer(email) };
    case 'supabase-refresh': {
      const owner = issued.get(String(seen.body.refresh_token));
      if (!owner) return { status: 400, body: { code: 'refresh_token_not_found', message: 'Invalid Refresh Token: Refresh Token Not Found' } };
      return { status: 200, body: goTrueTokenAnswer(owner) };
    }
    case 'supabase-user':
      return { status: 200, body: goTrueUser('someone@example.test') };
    case 'session-login':
      return { status: 200, body: sessionLoginAnswer(email) };
    case 'session-session':
      return { status: 200, body: sessionProfile('someone@example.test') };
    default:
      // Logouts and anything else: nothing to say.
      return seen.path.endsWith('/logout') ? { status: 204, body: {} } : { status: 404, body: { message: `Cannot ${seen.method} ${seen.path}` } };
  }
}

export async function startHostileAuthServer(): Promise<HostileAuthServer> {
  const answers = new Map<HostileRoute, Answer>();
  const issued: Issued = new Map();
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const seen: SeenRequest = { route: routeOf(method, url.pathname, url.searchParams), method, path: url.pathname, headers: req.headers, body: await readBody(req) };
      requests.push(seen);
      const normal = normalAnswer(seen, issued);
      const custom = seen.route === 'other' ? undefined : answers.get(seen.route);
      const reply = custom ? custom(seen, normal) : normal;
      const sent = reply.body as Record<string, unknown> | undefined;
      const sentUser = sent?.user as Record<string, unknown> | undefined;
      if (typeof sent?.refresh_token === 'string' && typeof sentUser?.email === 'string') issued.set(sent.refresh_token, sentUser.email);
      const status = reply.status ?? 200;
      if (status === 204) {
        res.writeHead(204, reply.headers ?? {}).end();
        return;
      }
      const text = reply.raw ?? JSON.stringify(reply.body ?? {});
      // Headers last, so a test can override Date (node adds its own otherwise).
      res.writeHead(status, { 'Content-Type': 'application/json', ...reply.headers }).end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    // Shaped like an anon key (a JWT with role anon): EnvironmentService checks the shape.
    anonKey: 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.hostile-anon-key',
    requests,
    answer: (route, fn) => void answers.set(route, fn),
    reset: () => answers.clear(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
