import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A developer's own API, not shaped like seed 003: `POST /v2/sessions` takes {username, secret} and
 * answers {"data":{"accessToken","expiresIn"},"user":{id,email,roles}}; `GET /v2/me` answers {"user":…};
 * `POST /v2/logout` ends the token. The same endpoints also answer under /api (an API mounted there),
 * and nothing listens at /api/auth/*: a request there is a 404.
 */
export const ANY_PATH_USER = { id: 'u-7', email: 'dev@example.com', roles: ['admin', 'billing'] };
/** The login's `username`: a user name, not an email address. */
export const ANY_PATH_USER_NAME = 'alice';
export const ANY_PATH_PASSWORD = 'correct horse battery';

export interface AnyPathApi {
  url: string;
  /** Tokens the API accepts now. */
  live: Set<string>;
  /** `METHOD /path` of every request, in order. */
  seen: string[];
  /** What the login answers instead of the usual shape; undefined restores it. */
  setLoginShape(shape: ((token: string) => unknown) | undefined): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, json?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(json === undefined ? '' : JSON.stringify(json));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as Record<string, unknown>;
}

/** `userName`: the `username` the login accepts (an API may as well take an email address there). */
export async function startAnyPathApi(opts: { userName?: string } = {}): Promise<AnyPathApi> {
  const userName = opts.userName ?? ANY_PATH_USER_NAME;
  const live = new Set<string>();
  const seen: string[] = [];
  let loginShape: ((token: string) => unknown) | undefined;
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const path = (req.url ?? '').replace(/^\/api(?=\/v2\/)/, '');
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (req.method === 'POST' && path === '/v2/sessions') {
      void readJson(req).then((body) => {
        if (body.username !== userName || body.secret !== ANY_PATH_PASSWORD) return send(res, 401, { error: { message: 'Wrong username or password' } });
        const token = randomBytes(24).toString('hex');
        live.add(token);
        send(res, 201, loginShape ? loginShape(token) : { data: { accessToken: token, expiresIn: 3600 }, user: ANY_PATH_USER });
      });
      return;
    }
    if (req.method === 'GET' && path === '/v2/me') {
      return bearer && live.has(bearer) ? send(res, 200, { user: ANY_PATH_USER }) : send(res, 401, { message: 'Session expired' });
    }
    if (req.method === 'POST' && path === '/v2/logout') {
      if (bearer) live.delete(bearer);
      return send(res, 204);
    }
    send(res, 404, { message: 'Not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    live,
    seen,
    setLoginShape: (shape) => {
      loginShape = shape;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
