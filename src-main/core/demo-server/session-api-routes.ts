import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BodyError, bearerToken, header, readJson, sendEmpty, sendJson } from './http-util.js';
import { sessionProfileJson, type SessionUser } from './users.js';

/**
 * The seed-003 session API. The seed documents only the success shapes; every error here is
 * `{"message": "..."}` (the common Express/Nest style), with 401 for bad credentials or an
 * unknown/expired token, 400 for a malformed body, 403 for a missing permission or account.
 */
export interface SessionApiContext {
  users: SessionUser[];
  now: () => number;
  sessionTtlSeconds: number;
  stats: { sessionLogins: number; logouts: number };
}

interface Issued {
  userId: number;
  expiresAtMs: number;
}

const loginBody = z.object({ email: z.string().min(1), password: z.string().min(1) });

const APPLICATIONS: Record<string, { id: number; name: string; status: string }[]> = {
  '2311': [
    { id: 101, name: 'Onboarding Portal', status: 'active' },
    { id: 102, name: 'Billing Service', status: 'active' },
  ],
  '4100': [{ id: 201, name: 'Acme CRM', status: 'active' }],
  '4200': [
    { id: 301, name: 'Globex Payroll', status: 'active' },
    { id: 302, name: 'Globex Intranet', status: 'archived' },
  ],
  '9000': [{ id: 901, name: 'Bench App', status: 'active' }],
};

export class SessionApi {
  private readonly tokens = new Map<string, Issued>();

  constructor(private readonly ctx: SessionApiContext) {}

  /** Returns false when the path is not a session-API one. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const route = `${req.method ?? ''} ${url.pathname}`;
    switch (route) {
      case 'POST /api/auth/login':
        await this.login(req, res);
        return true;
      case 'GET /api/auth/session':
        this.withUser(req, res, (user, token, issued) => sendJson(res, 200, this.profile(user, token, issued)));
        return true;
      case 'POST /api/auth/logout':
        this.ctx.stats.logouts++;
        this.withUser(req, res, (_user, token) => {
          this.tokens.delete(token);
          sendEmpty(res, 204);
        });
        return true;
      case 'GET /api/applications':
        this.withUser(req, res, (user) => this.applications(req, res, user, url));
        return true;
      default:
        if (!url.pathname.startsWith('/api/')) return false;
        sendJson(res, 404, { message: `Cannot ${route}` });
        return true;
    }
  }

  private async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.ctx.stats.sessionLogins++;
    let raw: unknown;
    try {
      raw = await readJson(req);
    } catch (err) {
      if (err instanceof BodyError && err.kind === 'too_large') return sendJson(res, 413, { message: 'Request body too large' });
      return sendJson(res, 400, { message: (err as Error).message, code: 'bad_json' });
    }
    const body = loginBody.safeParse(raw);
    if (!body.success) return sendJson(res, 400, { message: 'email and password are required' });
    const email = body.data.email.trim().toLowerCase();
    const user = this.ctx.users.find((u) => u.email === email);
    if (!user || !user.active || user.password !== body.data.password) {
      return sendJson(res, 401, { message: 'Invalid email or password' });
    }
    const token = randomBytes(32).toString('hex');
    const issued = { userId: user.id, expiresAtMs: this.ctx.now() + this.ctx.sessionTtlSeconds * 1000 };
    this.tokens.set(token, issued);
    sendJson(res, 200, this.profile(user, token, issued));
  }

  private profile(user: SessionUser, token: string, issued: Issued): Record<string, unknown> {
    return { ...sessionProfileJson(user), token, expiresAt: new Date(issued.expiresAtMs).toISOString() };
  }

  private withUser(
    req: IncomingMessage,
    res: ServerResponse,
    fn: (user: SessionUser, token: string, issued: Issued) => void,
  ): void {
    const token = bearerToken(req);
    const issued = token ? this.tokens.get(token) : undefined;
    const user = issued && this.ctx.users.find((u) => u.id === issued.userId);
    if (!token || !issued || !user) return sendJson(res, 401, { message: 'Unauthorized' });
    if (issued.expiresAtMs <= this.ctx.now()) {
      this.tokens.delete(token);
      return sendJson(res, 401, { message: 'Session expired' });
    }
    fn(user, token, issued);
  }

  /**
   * The protected endpoint: needs readApplications. The tenant is the `X-Account-Id` header, else the
   * `accountId` query parameter (for environments that send the account that way), else the primary
   * account; it must be one the user belongs to.
   */
  private applications(req: IncomingMessage, res: ServerResponse, user: SessionUser, url: URL): void {
    if (!user.flatPermissionsList.includes('readApplications')) {
      return sendJson(res, 403, { message: 'Missing permission readApplications' });
    }
    const requested = header(req, 'x-account-id') ?? url.searchParams.get('accountId') ?? undefined;
    const accountId = requested ?? user.accounts[0]?.accountId ?? '';
    if (!user.accounts.some((a) => a.accountId === accountId)) {
      return sendJson(res, 403, { message: `User does not belong to account ${accountId}` });
    }
    const apps = (APPLICATIONS[accountId] ?? []).map((a) => ({ ...a, accountId }));
    sendJson(res, 200, apps);
  }
}
