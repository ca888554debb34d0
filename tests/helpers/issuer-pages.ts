/**
 * A small "browser" for the demo issuer's own pages (src-main/core/demo-server/oidc-pages.ts): it
 * follows redirects with a cookie jar, reads each page's forms as a person would see them, and submits
 * what a person would: the email and password on the login page, Allow or Deny on the consent page,
 * the code's confirmation (or denial) on the device pages. It stops at a page that is none of those,
 * at a page that shows an error (a refused password, a denied code), or at a redirect that leaves the issuer (the loopback
 * callback, which it then opens as the browser would).
 */
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

class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
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
  const jar = new Jar();
  const seen: string[] = [];
  let url = start;
  let method = 'GET';
  let body: URLSearchParams | undefined;
  for (let hops = 0; hops < 25; hops++) {
    const res = await fetch(url, { method, redirect: 'manual', headers: { cookie: jar.header(), ...(body && { 'content-type': 'application/x-www-form-urlencoded' }) }, ...(body && { body }) });
    jar.take(res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const text = await res.text();
    if (!url.startsWith(issuer)) return { status: res.status, text, url, seen };
    const all = forms(text);
    const kind = kindOf(text, all);
    // A page that says something went wrong (a refused password, a denied code) is where a person stops and reads.
    if (kind === 'other' || /role="alert"/.test(text)) return { status: res.status, text, url, seen: [...seen, kind] };
    seen.push(kind);
    const step = choose(kind, all, who);
    if (!step) return { status: res.status, text, url, seen };
    url = new URL(step.form.action, url).href;
    method = 'POST';
    body = new URLSearchParams({ ...step.form.fields, ...step.body });
  }
  throw new Error('too many pages at the demo issuer');
}
