// One time format for the window, the core's messages and the CLI (issue 25: the token panel mixed
// "10:34:46 PM" with "Dec 7, 2026 06:34:47 AM"). Pure: the renderer imports it too.
const pad = (n: number): string => String(n).padStart(2, '0');

/** A Date for `ms`, or undefined when it is not a time (stored data can be anything). */
function dateOf(ms: number): Date | undefined {
  const d = new Date(ms);
  // NaN, Infinity or beyond what a Date holds (±8.64e15 ms): no "NaN-NaN-NaN".
  return typeof ms === 'number' && Number.isFinite(d.getTime()) ? d : undefined;
}

const dayOf = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const clockOf = (d: Date): string => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

/**
 * "2026-11-22 13:05:09 CET": the local clock, unambiguous whatever the locale (toLocaleString gives
 * "11/22/2026, 1:05:09 PM" in one place and "22/11/2026, 13:05:09" in another), with the zone named.
 * A time that is not one reads "unknown".
 */
export function localTime(ms: number): string {
  const d = dateOf(ms);
  return d ? `${dayOf(d)} ${clockOf(d)} ${zoneName(d)}` : 'unknown';
}

/** The same format without the zone, and without the date on the day of `now`: "13:05:09", "2026-11-22 13:05:09". */
export function timeOfDay(ms: number, now: number): string {
  const d = dateOf(ms);
  if (!d) return 'unknown';
  const today = dateOf(now);
  return today && dayOf(today) === dayOf(d) ? clockOf(d) : `${dayOf(d)} ${clockOf(d)}`;
}

/** The short zone name ("UTC", "CET", "GMT+2"), or the numeric offset when Intl has none. */
function zoneName(d: Date): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
    if (part?.value) return part.value;
  } catch {
    // fall through to the offset
  }
  const off = -d.getTimezoneOffset();
  return `${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`;
}
