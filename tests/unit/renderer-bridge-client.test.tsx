// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBridgeClient, takeBridgeToken } from '../../src-renderer/api/bridge-client.js';

afterEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});

function fakeFetch(body: unknown, status = 200) {
  return vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

describe('web bridge client', () => {
  it('takes the secret from ?token= once, keeps it for reloads and removes it from the address bar', () => {
    history.replaceState(null, '', '/?token=s3cret&x=1#top');
    expect(takeBridgeToken()).toBe('s3cret');
    expect(location.search).toBe('?x=1');
    expect(location.hash).toBe('#top');
    expect(takeBridgeToken()).toBe('s3cret');
  });

  it('POSTs to /api/call/<method> with the secret header and unwraps the envelope', async () => {
    const f = fakeFetch({ ok: true, value: { removed: 'e1' } });
    const api = createBridgeClient({ token: 'tok', fetch: f as unknown as typeof fetch });
    await expect(api.removeEnvironment({ id: 'e1' })).resolves.toEqual({ removed: 'e1' });
    const [url, init] = f.mock.calls[0]!;
    expect(url).toBe('/api/call/removeEnvironment');
    expect(init?.method).toBe('POST');
    expect((init?.headers as Record<string, string>)['x-tokendesk-token']).toBe('tok');
    expect(JSON.parse(String(init?.body))).toEqual({ id: 'e1' });
  });

  it('turns an error envelope into an Error with .code', async () => {
    const api = createBridgeClient({ token: 'tok', fetch: fakeFetch({ ok: false, error: { code: 'invalid_credentials', message: 'Invalid login credentials' } }) as unknown as typeof fetch });
    await expect(api.signIn({ envId: 'e', email: 'a@b.c', password: 'x' })).rejects.toMatchObject({ code: 'invalid_credentials', message: 'Invalid login credentials' });
  });

  it('explains a refused secret and an unreachable bridge', async () => {
    const refused = createBridgeClient({ token: 'bad', fetch: fakeFetch('nope', 401) as unknown as typeof fetch });
    await expect(refused.getState({})).rejects.toMatchObject({ code: 'unauthorized' });
    const down = createBridgeClient({ token: 't', fetch: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch });
    await expect(down.getState({})).rejects.toMatchObject({ code: 'bridge_unreachable' });
  });

  it('openExternal opens a new tab itself, without opener or referrer, and asks the bridge nothing', async () => {
    const f = fakeFetch({ ok: false, error: { code: 'unsupported', message: 'This TokenDesk does not open links itself' } });
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    try {
      const api = createBridgeClient({ token: 'tok', fetch: f as unknown as typeof fetch });
      const signIn = 'https://auth.example.com/authorize?client_id=td&state=a&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcb';
      await expect(api.openExternal({ url: signIn })).resolves.toEqual({ opened: true });
      expect(open).toHaveBeenCalledWith(signIn, '_blank', 'noopener,noreferrer');
      // Only http(s): a script or a local file is never opened from the page.
      for (const url of ['javascript:alert(document.cookie)', 'file:///etc/passwd', 'data:text/html,hi', 'not a url']) {
        await expect(api.openExternal({ url })).resolves.toEqual({ opened: false });
      }
      expect(open).toHaveBeenCalledTimes(1);
      expect(f).not.toHaveBeenCalled();
    } finally {
      open.mockRestore();
    }
  });

  it('listens to /api/events and resyncs after a reconnect', () => {
    const made: FakeES[] = [];
    class FakeES {
      onmessage: ((m: MessageEvent) => void) | null = null;
      onerror: (() => void) | null = null;
      onopen: (() => void) | null = null;
      closed = false;
      constructor(readonly url: string) {
        made.push(this);
      }
      close() {
        this.closed = true;
      }
    }
    const api = createBridgeClient({ token: 'a b', fetch: fakeFetch({}) as unknown as typeof fetch, EventSource: FakeES as unknown as typeof EventSource });
    const got: unknown[] = [];
    const off = api.onEvent((e) => got.push(e));
    expect(made[0]!.url).toBe('/api/events?token=a%20b');
    made[0]!.onmessage?.({ data: JSON.stringify({ type: 'clipboard-cleared' }) } as MessageEvent);
    made[0]!.onerror?.();
    made[0]!.onopen?.();
    expect(got).toEqual([{ type: 'clipboard-cleared' }, { type: 'state-changed', reason: 'config' }]);
    off();
    expect(made[0]!.closed).toBe(true);
  });
});
