import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture, DEMO_SESSION } from '../helpers/cli.js';

const { demoHome } = cliFixture({ demo: true });

describe('identities keyed by a stable id (config version 2)', () => {
  it('--identity ID chooses an identity by the id status --json lists; --email still chooses by email', async () => {
    const h = await demoHome();
    for (const [email, pw] of [['restricted@test.com', 'stringstring'], ['test@test.com', 'stringstring']] as const) {
      const r = await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', email], { input: `${pw}\n` });
      expect(r.code, r.stderr).toBe(0);
    }
    const status = JSON.parse((await h.runInProcess(['status', '--env', DEMO_SESSION, '--json'])).stdout) as { environments: Array<{ identities: Array<{ id: string; email: string; label: string }> }> };
    const ids = Object.fromEntries(status.environments[0]!.identities.map((i) => [i.email, i.id]));
    expect(Object.keys(ids).sort()).toEqual(['restricted@test.com', 'test@test.com']);
    const byId = await h.runInProcess(['switch', '--env', DEMO_SESSION, '--identity', ids['restricted@test.com']!]);
    expect(byId.stdout, byId.stderr).toContain('Active identity in "Demo session API": restricted@test.com');
    const header = await h.runInProcess(['token', '--env', DEMO_SESSION, '--identity', ids['test@test.com']!]);
    const other = await h.runInProcess(['token', '--env', DEMO_SESSION, '--email', 'test@test.com']);
    expect(header.code, header.stderr).toBe(0);
    expect(header.stdout).toBe(other.stdout);
    const both = await h.runInProcess(['token', '--env', DEMO_SESSION, '--identity', 'x', '--email', 'test@test.com']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --email or --identity, not both');
    const unknown = await h.runInProcess(['token', '--env', DEMO_SESSION, '--identity', 'no-such-id']);
    expect(unknown.stderr).toContain('No identity no-such-id in "Demo session API"');
  });

  it('a config written by version 1 is read, its identities keep their sessions, and the next write stores version 2', async () => {
    const h = await demoHome();
    expect((await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com'], { input: 'stringstring\n' })).code).toBe(0);
    const file = join(h.dir, 'config.json');
    const cfg = JSON.parse(readFileSync(file, 'utf8')) as { version: number; identities: Array<Record<string, unknown>> };
    // As version 1 wrote it: no subject.
    writeFileSync(file, JSON.stringify({ ...cfg, version: 1, identities: cfg.identities.map(({ subject: _s, ...i }) => i) }, null, 2));
    const token = await h.runInProcess(['token', '--env', DEMO_SESSION]);
    expect(token.code, token.stderr).toBe(0);
    // A sign-in again is the same identity (matched by its user id); the next write (a sign-out) stores version 2.
    expect((await h.runInProcess(['login', '--env', DEMO_SESSION, '--email', 'restricted@test.com'], { input: 'stringstring\n' })).code).toBe(0);
    expect((await h.runInProcess(['logout', '--env', DEMO_SESSION])).code).toBe(0);
    const after = JSON.parse(readFileSync(file, 'utf8')) as { version: number; identities: Array<{ subject?: string }> };
    expect(after.version).toBe(2);
    expect(after.identities).toHaveLength(1);
    expect(after.identities[0]!.subject).toBeTruthy();
  });

  it('env show names the sign-in methods login --method takes, and each identity with its id', async () => {
    const h = await demoHome();
    const show = JSON.parse((await h.runInProcess(['env', 'show', 'Demo Supabase', '--json'])).stdout) as { signInMethods: Array<{ id: string }> };
    expect(show.signInMethods.map((m) => m.id)).toEqual(['password', 'otp', 'magic-link', 'phone', 'sms', 'oauth:github', 'oauth:google', 'browser-session']);
    const text = (await h.runInProcess(['env', 'show', 'Demo Supabase'])).stdout;
    expect(text).toMatch(/sign-in: +password \(email and password, default\), otp \(email code\), .*oauth:github \(continue with github\), .*browser-session \(/);
    const bad = await h.runInProcess(['login', '--env', 'Demo Supabase', '--method', 'carrier-pigeon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('has no sign-in method "carrier-pigeon"; its methods: password, otp, magic-link, phone, sms, oauth:github, oauth:google, browser-session');
  });
});
