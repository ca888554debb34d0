import type { SessionCheckView } from '../../src-main/contract/types.js';
import { errorMessage } from '../api/types.js';
import type { DeskStore } from '../store.js';

/** Repeated checks update one toast instead of stacking them. */
const CHECK_SLOT = { slot: 'check' };

/** One toast for a check's results: ended first (they need the user), then what could not be asked. */
export function checkSummary(results: readonly SessionCheckView[]): { kind: 'success' | 'error' | 'info'; text: string; detail?: string } {
  const ended = results.filter((r) => r.result === 'ended');
  const unknown = results.filter((r) => r.result === 'unknown');
  const asked = results.filter((r) => r.result !== 'skipped');
  if (ended.length) {
    const names = ended.map((r) => r.email).join(', ');
    return { kind: 'error', text: `Ended by the server: ${names}`, detail: `${ended[0]!.reason ?? ''}${ended.length > 1 ? ` (and ${ended.length - 1} more)` : ''}. Sign in again.` };
  }
  if (unknown.length) return { kind: 'info', text: `Could not check ${unknown.map((r) => r.email).join(', ')}`, detail: `${unknown[0]!.reason ?? 'No answer'}; nothing was changed.` };
  if (asked.length === 0) return { kind: 'info', text: 'Nothing to check', detail: 'No signed-in session with time left.' };
  return { kind: 'success', text: asked.length === 1 ? `${asked[0]!.email}: accepted by the server` : `All ${asked.length} sessions accepted by their servers` };
}

/**
 * "Check now": asks the servers whether they still accept the sessions (one identity's, or all), then
 * shows the state (an ended session reads "ended" with the server's reason) and one toast.
 */
export async function performCheck(store: DeskStore, scope: { identityId?: string } = {}): Promise<void> {
  const { api, toast } = store.getState();
  try {
    const { results } = await api.checkSessions(scope);
    await store.getState().refresh();
    const s = checkSummary(results);
    toast(s.kind, s.text, s.detail, CHECK_SLOT);
  } catch (e) {
    toast('error', 'Could not check the sessions', errorMessage(e), CHECK_SLOT);
  }
}
