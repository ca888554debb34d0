import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isApiMethod, parseCall, type ApiResult } from '../contract/api.js';
import { BRIDGE_CALL_PREFIX, BRIDGE_EVENTS_PATH, BRIDGE_TOKEN_HEADER } from '../contract/bridge.js';
import type { AppEvent } from '../contract/types.js';
import type { AppService } from '../core/app/types.js';
// Shell-neutral modules shared with the Electron shell (lint keeps web-bridge/ out of electron/).
import { errorEnvelope, failure } from '../shell-common/envelope.js';
import { buildCsp } from '../shell-common/csp.js';
import {
  checkBodySize,
  checkCallRequest,
  checkFetchSite,
  checkHost,
  checkOrigin,
  checkSecret,
  firstFailure,
  MAX_CALL_BODY_BYTES,
  type GuardResult,
} from './guards.js';
import { contentTypeFor, resolveStaticPath } from './static.js';

export interface WebBridgeOptions {
  service: AppService;
  /** 0 or undefined: a random free port. */
  port?: number;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Per-run secret; a random 256-bit one when not given. */
  secret?: string;
  /** Interval of SSE keep-alive comments (ms). */
  keepAliveMs?: number;
}

export interface WebBridge {
  /** http://127.0.0.1:PORT/?token=SECRET — the URL to open. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  // The page's URL carries the secret: never send it on as a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export async function startWebBridge(opts: WebBridgeOptions): Promise<WebBridge> {
  const secret = opts.secret ?? randomBytes(32).toString('base64url');
  if (secret.length < 16) throw new Error('The web bridge secret must be at least 16 characters');
  const csp = buildCsp();
  const keepAliveMs = opts.keepAliveMs ?? 15_000;
  const clients = new Set<ServerResponse>();
  let port = 0;

  const unsubscribe = opts.service.onEvent((e: AppEvent) => {
    const frame = `data: ${JSON.stringify(e)}\n\n`;
    for (const res of clients) res.write(frame);
  });
  const keepAlive = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, keepAliveMs);
  keepAlive.unref();

  const refuse = (res: ServerResponse, g: Extract<GuardResult, { ok: false }>) => {
    sendJson(res, g.status, failure(g.status === 401 ? 'unauthorized' : 'forbidden', g.message));
  };

  async function handleCall(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const g = firstFailure(
      checkCallRequest(req.method, req.headers['content-type']),
      checkSecret(header(req, BRIDGE_TOKEN_HEADER), secret),
      checkBodySize(req.headers['content-length']),
    );
    if (!g.ok) return refuse(res, g);
    let body: unknown;
    try {
      const raw = await readBody(req, MAX_CALL_BODY_BYTES);
      body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch (e) {
      const tooLarge = e instanceof BodyTooLarge;
      if (tooLarge) res.setHeader('Connection', 'close');
      return sendJson(res, tooLarge ? 413 : 400, failure('invalid_input', tooLarge ? 'Request too large' : 'The request body is not valid JSON'));
    }
    if (!isApiMethod(method)) return sendJson(res, 404, failure('invalid_input', 'Unknown request'));
    const parsed = parseCall(method, body);
    if (!parsed.ok) return sendJson(res, 400, failure('invalid_input', parsed.message));
    let result: ApiResult<unknown>;
    try {
      // copy/saveExport keep text/content here: in a browser the page writes its clipboard and downloads.
      result = { ok: true, value: await opts.service.handle(method, parsed.value) };
    } catch (e) {
      result = errorEnvelope(e);
    }
    sendJson(res, 200, result);
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET') return refuse(res, { ok: false, status: 405, message: 'Use GET' });
    // EventSource cannot set headers: the secret comes in the query (or the header for other clients).
    const g = checkSecret(url.searchParams.get('token') ?? header(req, BRIDGE_TOKEN_HEADER), secret);
    if (!g.ok) return refuse(res, g);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 3000\n\n: connected\n\n');
    clients.add(res);
    const drop = () => clients.delete(res);
    req.on('close', drop);
    res.on('close', drop);
  }

  function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, { ok: false, status: 405, message: 'Use GET' });
    const file = resolveStaticPath(opts.staticDir, url.pathname);
    if (!file) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': csp });
      res.end('Not found');
      return;
    }
    const type = contentTypeFor(file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      'Content-Security-Policy': csp,
      'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  const server = createServer((req, res) => {
    // Absolute-form targets (http://other/...) and anything not a path are not ours.
    if (!req.url || !req.url.startsWith('/')) return refuse(res, { ok: false, status: 400, message: 'Bad request' });
    const host = req.headers.host;
    const g = firstFailure(checkHost(host, port), checkOrigin(header(req, 'origin'), host));
    if (!g.ok) return refuse(res, g);
    let url: URL;
    try {
      url = new URL(req.url, `http://${host}`);
    } catch {
      return refuse(res, { ok: false, status: 400, message: 'Bad request' });
    }
    if (url.pathname.startsWith('/api/')) {
      const site = checkFetchSite(header(req, 'sec-fetch-site'));
      if (!site.ok) return refuse(res, site);
      if (url.pathname.startsWith(BRIDGE_CALL_PREFIX)) {
        return void handleCall(req, res, url.pathname.slice(BRIDGE_CALL_PREFIX.length)).catch(() => {
          if (!res.headersSent) sendJson(res, 500, failure('internal', 'Internal error'));
          else res.destroy();
        });
      }
      if (url.pathname === BRIDGE_EVENTS_PATH) return handleEvents(req, res, url);
      return sendJson(res, 404, failure('not_found', 'Not found'));
    }
    handleStatic(req, res, url);
  });
  server.requestTimeout = 60_000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host: '127.0.0.1' }, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(secret)}`,
    port,
    async close() {
      clearInterval(keepAlive);
      unsubscribe();
      for (const res of clients) res.end();
      clients.clear();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** A typed failure, so the caller tells "too large" from bad JSON without matching a message. */
class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Stop keeping the body; the 413 goes out and the connection closes after it.
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
