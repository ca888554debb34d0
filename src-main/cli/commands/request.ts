import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { exportInput, freshToken } from '../fresh.js';
import { collect, emailOption, envOption, identityOption } from './common.js';
import { withFactory, type Factory } from '../factory.js';
import { EXIT, PROGRAM, UsageError } from '../output.js';
import { authHeaders, TokenDeskError, withAccountQuery } from '../../core/facade.js';
import { colouredJson } from '../json-colour.js';

interface RequestOptions {
  env: string;
  email?: string;
  method?: string;
  data?: string;
  dataFile?: string;
  header?: string[];
  include?: boolean;
  timeout: number;
}

/** An HTTP header name is a token (RFC 9110 §5.6.2); a value has no line break (no header injection). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** The largest answer shown: far above an API's JSON, small enough not to hog memory. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

function parseHeader(line: string): [string, string] {
  const i = line.indexOf(':');
  const name = i > 0 ? line.slice(0, i).trim() : '';
  const value = i > 0 ? line.slice(i + 1).trim() : '';
  if (!HEADER_NAME.test(name)) throw new UsageError(`-H "${name || line}": give a header as 'Name: value'`);
  if (/[\r\n\0]/.test(value)) throw new UsageError(`-H ${name}: a header value cannot contain a line break`);
  return [name, value];
}

/**
 * The URL of PATH on the environment: a path is put after the base URL (its own path kept, as gh api
 * puts a path after the host's API root); a full URL is allowed only on the environment's own origin,
 * since the request carries its token.
 */
export function requestUrl(baseUrl: string, path: string): string {
  const base = new URL(baseUrl);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    const u = new URL(path);
    if (u.origin !== base.origin) throw new UsageError(`${u.origin} is not this environment's server (${base.origin}): its token is only sent there`);
    return u.href;
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const rel = path.startsWith('/') ? path : `/${path}`;
  const url = new URL(`${prefix}${rel}`, base.origin);
  // "//evil.example/x" or "/\\evil.example" after a base without a path parses as another host
  // (a scheme-relative URL): whatever the path, the token goes to the environment's own origin only.
  if (url.origin !== base.origin) throw new UsageError(`${path} points at ${url.origin}, not this environment's server (${base.origin}): its token is only sent there`);
  return url.href;
}

async function body(f: Factory, o: RequestOptions): Promise<string | undefined> {
  if (o.data !== undefined && o.dataFile !== undefined) throw new UsageError('give -d DATA or --data-file FILE, not both');
  if (o.data !== undefined) return o.data;
  if (o.dataFile === undefined) return undefined;
  if (o.dataFile === '-') {
    const chunks: Buffer[] = [];
    for await (const c of f.io.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
    return Buffer.concat(chunks).toString('utf8');
  }
  return readFile(o.dataFile, 'utf8').catch((e: unknown) => {
    throw new UsageError(`--data-file ${o.dataFile}: ${(e as NodeJS.ErrnoException).code ?? 'cannot be read'}`);
  });
}

const isJsonType = (type: string | null) => type !== null && /^application\/([\w.+-]*\+)?json\b/i.test(type);

/**
 * `tokendesk request PATH`: like `gh api`, a request to the environment's API with its base URL, auth
 * headers and active account applied and the token renewed first when due (the same fresh token
 * `token` and `exec` hand out). JSON answers pretty-printed (coloured on a terminal), `-i` shows the
 * status line and headers; a 4xx/5xx answer is printed too, and the status goes to stderr with exit 1.
 * Redirects are not followed: a Location elsewhere would receive the token.
 */
async function request(f: Factory, path: string, o: RequestOptions): Promise<void> {
  const data = await body(f, o);
  const method = (o.method ?? (data === undefined ? 'GET' : 'POST')).toUpperCase();
  if (!/^[A-Z]{1,20}$/.test(method)) throw new UsageError(`-X ${o.method ?? ''}: not an HTTP method`);
  const fresh = await freshToken(f, o.env, o.email);
  const input = await exportInput(f, fresh);
  const url = withAccountQuery(input, requestUrl(fresh.env.baseUrl, path));
  const headers = new Headers();
  for (const h of authHeaders(input)) headers.set(h.name, h.value);
  for (const line of o.header ?? []) {
    const [name, value] = parseHeader(line);
    headers.set(name, value);
  }
  if (data !== undefined && !headers.has('content-type')) {
    headers.set('content-type', isParsableJson(data) ? 'application/json' : 'application/x-www-form-urlencoded');
  }
  if (!headers.has('accept')) headers.set('accept', 'application/json, */*;q=0.5');
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: data, redirect: 'manual', signal: AbortSignal.timeout(o.timeout * 1000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new TokenDeskError('network_error', `${method} ${new URL(url).origin}${new URL(url).pathname}: no answer (${cause})`, { cause: e });
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > MAX_ANSWER_BYTES) throw new TokenDeskError('response_too_large', `The answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`);
  if (o.include) {
    const lines = [`HTTP ${res.status} ${res.statusText}`];
    res.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
    f.term.out(`${lines.join('\n')}\n`);
  }
  const type = res.headers.get('content-type');
  const text = bytes.toString('utf8');
  if (isJsonType(type) && isParsableJson(text)) {
    const value: unknown = JSON.parse(text);
    if (f.term.styled()) f.term.outStyled(colouredJson(value));
    else f.term.outJson(value);
  } else if (bytes.length > 0) {
    // On a terminal the server's text passes the display filter (no escape sequence it sends is obeyed); in a pipe, the bytes as they came.
    if (f.term.styled()) f.term.out(text);
    else f.io.stdout.write(bytes);
  }
  if (res.status >= 400 || (res.status >= 300 && res.status < 400)) {
    const where = res.status < 400 ? ` (a redirect to ${res.headers.get('location') ?? 'elsewhere'}: not followed, the token stays here)` : '';
    f.term.errLine(`${PROGRAM}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} (${method} ${new URL(url).pathname})${where}`);
    f.setExitCode(EXIT.error);
  }
}

function isParsableJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new InvalidArgumentError('must be a number of seconds, 1 to 600');
  return n;
}

export function registerRequest(program: Command, f: Factory): void {
  program
    .command('request')
    .summary('call the API with a fresh token (like gh api)')
    .description("an HTTP request to the environment's API: its base URL, auth headers and active account applied, the token renewed first if due")
    .argument('<path>', 'a path after the base URL (/rest/v1/profiles), or a full URL on the same server')
    .addOption(envOption())
    .addOption(emailOption())
    .addOption(identityOption())
    .option('-X, --method <method>', 'the HTTP method (default: GET, or POST with a body)')
    .option('-d, --data <data>', 'the request body (JSON is sent as application/json)')
    .option('--data-file <file>', 'the request body from a file ("-" for standard input)')
    .option('-H, --header <line>', "an extra header 'Name: value' (repeatable; replaces one TokenDesk sets)", collect)
    .option('-i, --include', 'print the status line and the response headers first')
    .option('--timeout <seconds>', 'how long to wait for the answer', parseSeconds, 30)
    .addHelpText(
      'after',
      [
        '',
        'Exit status 1 on a 4xx or 5xx answer (the body is printed, the status goes to stderr). Redirects',
        'are not followed. Examples:',
        '  tokendesk request /rest/v1/profiles',
        '  tokendesk request -X POST /api/items -d \'{"name":"x"}\' -H \'Prefer: return=representation\'',
      ].join('\n'),
    )
    .action(withFactory(f, request));
}
