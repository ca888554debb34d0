/**
 * The one Content-Security-Policy of the app's page, always sent as a response header (a <meta> CSP
 * cannot carry frame-ancestors, and index.html has none, so this is the only policy): Electron's
 * app:// protocol handler (app-protocol.ts) on every response, session.webRequest for the dev server,
 * the web bridge on every static response. Scripts, styles and connections only from the app's own
 * origin; no plugins, no <base>, no framing, no form posts.
 */
export interface CspOptions {
  /** electron-vite's dev server origin (http://localhost:5173): needs its HMR socket and inline preamble. */
  devOrigin?: string;
}

export function buildCsp(opts: CspOptions = {}): string {
  const dev = opts.devOrigin ? new URL(opts.devOrigin).origin : undefined;
  const devWs = dev ? dev.replace(/^http/, 'ws') : undefined;
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    // Dev only: @vitejs/plugin-react injects an inline refresh preamble.
    ['script-src', dev ? ["'self'", dev, "'unsafe-inline'"] : ["'self'"]],
    // Inline styles are allowed: Radix (cmdk's dialog) injects a <style> element. Scripts stay 'self' only, and img/font/connect 'self' leave CSS no way to
    // send anything out.
    ['style-src', dev ? ["'self'", dev, "'unsafe-inline'"] : ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', dev && devWs ? ["'self'", dev, devWs] : ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['worker-src', ["'self'"]],
  ];
  return directives.map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

/**
 * A response's headers without any CSP of its own (webRequest.onHeadersReceived shape), so the app's
 * policy is the only one that applies.
 */
export function withoutCspHeaders(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  return out;
}
