/**
 * A small "browser" for the demo issuer's own pages (src-main/core/demo-server/oidc-pages.ts): it
 * follows redirects with a cookie jar, reads each page's forms as a person would see them, and submits
 * what a person would: the email and password on the login page, Allow or Deny on the consent page,
 * the code's confirmation (or denial) on the device pages. It stops at a page that is none of those,
 * at a page that shows an error (a refused password, a denied code), or at a redirect that leaves the issuer (the loopback
 * callback, which it then opens as the browser would).
 */
import { browse, Jar } from './form-browser.js';

export interface PageAnswer {
  status: number;
  text: string;
  url: string;
  /** The kinds of page passed through, in order (login, consent, device-confirm…). */
  seen: string[];
}

export interface Person {
  login: string;
  password: string;
  consent?: 'allow' | 'deny';
  device?: 'approve' | 'deny';
  /** Typed on the "enter the code" page (a verification URL without the code). */
  userCode?: string;
}

interface Form {
  id?: string;
  action: string;
  fields: Record<string, string>;
  inputs: string[];
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag)?.[1]?.replace(/&amp;/g, '&').replace(/&quot;/g, '"');

function forms(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map((m) => {
    const fields: Record<string, string> = {};
    const inputs: string[] = [];
    for (const i of m[2]!.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(i[0], 'name');
      if (!name) continue;
      inputs.push(name);
      if ((attr(i[0], 'type') ?? 'text') === 'hidden') fields[name] = attr(i[0], 'value') ?? '';
    }
    return { ...(attr(m[1]!, 'id') && { id: attr(m[1]!, 'id') }), action: attr(m[1]!, 'action') ?? '', fields, inputs };
  });
}

/** What a person does on the page: the form to send and its fields, or undefined to stop there. */
function choose(kind: string, all: Form[], who: Person): { form: Form; body: Record<string, string> } | undefined {
  const byAction = (end: string) => all.find((f) => f.action.endsWith(end));
  if (kind === 'login') return { form: byAction('/login')!, body: { login: who.login, password: who.password } };
  if (kind === 'consent') return who.consent === 'deny' ? { form: byAction('/abort')!, body: {} } : { form: byAction('/confirm')!, body: {} };
  if (kind === 'device-confirm') {
    const form = all.find((f) => f.id === 'op.deviceConfirmForm')!;
    return { form, body: who.device === 'deny' ? { abort: 'yes' } : {} };
  }
  if (kind === 'device-input' && who.userCode) return { form: all.find((f) => f.id === 'op.deviceInputForm')!, body: { user_code: who.userCode } };
  if (kind === 'auto-submit') return { form: all[0]!, body: {} };
  return undefined;
}

function kindOf(html: string, all: Form[]): string {
  if (all.some((f) => f.inputs.includes('login') && f.inputs.includes('password'))) return 'login';
  if (all.some((f) => f.action.endsWith('/confirm'))) return 'consent';
  if (all.some((f) => f.id === 'op.deviceConfirmForm')) return 'device-confirm';
  if (all.some((f) => f.id === 'op.deviceInputForm')) return 'device-input';
  if (all.length === 1 && all[0]!.inputs.every((n) => n in all[0]!.fields) && /document\.forms\[0\]\.submit\(\)/.test(html)) return 'auto-submit';
  return 'other';
}

export async function followIssuerPages(issuer: string, start: string, who: Person): Promise<PageAnswer> {
  const seen: string[] = [];
  const page = await browse(
    start,
    ({ text, url }) => {
      if (!url.startsWith(issuer)) return undefined;
      const all = forms(text);
      const kind = kindOf(text, all);
      seen.push(kind);
      // A page that says something went wrong (a refused password, a denied code) is where a person stops and reads.
      if (kind === 'other' || /role="alert"/.test(text)) return undefined;
      const step = choose(kind, all, who);
      return step && { url: new URL(step.form.action, url).href, body: new URLSearchParams({ ...step.form.fields, ...step.body }) };
    },
    { jar: new Jar(), maxHops: 25, tooMany: 'too many pages at the demo issuer' },
  );
  return { ...page, seen };
}
