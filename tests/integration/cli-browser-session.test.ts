import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFixture, DEMO_SUPABASE, keychainUnreachable, stderrLines } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const { demo, demoHome } = cliFixture({ demo: true });

/** The session the web app keeps in Local Storage: the /token answer of a browser sign-in. */
async function browserSession(): Promise<{ access_token: string; refresh_token: string }> {
  const res = await fetch(`${demo().url}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: demo().anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@connectgain.test', password: 'demo-password' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; refresh_token: string };
}

describe.skipIf(unreachable !== undefined)('tokendesk login --with-token on a Supabase environment (browser session)', { timeout: 60_000 }, () => {
  it('adopts a session JSON piped in (pretty-printed over many lines), then hands out its token', async () => {
    const h = await demoHome();
    const session = await browserSession();
    writeFileSync(join(h.work, 'session.json'), JSON.stringify(session, null, 2));
    const r = await h.sh(`cat session.json | tokendesk login --env "${DEMO_SUPABASE}" --with-token`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Signed in to "Demo Supabase" as owner@connectgain\.test \(Olive Owner\); token valid until /);
    const token = await h.run(['token', '--env', DEMO_SUPABASE]);
    expect(token.stdout.trim()).toBe(session.access_token);
    expect(h.folderText()).not.toContain(session.refresh_token);
  });

  it('an access token alone is refused with one line saying what is missing, never the token', async () => {
    const h = await demoHome();
    const session = await browserSession();
    const r = await h.sh(`printf '%s\\n' "$TOKEN" | tokendesk login --env "${DEMO_SUPABASE}" --with-token`, { env: { TOKEN: session.access_token } });
    expect(r.code).not.toBe(0);
    expect(stderrLines(r)).toEqual([expect.stringContaining('Only an access token was pasted: the refresh token is needed too')]);
    expect(r.stderr + r.stdout).not.toContain(session.access_token.split('.')[2]);
    const status = await h.run(['status', '--json']);
    expect(status.stdout).not.toContain('owner@connectgain.test');
  });
});
