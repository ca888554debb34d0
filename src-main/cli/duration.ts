import { UsageError } from './output.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Longer than any token TokenDesk keeps: a typo such as 10d for 10m is said, not waited on. */
const MAX_MS = 30 * 86_400_000;

/**
 * A duration as `token --min-valid` takes it: `90s`, `10m`, `1h`, `1h30m`, or a bare number of seconds
 * (oidc-agent's `oidc-token --time N`). In milliseconds.
 */
export function parseDuration(text: string, flag: string): number {
  const t = text.trim().toLowerCase();
  const bare = /^\d+$/.test(t) ? Number(t) * 1000 : undefined;
  let ms = bare ?? 0;
  if (bare === undefined) {
    const parts = [...t.matchAll(/(\d+)([smhd])/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) throw new UsageError(`${flag} takes a duration such as 90s, 10m or 1h (got "${text.slice(0, 20)}")`);
    for (const p of parts) ms += Number(p[1]) * UNIT_MS[p[2]!]!;
  }
  if (!Number.isSafeInteger(ms) || ms > MAX_MS) throw new UsageError(`${flag} is at most 30d`);
  return ms;
}
