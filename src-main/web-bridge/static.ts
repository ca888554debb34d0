import { realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';

// Shared with Electron's app:// protocol handler, which may not import the web bridge.
export { contentTypeFor } from '../shell-common/content-type.js';

/**
 * Maps a request path to a file inside `root`, or null. Decoding happens once, then the resolved
 * real path (symlinks followed) must still be inside root: no `..`, no encoded `%2e%2e`, no escape
 * through a link, no NUL, no backslash tricks.
 */
export function resolveStaticPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  if (decoded.split('/').some((part) => part === '..')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.slice(1);
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch {
    return null;
  }
  const candidate = resolve(rootReal, rel);
  if (!candidate.startsWith(rootReal + sep)) return null;
  try {
    const real = realpathSync(candidate);
    if (!real.startsWith(rootReal + sep)) return null;
    if (!statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}
