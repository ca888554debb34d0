/**
 * Where a shell may send the user's browser for a sign-in (issue 20): the origins of the configured
 * environments' own servers, derived from the configuration rather than kept in a fixed list. An
 * environment is given as the part of it this needs, so the config's environments and the app's
 * EnvironmentView both fit; `signInOrigins` is for a provider that signs in on another server (an
 * OpenID Connect issuer) and declares it.
 */
export interface SignInOriginSource {
  baseUrl: string;
  signInOrigins?: readonly string[];
}

/**
 * The origin of an http(s) URL without credentials, else undefined. A URL's origin alone is not enough:
 * `blob:https://h/…` has the origin https://h, and `https://user@h/` too.
 */
export function webOrigin(url: string): string | undefined {
  if (typeof url !== 'string' || !URL.canParse(url)) return undefined;
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  if (u.username || u.password) return undefined;
  return u.origin;
}

/** Each environment's server origin and the sign-in origins it declares, once each, in order. */
export function signInOrigins(envs: readonly SignInOriginSource[]): string[] {
  const out = new Set<string>();
  for (const env of envs) {
    for (const url of [env.baseUrl, ...(env.signInOrigins ?? [])]) {
      const origin = webOrigin(url);
      if (origin) out.add(origin);
    }
  }
  return [...out];
}
