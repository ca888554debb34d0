import type { ProviderKind } from './providers.js';
import { settingsOf } from './settings.js';

function originOf(raw: string): string | undefined {
  try {
    return new URL(raw.trim()).origin;
  } catch {
    return undefined;
  }
}

/**
 * The servers an environment's tokens and keys are sent to: its base URL's origin, and the origin of
 * each setting the catalogue marks `origin` (an OpenID issuer) when it is set (unset, the base URL
 * serves). Sorted, without repeats. A value that is not a URL counts as itself, so changing it is a move.
 */
export function environmentServers(env: { provider: ProviderKind; baseUrl: string; settings?: Readonly<Record<string, string>> }): string[] {
  const out = new Set<string>([originOf(env.baseUrl) ?? env.baseUrl.trim()]);
  for (const info of settingsOf(env.provider)) {
    const value = info.origin ? env.settings?.[info.name]?.trim() : undefined;
    if (value) out.add(originOf(value) ?? value);
  }
  return [...out].sort();
}

/** The servers as one value (stored with a move: secrets/types.ts secretKeys.servers); equal exactly when changesServers says no move. */
export function serversFingerprint(env: { provider: ProviderKind; baseUrl: string; settings?: Readonly<Record<string, string>> }): string {
  return JSON.stringify(environmentServers(env));
}

/**
 * Whether going from `from` to `to` sends credentials to a server `from` did not use, or stops using one
 * it did: either way the sessions and keys given for the old set must not follow (the same rule as a
 * base URL moving to another origin, contract/validators.ts changesOrigin).
 */
export function changesServers(
  from: { provider: ProviderKind; baseUrl: string; settings?: Readonly<Record<string, string>> },
  to: { provider: ProviderKind; baseUrl: string; settings?: Readonly<Record<string, string>> },
): boolean {
  const a = environmentServers(from);
  const b = environmentServers(to);
  return a.length !== b.length || a.some((s, i) => s !== b[i]);
}

/**
 * The move said to the user: the URLs when the base URL moved, else the servers that changed (an
 * issuer: the old one and the new one, not the base URL both keep); all of them when one side adds none.
 */
export function describeMove(
  from: { provider: ProviderKind; baseUrl: string; settings?: Readonly<Record<string, string>> },
  to: { provider: ProviderKind; baseUrl: string; settings?: Readonly<Record<string, string>> },
): { what: string; from: string; to: string } {
  if (originOf(from.baseUrl) !== originOf(to.baseUrl) || originOf(from.baseUrl) === undefined) return { what: 'URL', from: from.baseUrl, to: to.baseUrl };
  const before = environmentServers(from);
  const after = environmentServers(to);
  const gone = before.filter((x) => !after.includes(x));
  const added = after.filter((x) => !before.includes(x));
  const [a, b] = gone.length > 0 && added.length > 0 ? [gone, added] : [before, after];
  return { what: 'servers', from: a.join(', '), to: b.join(', ') };
}
