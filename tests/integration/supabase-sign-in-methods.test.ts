import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, DEMO_SUPABASE_EXTRAS, startDemoServer, totpNow, type DemoMessage, type DemoServer } from '../../src-main/core/demo-server/index.js';
import { createHttpClient } from '../../src-main/core/http/client.js';
import { supabaseProvider } from '../../src-main/core/providers/supabase/index.js';
import type { FlowNotice } from '../../src-main/core/flows/types.js';
import type { ProviderContext } from '../../src-main/core/providers/types.js';
import { scriptedIO } from '../helpers/scripted-flow.js';
import { rejection } from '../helpers/rejection.js';

/**
 * Every Supabase sign-in method against the demo GoTrue on 127.0.0.1 (issue 22): codes read from its
 * mailbox as a person would, the browser played over real HTTP (consent page, GoTrue's callback, the
 * loopback listener), the TOTP code computed from the demo factor's secret.
 */

const http = createHttpClient({ timeoutMs: 5000 });
const owner = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('owner'))!;
const { mfa, phone, weak } = DEMO_SUPABASE_EXTRAS;
let demo: DemoServer;
let ctx: ProviderContext;

beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
  ctx = { baseUrl: demo.url, anonKey: demo.anonKey, http, now: Date.now, settings: { oauthProviders: 'github, google' } };
});
afterAll(async () => demo.close());

async function mailbox(to: string): Promise<DemoMessage[]> {
  const res = await fetch(`${demo.url}${DEMO_SUPABASE_EXTRAS.mailboxJsonPath}?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as { messages: DemoMessage[] }).messages;
}

/** The browser: follows every redirect, as one does, and resolves with the last page's text. */
const browse = async (url: string, init?: RequestInit): Promise<{ status: number; text: string; url: string }> => {
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text(), url: res.url };
};

/** Plays the demo provider's consent page: "Continue as <email>" (or Cancel). */
async function consent(providerPage: string, decision: string): Promise<{ status: number; text: string; url: string }> {
  const page = new URL(providerPage);
  const provider = /\/demo\/oauth\/([^/]+)\/authorize/.exec(page.pathname)![1]!;
  const form = new URLSearchParams({ state: page.searchParams.get('state')!, redirect_uri: page.searchParams.get('redirect_uri')!, decision });
  return browse(`${page.origin}/demo/oauth/${provider}/decide`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const aal = (s: { profile: { claims?: Record<string, unknown> } }) => s.profile.claims?.aal;

describe('Supabase sign-in methods against the demo GoTrue', () => {
  it('email code: /otp sends it, the typed code is verified (type email), the session is the user\'s', async () => {
    const io = scriptedIO({
      answer: async (q, n) => {
        if (n === 0) return { email: owner.email };
        const [latest] = await mailbox(owner.email);
        return { code: latest!.otp };
      },
    });
    const out = await supabaseProvider.signInWith('otp', ctx, io);
    expect(out.session.profile.email).toBe(owner.email);
    expect(out.typed).toBe(owner.email);
    expect(io.asked.map((q) => q.fields.map((f) => f.name))).toEqual([['email'], ['code']]);
    expect(io.asked[1]!.message).toContain(owner.email);
    expect(aal(out.session)).toBe('aal1');
  });

  it('email code: a wrong code is asked again with the reason, then the right one signs in', async () => {
    // The demo keeps GoTrue's 60 s between two emails to one address: another address than the test above.
    const agent = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('agent'))!;
    const io = scriptedIO({
      answer: async (_q, n) => {
        if (n === 0) return { email: agent.email };
        if (n === 1) return { code: '000000' };
        return { code: (await mailbox(agent.email))[0]!.otp };
      },
    });
    const out = await supabaseProvider.signInWith('otp', ctx, io);
    expect(out.session.profile.email).toBe(agent.email);
    expect(io.asked[2]!.error).toBe('The code has expired or is not valid: check it, or start again for a new one');
  });

  it('a second code for the same address within the minute keeps the server\'s "after N seconds"', async () => {
    const io = scriptedIO({ answer: () => ({ email: owner.email }) });
    const e = await rejection(supabaseProvider.signInWith('otp', ctx, io));
    expect(e).toMatchObject({ code: 'rate_limited', serverCode: 'over_email_send_rate_limit', status: 429 });
    expect(e.message).toMatch(/^Too many emails were asked for: the server takes the next request after \d+ seconds; wait, then ask again$/);
  });

  it('an unknown address is not signed up by a code: otp_disabled, said plainly', async () => {
    const io = scriptedIO({ answer: () => ({ email: 'nobody@connectgain.test' }) });
    const e = await rejection(supabaseProvider.signInWith('otp', ctx, io));
    expect(e).toMatchObject({ serverCode: 'otp_disabled' });
    expect(e.message).toContain('sign up first');
  });

  it('email link: sent with a PKCE challenge, opened in the browser, it lands on the loopback listener and signs in', async () => {
    const agent = DEMO_CREDENTIALS.supabase.find((c) => c.email.startsWith('agent'))!;
    let tab: Promise<{ status: number; text: string }> | undefined;
    // A fresh server: the other tests' mails (and the 60 s limit) do not meet this one.
    const fresh = await startDemoServer({ port: 0 });
    try {
      const c = { ...ctx, baseUrl: fresh.url, anonKey: fresh.anonKey };
      const io2 = scriptedIO({
        answer: () => ({ email: agent.email }),
        onShow: (n) => {
          if (n.kind !== 'progress') return;
          tab = (async () => {
            const res = await fetch(`${fresh.url}/demo/mailbox.json?to=${encodeURIComponent(agent.email)}`);
            const [mail] = ((await res.json()) as { messages: DemoMessage[] }).messages;
            return browse(mail!.link!);
          })();
        },
      });
      const out = await supabaseProvider.signInWith('magic-link', c, io2);
      expect(out.session.profile.email).toBe(agent.email);
      const shown = io2.shown[0] as Extract<FlowNotice, { kind: 'progress' }>;
      expect(shown.message).toMatch(/^A sign-in link was sent to agent@connectgain\.test: open it in a browser on this computer\. Waiting for the browser to come back to http:\/\/127\.0\.0\.1:\d+\/callback\./);
      expect(shown.copy).toEqual({ label: 'Redirect URL to allow in the Supabase project', value: 'http://127.0.0.1:*/callback' });
      const page = await tab!;
      expect(page.status).toBe(200);
      expect(page.text).toContain('You may close this tab and return to TokenDesk.');
    } finally {
      await fresh.close();
    }
  });

  it('phone + password: the password grant with phone; the identity is typed as the phone number', async () => {
    const io = scriptedIO({ answer: () => ({ phone: phone.phone, password: phone.password }) });
    const out = await supabaseProvider.signInWith('phone', ctx, io);
    expect(out.typed).toBe(phone.phone);
    expect(out.session.profile.email).toBe('');
    expect(out.session.profile.claims?.phone).toBe(phone.phone.replace('+', ''));
  });

  it('SMS code: /otp with channel sms, the texted code verified with type sms', async () => {
    const io = scriptedIO({
      answer: async (_q, n) => (n === 0 ? { phone: phone.phone } : { code: (await mailbox(phone.phone))[0]!.otp }),
    });
    const out = await supabaseProvider.signInWith('sms', ctx, io);
    expect(out.session.profile.claims?.phone).toBe(phone.phone.replace('+', ''));
    expect(io.asked[1]!.message).toBe(`A code was texted to ${phone.phone}: enter it here.`);
  });

  it('MFA: the password gives aal1, the TOTP code asked next gives aal2, and a refresh keeps aal2', async () => {
    const io = scriptedIO({
      answer: (_q, n) => (n === 0 ? { email: mfa.email, password: mfa.password } : n === 1 ? { code: '123456' } : { code: totpNow(mfa.totpSecret, Date.now()) }),
    });
    const out = await supabaseProvider.signInWith('password', ctx, io);
    expect(aal(out.session)).toBe('aal2');
    expect(io.asked[1]).toMatchObject({ title: 'Two-factor code', message: expect.stringContaining('(Demo authenticator)') });
    expect(io.asked[2]!.error).toBe("The authenticator code was not accepted: enter the current 6-digit code (and check the device's clock)");
    const renewed = await supabaseProvider.refresh(ctx, out.session);
    expect(aal(renewed)).toBe('aal2');
  });

  it('a weak_password note on a successful sign-in is kept as the outcome\'s warning', async () => {
    const io = scriptedIO({ answer: () => ({ email: weak.email, password: weak.password }) });
    const out = await supabaseProvider.signInWith('password', ctx, io);
    expect(out.session.profile.email).toBe(weak.email);
    expect(out.warning).toMatch(/^The password no longer meets the project's password rules.*\(reasons: length\); change it soon$/);
  });

  it("social sign-in: /authorize's redirect is opened, the consent page returns through GoTrue to the loopback listener, the code is exchanged with TokenDesk's verifier", async () => {
    let tab: Promise<{ status: number; text: string }> | undefined;
    const io = scriptedIO({
      answer: () => ({}),
      onShow: (n) => {
        if (n.kind === 'open-url') tab = consent(n.url, `allow:${owner.email}`);
      },
    });
    const out = await supabaseProvider.signInWith('oauth:github', ctx, io);
    expect(out.session.profile.email).toBe(owner.email);
    const shown = io.shown[0] as Extract<FlowNotice, { kind: 'open-url' }>;
    expect(shown.title).toBe('Sign in with GitHub');
    // The provider's own page, not GoTrue's /authorize: TokenDesk asked where it sends the browser.
    expect(new URL(shown.url).pathname).toBe('/demo/oauth/github/authorize');
    expect(shown.copy?.value).toBe('http://127.0.0.1:*/callback');
    expect((await tab!).text).toContain('You may close this tab');
  });

  it('social sign-in denied at the provider says so and stores nothing', async () => {
    const io = scriptedIO({ answer: () => ({}), onShow: (n) => void (n.kind === 'open-url' && consent(n.url, 'deny')) });
    const e = await rejection(supabaseProvider.signInWith('oauth:google', ctx, io));
    expect(e.message).toMatch(/denied/i);
  });

  it('a provider the project has not enabled is refused before any browser opens', async () => {
    const io = scriptedIO({ answer: () => ({}) });
    const e = await rejection(supabaseProvider.signInWith('oauth:gitlab', ctx, io));
    expect(e).toMatchObject({ code: 'unsupported' });
    expect(e.message).toBe("The project does not offer sign-in with GitLab (it is not enabled under Authentication → Sign In / Providers): enable it there, or remove it from the environment's Social sign-in setting");
    expect(io.shown).toEqual([]);
  });
});
