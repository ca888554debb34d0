// Browser side of the web bridge: the same API as window.tokendesk in Electron, over fetch + SSE.
// Imported by the renderer when window.tokendesk is absent (npm run web). No Node imports here.
import { apiMethods, type ApiResult } from '../contract/api.js';
import { BRIDGE_CALL_PREFIX, BRIDGE_EVENTS_PATH, BRIDGE_TOKEN_HEADER } from '../contract/bridge.js';
import type { AppEvent } from '../contract/types.js';
import type { ExposedApi } from '../../src-preload/expose.js';

export class BridgeError extends Error {
  override readonly name = 'TokenDeskError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface EventSourceLike {
  onmessage: ((ev: { data: string }) => void) | null;
  close(): void;
}

export interface WebBridgeClientOptions {
  token: string;
  /** Defaults to the page's origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSourceLike;
}

const TOKEN_KEY = 'tokendesk.bridgeToken';

/**
 * The per-run secret: taken from ?token= on first load, kept in sessionStorage (per tab, gone with
 * it), and removed from the address bar so it is not bookmarked or shared by accident.
 */
export function takeBridgeToken(loc: Location = window.location, storage: Storage = window.sessionStorage, history: History = window.history): string | null {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

export function createWebBridgeClient(opts: WebBridgeClientOptions): ExposedApi {
  const base = opts.baseUrl ?? '';
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const api: Record<string, unknown> = {};
  for (const method of apiMethods) {
    api[method] = async (input: unknown) => {
      let envelope: ApiResult<unknown>;
      try {
        const res = await doFetch(`${base}${BRIDGE_CALL_PREFIX}${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [BRIDGE_TOKEN_HEADER]: opts.token },
          body: JSON.stringify(input ?? {}),
          credentials: 'omit',
          cache: 'no-store',
        });
        envelope = (await res.json()) as ApiResult<unknown>;
      } catch {
        throw new BridgeError('bridge_unreachable', 'TokenDesk is not reachable. Is `npm run web` still running?');
      }
      if (envelope && envelope.ok === true) return envelope.value;
      if (envelope && envelope.ok === false) throw new BridgeError(envelope.error.code, envelope.error.message);
      throw new BridgeError('internal', 'TokenDesk returned an unreadable answer.');
    };
  }

  const listeners = new Set<(e: AppEvent) => void>();
  let source: EventSourceLike | null = null;
  api.onEvent = (listener: (e: AppEvent) => void) => {
    listeners.add(listener);
    if (!source) {
      const url = `${base}${BRIDGE_EVENTS_PATH}?token=${encodeURIComponent(opts.token)}`;
      const es: EventSourceLike = opts.createEventSource ? opts.createEventSource(url) : (new EventSource(url) as unknown as EventSourceLike);
      source = es;
      es.onmessage = (ev) => {
        let e: AppEvent;
        try {
          e = JSON.parse(ev.data) as AppEvent;
        } catch {
          return;
        }
        for (const l of [...listeners]) l(e);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  };
  return Object.freeze(api) as ExposedApi;
}
