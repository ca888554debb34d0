import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenDeskError } from '../errors.js';

export interface LoopbackCallback {
  /** http://127.0.0.1:<port>/callback: the redirect URI (RFC 8252 §7.3: any port on the loopback address). */
  redirectUri: string;
  /** Resolves with the URL the browser came back to (its query holds code and state, or an error). */
  callback: Promise<URL>;
  /** Answers the waiting browser tab with a short page, then closes the listener. */
  finish(ok: boolean, message: string): Promise<void>;
}

const page = (ok: boolean, message: string) =>
  `<!doctype html><meta charset="utf-8"><title>TokenDesk</title><body style="font-family:sans-serif;margin:3em"><h1>${ok ? 'Signed in' : 'Sign-in failed'}</h1><p>${message
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')}</p></body>`;

/** The redirect URI a browser sign-in comes back to: what to register at the provider (a random port shows as PORT). */
export function redirectUriFor(port: number): string {
  return `http://127.0.0.1:${port > 0 ? port : 'PORT'}/callback`;
}

/**
 * A one-shot listener on 127.0.0.1 at `port` (0: a random free one) for the authorization code's redirect (RFC 8252
 * §7.3; 127.0.0.1 rather than localhost, §8.3). Only GET /callback counts; the first one is taken and
 * kept waiting until `finish`, so the tab shows the outcome. The listener and every connection close on
 * finish or when `signal` aborts, so no port is left behind.
 */
export async function listenForCallback(signal: AbortSignal, port = 0): Promise<LoopbackCallback> {
  let pending: ServerResponse | undefined;
  /** The one callback was taken: later ones are not (pending is cleared once the tab is answered). */
  let answered = false;
  let resolve!: (u: URL) => void;
  let reject!: (e: unknown) => void;
  const callback = new Promise<URL>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  callback.catch(() => undefined);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/callback' || pending || answered) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    pending = res;
    answered = true;
    resolve(new URL(`${redirectUri}${url.search}`));
  });
  await new Promise<void>((res, rej) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      // A fixed port someone else holds (another sign-in, a dev server): said by number, with the way out.
      if (e.code === 'EADDRINUSE') rej(new TokenDeskError('port_in_use', `Port ${port} on 127.0.0.1 is in use by another program, so the browser cannot come back to ${redirectUriFor(port)}: close that program, or choose another redirect port (and register it at the provider)`));
      else if (e.code === 'EACCES') rej(new TokenDeskError('port_in_use', `Port ${port} on 127.0.0.1 may not be opened by this user: choose a redirect port above 1023 (and register it at the provider)`));
      else rej(e);
    });
    server.listen(port, '127.0.0.1', () => res());
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((res) => {
      server.close(() => res());
      server.closeAllConnections();
    }));
  const onAbort = () => {
    reject(signal.reason);
    pending?.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(page(false, 'The sign-in was cancelled in TokenDesk.'));
    void close();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    redirectUri,
    callback,
    finish: async (ok, message) => {
      signal.removeEventListener('abort', onAbort);
      // Once: a second finish (a flow's own, then its cleanup's) has nothing left to answer.
      const tab = pending;
      pending = undefined;
      // The page is flushed before the connections are cut, so the tab shows it.
      if (tab) await new Promise<void>((res) => tab.writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', connection: 'close' }).end(page(ok, message), () => res()));
      await close();
    },
  };
}
