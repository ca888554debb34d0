// Times in messages from the core and the CLI share one unambiguous format.
const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * "2026-11-22 13:05:09 CET": the local clock, unambiguous whatever the locale (toLocaleString gives
 * "11/22/2026, 1:05:09 PM" in one place and "22/11/2026, 13:05:09" in another), with the zone named.
 * A time that is not one (stored data can be anything) reads "unknown".
 */
export function localTime(ms: number): string {
  const d = new Date(ms);
  // NaN, Infinity or beyond what a Date holds (±8.64e15 ms): "unknown", never "NaN-NaN-NaN".
  if (typeof ms !== 'number' || !Number.isFinite(d.getTime())) return 'unknown';
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `${date} ${time} ${zoneName(d)}`;
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
