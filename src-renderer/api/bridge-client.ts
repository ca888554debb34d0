import type { ApiResult } from '../../src-main/contract/api.js';
import { API_METHODS, type ApiMethod } from '../../src-main/contract/methods.js';
import { BRIDGE_CALL_PREFIX, BRIDGE_EVENTS_PATH, BRIDGE_TOKEN_HEADER } from '../../src-main/contract/bridge.js';
import type { AppEvent } from '../../src-main/contract/types.js';
import { ApiError, type DeskApi } from './types.js';

const TOKEN_KEY = 'tokendesk.bridgeToken';

/** The contract's methods, from the one list in contract/methods.ts (pure data: no zod in the page). */
export const bridgeMethods: readonly ApiMethod[] = API_METHODS;

/**
 * Reads the per-run secret once from ?token=…, keeps it in sessionStorage (so a reload still works)
 * and removes it from the address bar so it is not left in history or screenshots.
 */
export function takeBridgeToken(win: Window = window): string | undefined {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      /* storage disabled: the token lives in memory for this page only */
    }
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return win.sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export interface BridgeClientOptions {
  token?: string;
  /** Defaults to the page's origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
  /** Opens a new tab (window.open). */
  openWindow?: (url: string, target: string, features: string) => unknown;
}

/**
 * openExternal in a browser page: the page opens the URL itself, in a new tab without `opener` (the
 * sign-in page cannot script or navigate TokenDesk's tab) or a referrer (the bridge's address stays
 * here). http(s) only. The bridge never opens anything: the core has no browser to open.
 * Whether a popup blocker stopped it cannot be known: with noopener, window.open returns null always
 * (HTML standard, "window open steps"), so `opened` says the tab was asked for.
 */
export function openInNewTab(url: string, openWindow: NonNullable<BridgeClientOptions['openWindow']>): { opened: boolean } {
  if (!URL.canParse(url)) return { opened: false };
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { opened: false };
  try {
    openWindow(u.href, '_blank', 'noopener,noreferrer');
    return { opened: true };
  } catch {
    return { opened: false };
  }
}

function unwrap(method: string, status: number, body: unknown): unknown {
  const env = body as ApiResult<unknown> | null;
  if (env && typeof env === 'object' && 'ok' in env) {
    if (env.ok) return env.value;
    throw new ApiError(env.error?.code ?? 'unknown', env.error?.message ?? `${method} failed`);
  }
  if (status === 401 || status === 403) {
    throw new ApiError('unauthorized', 'The web bridge refused this page: open the address printed by `npm run web` (it carries the secret)');
  }
  throw new ApiError('bad_response', `The web bridge gave an unexpected answer to ${method} (HTTP ${status})`);
}

/** The TokenDeskApi over the web bridge protocol (src-main/contract/bridge.ts). */
export function createBridgeClient(opts: BridgeClientOptions = {}): DeskApi {
  const token = opts.token ?? takeBridgeToken() ?? '';
  const base = opts.baseUrl ?? '';
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const ES = opts.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);

  async function call(method: ApiMethod, input: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(`${base}${BRIDGE_CALL_PREFIX}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [BRIDGE_TOKEN_HEADER]: token },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      throw new ApiError('bridge_unreachable', 'The TokenDesk web bridge is not answering: is `npm run web` still running?');
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      /* not JSON: reported below with the status */
    }
    return unwrap(method, res.status, body);
  }

  const listeners = new Set<(e: AppEvent) => void>();
  let source: EventSource | undefined;
  let hadError = false;

  function open(): void {
    if (!ES || source) return;
    source = new ES(`${base}${BRIDGE_EVENTS_PATH}?token=${encodeURIComponent(token)}`);
    source.onmessage = (m: MessageEvent) => {
      let ev: AppEvent;
      try {
        ev = JSON.parse(String(m.data)) as AppEvent;
      } catch {
        return;
      }
      for (const l of [...listeners]) l(ev);
    };
    source.onerror = () => {
      hadError = true;
    };
    source.onopen = () => {
      // After a reconnect we may have missed events: ask everyone to re-read the state.
      if (hadError) for (const l of [...listeners]) l({ type: 'state-changed', reason: 'config' });
      hadError = false;
    };
  }

  const api: Record<string, unknown> = {
    onEvent(cb: (e: AppEvent) => void): () => void {
      listeners.add(cb);
      open();
      return () => {
        listeners.delete(cb);
        if (listeners.size === 0 && source) {
          source.close();
          source = undefined;
        }
      };
    },
  };
  for (const m of bridgeMethods) api[m] = (input: unknown) => call(m, input);
  const openWindow = opts.openWindow ?? ((url: string, target: string, features: string) => window.open(url, target, features));
  api.openExternal = (input: { url: string }) => Promise.resolve(openInNewTab(input.url, openWindow));
  return api as DeskApi;
}
