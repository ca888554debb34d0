import type { ServerResponse } from 'node:http';
import { sendJson } from './http-util.js';

/** One email or SMS the demo GoTrue "sent". */
export interface DemoMessage {
  id: number;
  channel: 'email' | 'sms';
  /** An email address, or a phone number as GoTrue stores it (no '+'). */
  to: string;
  /** GoTrue's email action type: signup, magiclink, recovery; `sms` for phone codes. */
  type: string;
  subject: string;
  /** The one-time code the message carries. */
  otp: string;
  /** The /verify link (emails only). */
  link?: string;
  sentAt: string;
}

/**
 * Where the demo's emails and SMS land instead of being sent: a page a person can read
 * (GET /demo/mailbox) and the same list as JSON for tests (GET /demo/mailbox.json?to=…).
 */
export class Mailbox {
  private readonly messages: DemoMessage[] = [];
  private seq = 0;

  deliver(m: Omit<DemoMessage, 'id'>): DemoMessage {
    const msg = { ...m, id: ++this.seq };
    this.messages.push(msg);
    return msg;
  }

  /** Newest first, optionally only those to one address. */
  list(to?: string): DemoMessage[] {
    const want = to?.replace(/^\+/, '').toLowerCase();
    return this.messages.filter((m) => want === undefined || m.to === want).reverse();
  }

  serveJson(res: ServerResponse, url: URL): void {
    sendJson(res, 200, { messages: this.list(url.searchParams.get('to') ?? undefined) });
  }

  serveHtml(res: ServerResponse): void {
    const rows = this.list()
      .map((m) => {
        const link = m.link ? `<p><a href="${esc(m.link)}">Open the link</a></p>` : '';
        const to = m.channel === 'sms' ? `+${m.to}` : m.to;
        return `<article><h2>${esc(m.subject)}</h2><p class="meta">To ${esc(to)} · ${esc(m.channel)} · ${esc(m.sentAt)}</p>
<p>Code: <code>${esc(m.otp)}</code></p>${link}</article>`;
      })
      .join('\n');
    sendHtml(res, 200, 'Demo mailbox', `<h1>Demo mailbox</h1>
<p>Emails and text messages the demo Supabase Auth sent, newest first. Reload to see new ones.</p>
${rows || '<p>No messages yet.</p>'}`);
  }
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small self-contained page (the demo's own pages: mailbox, consent, site). */
export function sendHtml(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1f;background:#fff}
@media (prefers-color-scheme: dark){body{color:#e6e6ea;background:#17171a}a{color:#8ab4ff}}
article{border:1px solid #8886;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}.meta{opacity:.7;font-size:.9em}
code{font-size:1.4em;letter-spacing:.15em}button{font:inherit;padding:.5rem 1rem;margin:.25rem .5rem .25rem 0;border-radius:6px}</style>
</head><body>${body}</body></html>`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}
