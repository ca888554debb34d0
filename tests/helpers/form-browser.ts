/**
 * A browser without a screen for an issuer's server-rendered pages: fetch with a cookie jar, redirects
 * followed, and at each page what the caller (playing the person) does next. Which form to fill and
 * how is the caller's: oidc-peer.ts drives oidc-provider's dev pages, issuer-pages.ts the demo issuer's.
 */

/** A tiny cookie jar: what the pages set, sent back with each request. */
export class Jar {
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

/** One request as the browser sends it: the jar's cookies, a form body POSTed (GET without one), redirects not followed. */
async function send(jar: Jar, url: string, body?: URLSearchParams): Promise<Response> {
  const res = await fetch(url, { method: body ? 'POST' : 'GET', redirect: 'manual', headers: { cookie: jar.header(), ...(body && { 'content-type': 'application/x-www-form-urlencoded' }) }, ...(body && { body }) });
  jar.take(res);
  return res;
}

/** A page the browser stopped at: its status, its text and its address. */
export interface Page {
  status: number;
  text: string;
  url: string;
}

/** What a person does on a page: go to `url` (a link, or a form sending `body`); undefined stays there. */
export type Next = { url: string; body?: URLSearchParams } | undefined;

/**
 * From `start` as a browser would (the jar's cookies, redirects followed), doing at each page what `act`
 * says, until it stays at one, which is returned. More than `maxHops` requests throw `tooMany`.
 */
export async function browse(start: string, act: (page: Page) => Next, limits: { jar: Jar; maxHops: number; tooMany: string }): Promise<Page> {
  let url = start;
  let body: URLSearchParams | undefined;
  for (let hops = 0; hops < limits.maxHops; hops++) {
    const res = await send(limits.jar, url, body);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url).href;
      body = undefined;
      continue;
    }
    const page = { status: res.status, text: await res.text(), url };
    const next = act(page);
    if (!next) return page;
    ({ url, body } = next);
  }
  throw new Error(limits.tooMany);
}
