/**
 * Reading a session API's answer through the user's dot-path mappings (`--map token=data.accessToken`):
 * the lookup and the interpretation of an expiry. Pure: no I/O, no clock of its own.
 */

/** At most this many segments: a deeper path is a typo, not an API. */
export const MAX_PATH_SEGMENTS = 20;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const SEGMENT = /^[^\s.\u0000-\u001f\u007f]{1,100}$/u;

/** Why `path` is not a dot-path (`data.accessToken`, `user.roles.0`), or undefined when it is one. */
export function dotPathProblem(path: string): string | undefined {
  if (path === '') return 'it is empty';
  const segments = path.split('.');
  if (segments.length > MAX_PATH_SEGMENTS) return `it has more than ${MAX_PATH_SEGMENTS} parts`;
  if (segments.some((s) => s === '')) return 'it has an empty part (two dots, or a dot at an end)';
  if (!segments.every((s) => SEGMENT.test(s))) return 'a part has a space or a control character, or is longer than 100 characters';
  return undefined;
}

export type Lookup = { found: true; value: unknown } | { found: false };

/**
 * The value at `path` in `json`: each segment names an object's own property, or an array's index
 * when it is a number (`accounts.0.id`). Own properties only, so `constructor` or `__proto__` find
 * nothing instead of the prototype. `null` counts as nothing: APIs write `"email": null` for "none".
 */
export function lookupPath(json: unknown, path: string): Lookup {
  let at: unknown = json;
  for (const segment of path.split('.')) {
    if (Array.isArray(at)) {
      if (!/^(0|[1-9]\d{0,8})$/.test(segment)) return { found: false };
      const i = Number(segment);
      if (i >= at.length) return { found: false };
      at = at[i];
    } else if (at !== null && typeof at === 'object') {
      if (!Object.prototype.hasOwnProperty.call(at, segment)) return { found: false };
      at = (at as Record<string, unknown>)[segment];
    } else {
      return { found: false };
    }
  }
  return at === null || at === undefined ? { found: false } : { found: true, value: at };
}

/** Beyond this a number is epoch milliseconds (1e12 ms is September 2001). */
export const EPOCH_MS_ABOVE = 1e12;
/** Beyond this (and up to EPOCH_MS_ABOVE) a number is epoch seconds (1e9 s is September 2001). */
export const EPOCH_S_ABOVE = 1e9;

export type ExpiryReading =
  | { ok: true; lifetimeMs: number; source: string }
  | { ok: false; problem: string };

/**
 * How long a token lives, from the value an API gave for its expiry:
 * - an ISO time (`2024-05-20T03:15:07.647Z`), on the server's clock;
 * - a number (or a string of digits): epoch milliseconds when above 1e12, epoch seconds when above
 *   1e9, otherwise seconds from now (`expiresIn: 3600`). Any lifetime under 1e9 s (31 years) is a
 *   "seconds from now", and no epoch time after 2001 is under 1e9 s or 1e12 ms, so the three never
 *   overlap for a real token.
 * An absolute time is measured against `serverNow` (the server's Date header when trusted, else our
 * clock: provider.ts localExpiry's rule), so a skewed server clock neither shortens nor stretches it.
 * `source` describes the value for a message (times and numbers are not secrets); the range is the
 * caller's to check (lifetime.ts).
 */
export function readExpiry(value: unknown, serverNow: number): ExpiryReading {
  if (typeof value === 'string') {
    const v = value.trim();
    if (/^\d+(\.\d+)?$/.test(v)) return readExpiry(Number(v), serverNow);
    const at = Date.parse(v);
    if (v === '' || !Number.isFinite(at)) return { ok: false, problem: 'a text that is not a time' };
    return { ok: true, lifetimeMs: at - serverNow, source: printable(v) };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, problem: 'a number that is not finite' };
    if (value > EPOCH_MS_ABOVE) return { ok: true, lifetimeMs: value - serverNow, source: `${value} (epoch milliseconds)` };
    if (value > EPOCH_S_ABOVE) return { ok: true, lifetimeMs: value * 1000 - serverNow, source: `${value} (epoch seconds)` };
    return { ok: true, lifetimeMs: value * 1000, source: `${value} (seconds from now)` };
  }
  return { ok: false, problem: describeValue(value) };
}

/** What kind of value was found, in words, never the value itself (it may be a secret). */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a text';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a true/false value';
  return `a ${typeof value}`;
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '').slice(0, 40);
}
