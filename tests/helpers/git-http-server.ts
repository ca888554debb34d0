import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A git smart-HTTP server on 127.0.0.1: git's own `git http-backend` (CGI) behind node, with Basic
 * auth whose password is checked by `accept` (the test asks the demo server whether the token is live).
 * A request without credentials gets 401 and a Basic challenge, so git asks its credential helper.
 */
export interface GitHttpServer {
  url: string;
  /** The passwords the server was given, in order. */
  passwords: string[];
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startGitHttpServer(projectRoot: string, accept: (username: string, password: string) => Promise<boolean>): Promise<GitHttpServer> {
  const passwords: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const [user = '', ...rest] = auth ? Buffer.from(auth, 'base64').toString('utf8').split(':') : [];
      const password = rest.join(':');
      if (auth) passwords.push(password);
      if (!auth || !(await accept(user, password))) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="tokendesk-test"' }).end();
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const input = await body(req);
      // CGI/1.1 (RFC 3875) variables git-http-backend reads.
      const cgi = spawn('git', ['http-backend'], {
        env: {
          PATH: process.env.PATH,
          GIT_PROJECT_ROOT: projectRoot,
          GIT_HTTP_EXPORT_ALL: '1',
          REQUEST_METHOD: req.method ?? 'GET',
          PATH_INFO: decodeURIComponent(url.pathname),
          QUERY_STRING: url.search.slice(1),
          CONTENT_TYPE: req.headers['content-type'] ?? '',
          CONTENT_LENGTH: String(input.length),
          ...(req.headers['content-encoding'] && { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }),
          ...(req.headers['git-protocol'] && { GIT_PROTOCOL: String(req.headers['git-protocol']) }),
          REMOTE_USER: user,
          REMOTE_ADDR: '127.0.0.1',
        },
      });
      cgi.stdin.end(input);
      const out: Buffer[] = [];
      cgi.stdout.on('data', (c: Buffer) => out.push(c));
      cgi.on('close', () => {
        const all = Buffer.concat(out);
        const split = all.indexOf('\r\n\r\n');
        const head = all.subarray(0, split).toString('latin1').split('\r\n');
        const headers: Record<string, string> = {};
        let status = 200;
        for (const line of head) {
          const i = line.indexOf(':');
          const name = line.slice(0, i).trim();
          const value = line.slice(i + 1).trim();
          if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
          else headers[name] = value;
        }
        res.writeHead(status, headers).end(all.subarray(split + 4));
      });
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    passwords,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
