import type { TokenDeskApi } from '../../src-main/contract/api.js';
import type { AppEvent } from '../../src-main/contract/types.js';

/** What the renderer talks to: the contract's methods plus a subscription to AppEvents. */
export type DeskApi = TokenDeskApi & {
  onEvent(cb: (e: AppEvent) => void): () => void;
};

/** An Error carrying the contract's error code (thrown by the preload and by the bridge client). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The user-facing message of an error: the contract's messages are written for users already. */
export function errorMessage(e: unknown): string {
  // The preload throws plain {name, code, message} objects (contextBridge drops an Error's own properties).
  const msg = typeof e === 'string' ? e : (e as { message?: unknown } | null)?.message;
  if (typeof msg === 'string' && msg) return msg.replace(/^Error invoking remote method '[^']+': (Error: )?/, '');
  return 'Something went wrong (no details were given)';
}
