import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TokenDeskError } from '../../src-main/core/errors.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { parseBody } from '../../src-main/core/http/body.js';

const SECRET_TOKEN = 'Bearer-secret-token-0123456789';
const SECRET_KEY = 'anon-key-secret-abcdef';
const SECRET_PASSWORD = 'hunter2-password-secret';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const servers: Server[] = [];

async function serve(handler: Handler): Promise<{ url: string; server: Server; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, requests };
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

const credentialed = {
  headers: { Authorization: `Bearer ${SECRET_TOKEN}`, apikey: SECRET_KEY },
  body: { email: 'a@example.com', password: SECRET_PASSWORD },
};

/** Runs `fn`, expects a TokenDeskError, and checks that nothing secret leaked into it. */
async function failure(fn: () => Promise<unknown>): Promise<TokenDeskError> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(TokenDeskError);
  const err = caught as TokenDeskError;
  const shown = `${err.message} ${JSON.stringify(err.toJSON())} ${String(err.stack)}`;
  for (const secret of [SECRET_TOKEN, SECRET_KEY, SECRET_PASSWORD]) expect(shown).not.toContain(secret);
  // The axios error (which holds the request config, i.e. the headers) is never kept as the cause.
  expect(err.cause).toBeUndefined();
  return err;
}

describe('http client: answers', () => {
  it('parses JSON, lower-cases headers and reads the Date header', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', Date: 'Tue, 01 Jan 2030 00:00:00 GMT', 'X-Thing': 'y' });
      res.end('{"ok":true}');
    });
    const res = await createHttpClient().request({ method: 'GET', url: `${url}/x` });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
    expect(res.headers['x-thing']).toBe('y');
    expect(res.serverDate).toBe(Date.UTC(2030, 0, 1));
  });

  it('sends the body as JSON with our headers', async () => {
    let seen: { body: string; headers: IncomingMessage['headers'] } | undefined;
    const { url } = await serve((req, res, body) => {
      seen = { body, headers: req.headers };
      res.writeHead(204).end();
    });
    const res = await createHttpClient({ userAgent: 'TokenDesk-test' }).request({ method: 'POST', url, ...credentialed });
    expect(res.status).toBe(204);
    expect(res.json).toBeUndefined();
    expect(JSON.parse(seen!.body)).toEqual(credentialed.body);
    expect(seen!.headers['content-type']).toMatch(/application\/json/);
    expect(seen!.headers['user-agent']).toBe('TokenDesk-test');
    expect(seen!.headers.apikey).toBe(SECRET_KEY);
  });

  it('resolves an HTML error page with json undefined; parseBody names the status', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const res = await createHttpClient().request({ method: 'POST', url, ...credentialed });
    expect(res.status).toBe(502);
    expect(res.json).toBeUndefined();
    expect(res.text).toContain('Bad Gateway');
    const err = await failure(async () => parseBody(res, z.object({ a: z.string() }), 'sign-in'));
    expect(err.code).toBe('bad_response');
    expect(err.message).toBe('The server answered 502 with an HTML page instead of JSON');
    expect(err.retryable).toBe(true);
  });

  it('gives bad_response for a non-JSON 200', async () => {
    const { url } = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK then'));
    const res = await createHttpClient().request({ method: 'GET', url });
    const err = await failure(async () => parseBody(res, z.object({ a: z.string() }), 'sign-in'));
    expect(err.code).toBe('bad_response');
    expect(err.message).toBe('The server answered 200 with a non-JSON body instead of JSON');
    expect(err.retryable).toBe(false);
  });

  it('gives bad_response naming the field for wrong types, without echoing values', async () => {
    const { url } = await serve((_req, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: 42, leak: SECRET_TOKEN })),
    );
    const res = await createHttpClient().request({ method: 'GET', url });
    const err = await failure(async () => parseBody(res, z.object({ access_token: z.string() }), 'sign-in'));
    expect(err.code).toBe('bad_response');
    expect(err.message).toBe('The server sent an unexpected answer to sign-in (access_token: expected string)');
  });
});

describe('http client: transport failures', () => {
  it('refuses a body larger than the limit (Content-Length known)', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ pad: 'x'.repeat(10_000) }));
    });
    const err = await failure(() => createHttpClient({ maxBodyBytes: 1024 }).request({ method: 'GET', url, ...credentialed }));
    expect(err.code).toBe('response_too_large');
    expect(err.message).toBe(`The answer from ${url} was larger than the 1 KiB limit`);
    expect(err.retryable).toBe(false);
  });

  it('refuses a chunked body that grows past the limit', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => res.write('x'.repeat(64 * 1024)), 5);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const err = await failure(() => createHttpClient().request({ method: 'GET', url }));
    expect(err.code).toBe('response_too_large');
    expect(err.message).toContain('2 MiB');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('times out a trickling, never-ending body within the deadline', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"a":"');
      // A byte every 50 ms keeps the socket busy, so only an overall deadline can stop it.
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const err = await failure(() => createHttpClient({ timeoutMs: 700 }).request({ method: 'GET', url, ...credentialed }));
    const elapsed = Date.now() - started;
    expect(err.code).toBe('network_timeout');
    expect(err.retryable).toBe(true);
    expect(err.message).toBe(`${url} did not answer within 0.7 s`);
    expect(elapsed).toBeGreaterThanOrEqual(650);
    expect(elapsed).toBeLessThan(2000);
  });

  it('times out a server that never answers', async () => {
    const { url } = await serve(() => {
      /* never respond */
    });
    const started = Date.now();
    const err = await failure(() => createHttpClient({ timeoutMs: 400 }).request({ method: 'POST', url, ...credentialed }));
    expect(err.code).toBe('network_timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('lets a per-request timeout override the default', async () => {
    const { url } = await serve(() => {
      /* never respond */
    });
    const err = await failure(() => createHttpClient({ timeoutMs: 60_000 }).request({ method: 'GET', url, timeoutMs: 300 }));
    expect(err.code).toBe('network_timeout');
  });

  it('maps a closed port to network_refused', async () => {
    const { url, server } = await serve((_req, res) => res.end());
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const err = await failure(() => createHttpClient().request({ method: 'POST', url, ...credentialed }));
    expect(err.code).toBe('network_refused');
    expect(err.message).toBe(`Connection refused by ${url}`);
    expect(err.retryable).toBe(true);
  });

  it('maps an unresolvable host to network_dns', async () => {
    const err = await failure(() =>
      createHttpClient({ timeoutMs: 10_000 }).request({ method: 'GET', url: 'http://tokendesk-no-such-host.invalid/x?apikey=' + SECRET_KEY }),
    );
    expect(err.code).toBe('network_dns');
    expect(err.message).toBe('Could not resolve host tokendesk-no-such-host.invalid');
    expect(err.retryable).toBe(true);
  });

  it('maps a TLS handshake failure to network_tls', async () => {
    const { url } = await serve((_req, res) => res.end('plain http'));
    const httpsUrl = url.replace('http://', 'https://');
    const err = await failure(() => createHttpClient().request({ method: 'GET', url: httpsUrl, ...credentialed }));
    expect(err.code).toBe('network_tls');
    expect(err.message).toMatch(new RegExp(`^Secure connection to ${httpsUrl.replace(/[.:/]/g, '\\$&')} failed \\(`));
  });

  it('maps a dropped connection to a retryable network_error', async () => {
    const { url } = await serve((req) => req.socket.destroy());
    const err = await failure(() => createHttpClient().request({ method: 'GET', url }));
    expect(err.code).toBe('network_error');
    expect(err.retryable).toBe(true);
  });

  it('rejects a URL that is not http(s)', async () => {
    const err = await failure(() => createHttpClient().request({ method: 'GET', url: 'file:///etc/passwd' }));
    expect(err.code).toBe('invalid_input');
  });
});

describe('http client: redirects', () => {
  it('follows a same-origin redirect, keeping the credentials', async () => {
    const { url } = await serve((req, res, body) => {
      if (req.url === '/start') return void res.writeHead(307, { Location: '/final' }).end();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, auth: req.headers.authorization === `Bearer ${SECRET_TOKEN}`, body: body.length > 0 }));
    });
    const res = await createHttpClient().request({ method: 'POST', url: `${url}/start`, ...credentialed });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ path: '/final', auth: true, body: true });
  });

  it('refuses a cross-origin redirect before anything reaches the other server', async () => {
    const other = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"stolen":true}'));
    const { url } = await serve((_req, res) => res.writeHead(302, { Location: `${other.url}/steal?x=1` }).end());
    const err = await failure(() => createHttpClient().request({ method: 'GET', url: `${url}/start`, ...credentialed }));
    expect(err.code).toBe('redirect_refused');
    expect(err.message).toContain(url);
    expect(err.message).not.toContain('steal');
    expect(other.requests).toHaveLength(0);
  });

  it('treats localhost vs 127.0.0.1 (same port) as another origin', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/start') {
        const port = new URL(url).port;
        return void res.writeHead(308, { Location: `http://localhost:${port}/final` }).end();
      }
      res.writeHead(200).end(JSON.stringify({ reached: req.headers.authorization ?? null }));
    });
    const err = await failure(() => createHttpClient().request({ method: 'POST', url: `${url}/start`, ...credentialed }));
    expect(err.code).toBe('redirect_refused');
  });

  it('gives up after 3 redirects', async () => {
    let hops = 0;
    const { url } = await serve((_req, res) => {
      hops++;
      res.writeHead(302, { Location: `/hop${hops}` }).end();
    });
    const err = await failure(() => createHttpClient().request({ method: 'GET', url }));
    expect(err.code).toBe('redirect_refused');
    expect(err.message).toBe(`${url} redirected more than 3 times`);
    expect(hops).toBe(4);
  });
});

describe('http client: proxy', () => {
  it('honours HTTP_PROXY for remote hosts and goes direct to loopback', async () => {
    const proxied: string[] = [];
    const proxy = await serve((req, res) => {
      proxied.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"via":"proxy"}');
    });
    const direct = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"via":"direct"}'));
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    process.env.HTTP_PROXY = proxy.url;
    process.env.http_proxy = proxy.url;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    try {
      const client = createHttpClient();
      const remote = await client.request({ method: 'GET', url: 'http://api.tokendesk-remote.invalid/auth/v1/user' });
      expect(remote.json).toEqual({ via: 'proxy' });
      expect(proxied).toEqual(['http://api.tokendesk-remote.invalid/auth/v1/user']);
      const local = await client.request({ method: 'GET', url: `${direct.url}/x` });
      expect(local.json).toEqual({ via: 'direct' });
      expect(proxied).toHaveLength(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
