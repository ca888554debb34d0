/**
 * The one way a URL leaves the app for the user's browser. The URL is parsed (never matched as a
 * string), must be https, carry no credentials, and its host must be in the allow-list exactly.
 */
export const EXTERNAL_HOST_ALLOWLIST: readonly string[] = [
  'github.com',
  'supabase.com',
  'learning.postman.com',
  'www.electronjs.org',
];

export function isAllowedExternalUrl(url: unknown, allowList: readonly string[] = EXTERNAL_HOST_ALLOWLIST): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:') return false;
  if (u.username || u.password) return false;
  if (u.port && u.port !== '443') return false;
  const host = u.hostname.toLowerCase();
  return allowList.some((h) => h.toLowerCase() === host);
}

/** Opens `url` with the injected opener (shell.openExternal) only when allowed; never throws. */
export async function openExternalSafely(
  url: unknown,
  allowList: readonly string[],
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
