import { AuthApiError, AuthClient, type Session } from '@supabase/auth-js';
import { expect } from 'vitest';
import { startDemoServer, type DemoMessage, type DemoServer, type DemoServerOptions } from '../../src-main/core/demo-server/index.js';

/** The official client and the demo GoTrue, for the fidelity tests. */
export type Json = Record<string, unknown>;

const servers: DemoServer[] = [];

/** Use as afterEach(closeServers). */
export async function closeServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

export async function startGoTrue(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const s = await startDemoServer({ port: 0, ...opts });
  servers.push(s);
  return s;
}

export function authClient(s: DemoServer, flowType: 'implicit' | 'pkce' = 'implicit'): InstanceType<typeof AuthClient> {
  return new AuthClient({
    url: `${s.url}/auth/v1`,
    headers: { apikey: s.anonKey, Authorization: `Bearer ${s.anonKey}` },
    persistSession: false,
    autoRefreshToken: false,
    detectSessionInUrl: false,
    flowType,
  });
}

export function claims(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Json;
}

export async function mailbox(s: DemoServer, to: string): Promise<DemoMessage[]> {
  const r = await fetch(`${s.url}/demo/mailbox.json?to=${encodeURIComponent(to)}`);
  return ((await r.json()) as { messages: DemoMessage[] }).messages;
}

/** An AuthApiError with GoTrue's code and status, as auth-js builds it from the 2024-01-01 shape. */
export function expectApiError(error: unknown, status: number, code: string, message?: string | RegExp): void {
  expect(error).toBeInstanceOf(AuthApiError);
  const e = error as AuthApiError;
  expect({ status: e.status, code: e.code }).toEqual({ status, code });
  if (typeof message === 'string') expect(e.message).toBe(message);
  else if (message) expect(e.message).toMatch(message);
}

export function expectSession(session: Session | null, amr: string, aal = 'aal1'): Session {
  expect(session).not.toBeNull();
  const s = session!;
  expect(s.token_type).toBe('bearer');
  expect(s.refresh_token).toMatch(/^[a-z0-9]{12}$/);
  expect(s.expires_in).toBe(3600);
  const c = claims(s.access_token);
  expect(c.aal).toBe(aal);
  expect((c.amr as Array<{ method: string }>)[0]!.method).toBe(amr);
  expect(c.sub).toBe(s.user.id);
  return s;
}

