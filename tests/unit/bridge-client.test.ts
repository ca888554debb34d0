import { describe, expect, it, vi } from 'vitest';
import { apiMethods } from '../../src-main/contract/api.js';
import { BridgeError, createWebBridgeClient, takeBridgeToken } from '../../src-main/web-bridge/client.js';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('createWebBridgeClient', () => {
  it('has the same methods as the preload, and posts JSON with the token header', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => jsonResponse({ ok: true, value: { removed: 'e1' } }));
    const api = createWebBridgeClient({ token: 'T0K', baseUrl: 'http://127.0.0.1:5179', fetch: fetch as never });
    expect(Object.keys(api).sort()).toEqual([...apiMethods, 'onEvent'].sort());
    await expect(api.removeEnvironment({ id: 'e1' })).resolves.toEqual({ removed: 'e1' });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('http://127.0.0.1:5179/api/call/removeEnvironment');
    expect(init).toMatchObject({ method: 'POST', body: '{"id":"e1"}', credentials: 'omit' });
    expect(init!.headers).toEqual({ 'Content-Type': 'application/json', 'x-tokendesk-token': 'T0K' });
  });

  it('throws errors with a code, also for 400/401 answers', async () => {
    const fetch = vi.fn(async () => jsonResponse({ ok: false, error: { code: 'invalid_input', message: 'Invalid request to signIn: email' } }, 400));
    const api = createWebBridgeClient({ token: 't', fetch: fetch as never });
    const err = await api.signIn({ envId: 'e', email: 'x', password: 'p' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ name: 'TokenDeskError', code: 'invalid_input', message: 'Invalid request to signIn: email' });
  });

  it('says so when the bridge is gone', async () => {
    const api = createWebBridgeClient({ token: 't', fetch: (async () => { throw new TypeError('Failed to fetch'); }) as never });
    await expect(api.getState({})).rejects.toMatchObject({ code: 'bridge_unreachable' });
  });

  it('shares one EventSource between listeners and closes it with the last', () => {
    const sources: Array<{ url: string; onmessage: ((ev: { data: string }) => void) | null; close: ReturnType<typeof vi.fn> }> = [];
    const api = createWebBridgeClient({
      token: 'a b',
      baseUrl: 'http://127.0.0.1:1',
      createEventSource: (url) => {
        const s = { url, onmessage: null, close: vi.fn() };
        sources.push(s);
        return s;
      },
    });
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = api.onEvent((e) => a.push(e));
    const offB = api.onEvent((e) => b.push(e));
    expect(sources).toHaveLength(1);
    expect(sources[0]!.url).toBe('http://127.0.0.1:1/api/events?token=a%20b');
    sources[0]!.onmessage!({ data: '{"type":"clipboard-cleared"}' });
    sources[0]!.onmessage!({ data: 'not json' });
    expect(a).toEqual([{ type: 'clipboard-cleared' }]);
    expect(b).toEqual([{ type: 'clipboard-cleared' }]);
    offA();
    expect(sources[0]!.close).not.toHaveBeenCalled();
    offB();
    expect(sources[0]!.close).toHaveBeenCalled();
  });
});

describe('takeBridgeToken', () => {
  function env(href: string) {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as Storage;
    const history = { state: null, replaceState: vi.fn() } as unknown as History;
    return { loc: { href } as Location, storage, history };
  }
  it('takes the token from the URL, keeps it for the tab and cleans the address bar', () => {
    const e = env('http://127.0.0.1:5179/?token=S3CRET&x=1#/env');
    expect(takeBridgeToken(e.loc, e.storage, e.history)).toBe('S3CRET');
    expect(e.history.replaceState).toHaveBeenCalledWith(null, '', '/?x=1#/env');
    expect(takeBridgeToken({ href: 'http://127.0.0.1:5179/' } as Location, e.storage, e.history)).toBe('S3CRET');
  });
  it('returns null when there is none', () => {
    const e = env('http://127.0.0.1:5179/');
    expect(takeBridgeToken(e.loc, e.storage, e.history)).toBeNull();
  });
});
