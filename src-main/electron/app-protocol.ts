import { readFile, realpath, stat } from 'node:fs/promises';
import nodePath from 'node:path';
import { contentTypeFor } from '../shell-common/content-type.js';
import { buildCsp } from '../shell-common/csp.js';

/**
 * The renderer is served from a privileged custom scheme, not file:// (Electron security checklist
 * item 18: a file:// page can read every local file, and its URL is the install path, which Chromium
 * canonicalises — on Windows it upper-cases the drive letter, so comparing file URLs fails).
 * https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tokendesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/**
 * For protocol.registerSchemesAsPrivileged (before `ready`, once). standard: relative URLs resolve
 * and the page has an origin ('self' in the CSP means app://tokendesk); secure: a secure context;
 * supportFetchAPI: module scripts and fetch() load from it. No bypassCSP, no corsEnabled.
 * https://www.electronjs.org/docs/latest/api/protocol#protocolregisterschemesasprivilegedcustomschemes
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

/** The path functions used, so Windows rules are tested with path.win32 on any machine. */
type PathLike = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * The file a request path names inside `root`, or null: decoded once; no NUL, backslash, colon (a
 * drive letter or an NTFS alternate stream), `..` segment, or anything that resolves outside root.
 * Lexical only; the handler also checks the real path (symlinks) before reading.
 */
export function resolveAppFile(root: string, pathname: string, path: PathLike = nodePath): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || /[\0\\:]/.test(decoded)) return null;
  const parts = decoded.split('/');
  if (parts.some((p) => p === '..' || p === '.')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.slice(1);
  const candidate = path.resolve(root, rel);
  const inside = path.relative(path.resolve(root), candidate);
  if (!inside || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return candidate;
}

/** True when `url` is on the app's origin (the scheme is standard, so Chromium lower-cases the host). */
export function isAppOrigin(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.hostname.toLowerCase() === APP_HOST && !url.port && !url.username && !url.password;
}

export interface AppProtocolOptions {
  /** The one CSP (buildCsp()); every response carries it, so the page cannot run without it. */
  csp?: string;
}

/**
 * The protocol.handle('app', …) handler: GET/HEAD of files under `rendererDir` (out/renderer), with
 * their MIME type and the CSP header; anything else is a 404 (or 405) that carries the CSP too.
 * https://www.electronjs.org/docs/latest/api/protocol#protocolhandlescheme-handler
 */
export function createAppProtocolHandler(rendererDir: string, opts: AppProtocolOptions = {}) {
  const csp = opts.csp ?? buildCsp();
  const headers = (type: string): Record<string, string> => ({
    'Content-Type': type,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  const refuse = (status: number, text: string) => new Response(text, { status, headers: headers('text/plain; charset=utf-8') });

  return async (request: Request): Promise<Response> => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(404, 'Not found');
    }
    if (!isAppOrigin(url)) return refuse(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
    const file = resolveAppFile(rendererDir, url.pathname);
    if (!file) return refuse(404, 'Not found');
    try {
      // A link inside out/renderer must not lead out of it.
      const [rootReal, real] = await Promise.all([realpath(rendererDir), realpath(file)]);
      const inside = nodePath.relative(rootReal, real);
      if (!inside || inside.startsWith('..') || nodePath.isAbsolute(inside)) return refuse(404, 'Not found');
      if (!(await stat(real)).isFile()) return refuse(404, 'Not found');
      const body = request.method === 'HEAD' ? null : await readFile(real);
      return new Response(body, { status: 200, headers: headers(contentTypeFor(real)) });
    } catch {
      return refuse(404, 'Not found');
    }
  };
}

/** The built renderer inside the app (the asar when packaged): <appPath>/out/renderer. */
export function rendererDir(appPath: string): string {
  return nodePath.join(appPath, 'out', 'renderer');
}
