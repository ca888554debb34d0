import { TokenDeskError } from '../errors.js';

/**
 * The git credential helper protocol (git-credential(1), "INPUT/OUTPUT FORMAT"): `key=value` lines,
 * ended by a blank line or the end of input; a key ending in `[]` may repeat. Values cannot hold a
 * newline or NUL, so an answer with one would let a value inject a line: refused.
 */
export type CredentialRequest = Map<string, string[]>;

export function parseCredentialRequest(text: string): CredentialRequest {
  const out: CredentialRequest = new Map();
  for (const line of text.split('\n')) {
    const l = line.replace(/\r$/, '');
    if (l === '') break;
    const eq = l.indexOf('=');
    if (eq <= 0) throw new TokenDeskError('invalid_input', 'git sent a line that is not key=value');
    const key = l.slice(0, eq);
    out.set(key, [...(out.get(key) ?? []), l.slice(eq + 1)]);
  }
  return out;
}

export function first(req: CredentialRequest, key: string): string | undefined {
  return req.get(key)?.[0];
}

export function renderCredential(fields: ReadonlyArray<[string, string]>): string {
  for (const [, v] of fields) {
    if (/[\n\0]/.test(v)) throw new TokenDeskError('invalid_input', 'a credential value holds a line break, which the git protocol cannot carry');
  }
  return fields.map(([k, v]) => `${k}=${v}\n`).join('');
}

/**
 * The host git asks about (`host` may carry `:port`), compared with an environment's URL or a host the
 * user allowed. Only https (and http to a loopback address, for local servers): a token is never handed
 * out for a plain-text connection elsewhere.
 */
export function requestOrigin(req: CredentialRequest): { protocol: string; host: string } | undefined {
  const protocol = first(req, 'protocol');
  const host = first(req, 'host')?.toLowerCase();
  if (!protocol || !host) return undefined;
  return { protocol, host };
}

export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** Whether a token may travel to this origin: https anywhere, http only to this machine. */
export function safeTransport(origin: { protocol: string; host: string }): boolean {
  return origin.protocol === 'https' || (origin.protocol === 'http' && isLoopbackHost(origin.host));
}

/**
 * git's `host` made comparable with gitHostOf: git sends the port as the remote URL spells it, so
 * `https://host:443/repo` asks for `host:443`, which a URL's host never shows (the scheme's default port
 * is dropped, WHATWG URL). :443 for https and :80 for http are dropped here too.
 */
export function comparableGitHost(protocol: string, host: string): string {
  const h = host.toLowerCase();
  const defaultPort = protocol === 'https' ? ':443' : protocol === 'http' ? ':80' : undefined;
  return defaultPort !== undefined && h.endsWith(defaultPort) ? h.slice(0, -defaultPort.length) : h;
}

/** `host` of a URL as git writes it: hostname, plus `:port` when one is given. */
export function gitHostOf(url: string): string {
  const u = new URL(url);
  return u.host.toLowerCase();
}
