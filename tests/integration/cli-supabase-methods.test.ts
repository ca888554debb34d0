import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEMO_SUPABASE_EXTRAS, totpNow, type DemoMessage } from '../../src-main/core/demo-server/index.js';
import { CLI, cliFixture, CliHome, DEMO_SUPABASE, keychainUnreachable } from '../helpers/cli.js';

const unreachable = await keychainUnreachable();
const { demo, demoHome } = cliFixture({ demo: true });
const { mfa, phone, weak } = DEMO_SUPABASE_EXTRAS;

/** The demo provider's consent page, answered "Continue as <email>": the browser then goes through GoTrue to the CLI's listener. */
async function consent(providerPage: string, email: string): Promise<string> {
  const page = new URL(providerPage);
  const provider = /\/demo\/oauth\/([^/]+)\/authorize/.exec(page.pathname)![1]!;
  const form = new URLSearchParams({ state: page.searchParams.get('state')!, redirect_uri: page.searchParams.get('redirect_uri')!, decision: `allow:${email}` });
  const res = await fetch(`${page.origin}/demo/oauth/${provider}/decide`, { method: 'POST', body: form });
  return res.text();
}

/** Runs the binary, handing each stderr line to `onLine` while it runs (a URL printed, a prompt). */
function runStreaming(h: CliHome, args: string[], onLine: (line: string, stdin: NodeJS.WritableStream) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: h.env(), cwd: h.work });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      for (const line of c.toString().split('\n')) if (line) onLine(line, child.stdin);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(unreachable !== undefined)('tokendesk login --method on a Supabase environment', { timeout: 60_000 }, () => {
  it('in a pipe each answer is the next line: the password, then the TOTP code; the session is aal2 and status says so', async () => {
    const h = await demoHome();
    const code = totpNow(mfa.totpSecret, Date.now());
    const r = await h.run(['login', '--env', DEMO_SUPABASE, '--email', mfa.email], { input: `${mfa.password}\n${code}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Signed in to "Demo Supabase" as mfa@connectgain\.test \(Mia Factor\); token valid until .*; assurance aal2 \(second factor verified\)$/m);
    const status = (JSON.parse((await h.run(['status', '--json'])).stdout) as { environments: Array<{ identities: Array<{ email: string; assurance: string | null }> }> }).environments;
    expect(status.flatMap((e) => e.identities).find((i) => i.email === mfa.email)?.assurance).toBe('aal2');
    expect((await h.run(['status'])).stdout).toContain('assurance:   aal2 (second factor verified)');
  });

  it('--method otp: the email from --email; the emailed code is the next line of standard input', async () => {
    const h = await demoHome();
    const email = 'agent@connectgain.test';
    const r = await runStreaming(h, ['login', '--env', DEMO_SUPABASE, '--method', 'otp', '--email', email], (line, stdin) => {
      // The CLI says where the code went; the "user" reads the mailbox and types it.
      if (!line.startsWith(`A code was sent to ${email}`)) return;
      void (async () => {
        const [mail] = ((await (await fetch(`${demo().url}/demo/mailbox.json?to=${email}`)).json()) as { messages: DemoMessage[] }).messages;
        stdin.end(`${mail!.otp}\n`);
      })();
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Signed in to "Demo Supabase" as agent@connectgain\.test/);
  });

  it('--method phone reads the phone number and the password from standard input; the identity is the phone number', async () => {
    const h = await demoHome();
    const r = await h.run(['login', '--env', DEMO_SUPABASE, '--method', 'phone'], { input: `${phone.phone}\n${phone.password}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Signed in to "Demo Supabase" as Phil Phone/);
  });

  it('a weak_password note goes to stderr as a warning, the sign-in succeeds', async () => {
    const h = await demoHome();
    const r = await h.run(['login', '--env', DEMO_SUPABASE, '--email', weak.email], { input: `${weak.password}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^tokendesk: warning: The password no longer meets the project's password rules.*change it soon$/m);
  });

  it('--method oauth:github --no-browser prints the URL and the redirect URL to allow; finishing in any browser signs in', async () => {
    const h = await demoHome();
    let tab: Promise<string> | undefined;
    const r = await runStreaming(h, ['login', '--env', DEMO_SUPABASE, '--method', 'oauth:github', '--no-browser'], (line, stdin) => {
      const m = /Open this URL in your browser: (\S+)/.exec(line);
      if (m && !tab) {
        stdin.end();
        tab = consent(m[1]!, 'owner@connectgain.test');
      }
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Redirect URL to allow in the Supabase project: http://127.0.0.1:*/callback');
    expect(r.stdout).toMatch(/^Signed in to "Demo Supabase" as owner@connectgain\.test/);
    expect(await tab!).toContain('You may close this tab');
    expect(h.openedUrls()).toEqual([]);
  });

  it('an unknown method names the environment\'s methods, social sign-ins included', async () => {
    const h = await demoHome();
    const r = await h.run(['login', '--env', DEMO_SUPABASE, '--method', 'oauth:gitlab']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('its methods: password, otp, magic-link, phone, sms, oauth:github, oauth:google, browser-session');
  });
});
