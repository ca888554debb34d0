import { webOrigin } from '../../shell-common/sign-in-origins.js';

/**
 * The one way a URL leaves the app for the user's browser. The URL is parsed (never matched as a
 * string) and carries no credentials. Allowed: an https page on one of the help hosts below (the
 * form's "where to find it" links), or a page whose origin (scheme, host, port) is exactly one of the
 * configured environments' sign-in origins (shell-common/sign-in-origins.ts: computed from the config
 * at each click, so an environment added or removed changes it at once).
 */
export const EXTERNAL_HOST_ALLOWLIST: readonly string[] = [
  'github.com',
  'supabase.com',
  'learning.postman.com',
  'www.electronjs.org',
];

export interface ExternalAllowList {
  /** Help pages: https on port 443, the host exactly. */
  hosts: readonly string[];
  /** Sign-in pages: the origin exactly (http allowed: a local server is a developer's own). */
  origins: readonly string[];
  /**
   * Pages a sign-in flow in progress asked to open (its authorization URL, a device verification page),
   * exactly: an OpenID issuer's login page can be on another origin than the environment's URL.
   */
  urls?: readonly string[];
}

export function isAllowedExternalUrl(url: unknown, allow: readonly string[] | ExternalAllowList = EXTERNAL_HOST_ALLOWLIST): boolean {
  const { hosts: allowList, origins, urls = [] } = Array.isArray(allow) ? { hosts: allow as readonly string[], origins: [] } : (allow as ExternalAllowList);
  if (typeof url !== 'string' || url.length > 8192) return false;
  if (webOrigin(url) !== undefined && urls.includes(url)) return true;
  if (url.length > 2048) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const origin = webOrigin(url);
  if (origin !== undefined && origins.some((o) => webOrigin(o) === origin)) return true;
  if (u.protocol !== 'https:') return false;
  if (u.username || u.password) return false;
  if (u.port && u.port !== '443') return false;
  const host = u.hostname.toLowerCase();
  return allowList.some((h) => h.toLowerCase() === host);
}

/** Opens `url` with the injected opener (shell.openExternal) only when allowed; never throws. */
export async function openExternalSafely(
  url: unknown,
  allowList: readonly string[] | ExternalAllowList,
  open: (url: string) => Promise<void> | void,
): Promise<boolean> {
  if (!isAllowedExternalUrl(url, allowList)) return false;
  try {
    // Re-serialised from the parsed URL so what is opened is exactly what was checked.
    await open(new URL(url as string).href);
    return true;
  } catch {
    return false;
  }
}
