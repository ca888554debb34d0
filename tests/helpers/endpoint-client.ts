import { request } from 'node:http';

export interface EndpointAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request to a loopback server with exactly the headers given (fetch would not let a test send
 * another Host, which is what a DNS-rebinding page makes the browser send).
 */
export function call(port: number, path: string, opts: { secret?: string; host?: string; method?: string; userAgent?: string; authorization?: string } = {}): Promise<EndpointAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: opts.host ?? `127.0.0.1:${port}` };
    if (opts.authorization !== undefined) headers.Authorization = opts.authorization;
    else if (opts.secret !== undefined) headers.Authorization = `Bearer ${opts.secret}`;
    if (opts.userAgent !== undefined) headers['User-Agent'] = opts.userAgent;
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
