import type { IncomingMessage, ServerResponse } from 'node:http';

/** GoTrue's `limitRequestBody(1<<20)`; the session API uses the same bound. */
export const MAX_BODY_BYTES = 1 << 20;

/** A body that could not be read: too large (413) or not JSON (400 bad_json). */
export class BodyError extends Error {
  constructor(
    readonly kind: 'too_large' | 'bad_json',
    message: string,
  ) {
    super(message);
  }
}

/** The server's idea of "now" (ms): an injectable clock plus the configured skew. */
export type Clock = () => number;

/**
 * Reads at most MAX_BODY_BYTES. On overflow it keeps draining instead of destroying the request,
 * so the 413 can still be written to the socket.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): void => {
      req.removeAllListeners('data');
      req.resume();
      reject(new BodyError('too_large', 'Request body too large'));
    };
    if (Number(req.headers['content-length'] ?? '0') > MAX_BODY_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return tooLarge();
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a JSON body the way Go's json.Decoder does: empty input is an error ("EOF"). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = (await readBody(req)).toString('utf8');
  if (raw.trim() === '') throw new BodyError('bad_json', 'Could not parse request body as JSON: EOF');
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw new BodyError('bad_json', `Could not parse request body as JSON: ${(err as Error).message}`);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

/** GoTrue's `(?i)^bearer (\S+$)`: anything else counts as no Authorization at all. */
export function bearerToken(req: IncomingMessage): string | null {
  const m = /^bearer (\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

/** A single header value; repeated headers (joined or arrays) take the first. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
