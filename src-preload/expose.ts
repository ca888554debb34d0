import type { ApiResult, TokenDeskApi } from '../src-main/contract/api.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../src-main/contract/methods.js';
import type { AppEvent } from '../src-main/contract/types.js';
import { PRELOAD_METHODS } from './methods.js';

/** The channel names, from contract/methods.ts (pure data: the preload bundle stays free of zod). */
export const CALL_CHANNEL = IPC_CALL_CHANNEL;
export const EVENT_CHANNEL = IPC_EVENT_CHANNEL;

/** The slice of ipcRenderer used; never handed to the page. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * How a failed call reaches the page. contextBridge rebuilds thrown Errors from their message only
 * (custom properties like `code` are dropped), so failures are plain objects, which it copies whole.
 */
export interface TokenDeskApiError {
  name: 'TokenDeskError';
  code: string;
  message: string;
}

export type ExposedApi = TokenDeskApi & {
  /** Subscribes to AppEvents; returns the unsubscribe function. */
  onEvent(listener: (e: AppEvent) => void): () => void;
};

function unwrap(result: unknown): unknown {
  const r = result as ApiResult<unknown> | null;
  if (r && typeof r === 'object' && r.ok === true) return r.value;
  const error: TokenDeskApiError =
    r && typeof r === 'object' && r.ok === false && r.error
      ? { name: 'TokenDeskError', code: String(r.error.code), message: String(r.error.message) }
      : { name: 'TokenDeskError', code: 'internal', message: 'TokenDesk returned an unreadable answer.' };
  throw error;
}

/** Builds the object exposed as window.tokendesk: named functions only, no channel, no IPC event. */
export function buildExposedApi(ipc: IpcRendererLike): ExposedApi {
  const api: Record<string, unknown> = {};
  for (const method of PRELOAD_METHODS) {
    api[method] = async (input: unknown) => unwrap(await ipc.invoke(CALL_CHANNEL, method, input ?? {}));
  }
  api.onEvent = (listener: (e: AppEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    // Only the payload crosses: the IPC event object (with its sender) never reaches the page.
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as AppEvent);
    ipc.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipc.removeListener(EVENT_CHANNEL, wrapped);
    };
  };
  return Object.freeze(api) as ExposedApi;
}
