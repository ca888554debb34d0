import { timeOfDay } from '../lib/format.js';
const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at']);

/** A claim's value as text; epoch-second time claims get their local date-time too. */
export function claimText(key: string, value: unknown, now: number = Date.now()): { text: string; note?: string } {
  if (TIME_CLAIMS.has(key) && typeof value === 'number' && value > 1e8 && value < 1e11) {
    return { text: String(value), note: timeOfDay(value * 1000, now) };
  }
  if (typeof value === 'string') return { text: value };
  // Compact JSON with a space after each comma, so long objects wrap between fields.
  return { text: JSON.stringify(value).replace(/,(?=["{[\d-]|true|false|null)/g, ', ') };
}
