// Opens the web bridge's page without putting its secret on a command line. `xdg-open URL?token=…`
// (or `open`, `rundll32`) leaves the secret in the opener's argv, which every user of the machine can
// read in `ps` or /proc/<pid>/cmdline while it runs. Jupyter's way instead (jupyter_server
// `_write_browser_open_file`): a local HTML file that redirects to the tokened URL, readable by this
// user only, is what the browser is asked to open; the command line names only the file.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { browserCommand } from './start-plan.mjs';

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/** The redirect page: a meta refresh, a script for browsers that block it, and a link as the last resort. */
export function redirectPage(url) {
  const attr = escapeHtml(url);
  // In a script, "</" could end the element: JSON with < escaped is a plain string literal.
  const js = JSON.stringify(url).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    '<meta name="referrer" content="no-referrer">',
    `<meta http-equiv="refresh" content="0;url=${attr}">`,
    '<title>Opening TokenDesk</title></head>',
    `<body><p>Opening TokenDesk… <a href="${attr}">open it</a> if nothing happens.</p>`,
    `<script>window.location.replace(${js});</script></body></html>`,
    '',
  ].join('\n');
}

/**
 * Writes the redirect page into a fresh private folder (0700, the file 0600) and asks the platform's
 * opener for the file's file:// URL. `remove()` deletes the folder: once the page has connected to
 * the bridge, and at the latest when `npm start` ends.
 * @param {string} url the bridge's tokened URL
 * @param {{ platform?: NodeJS.Platform, spawn: (cmd: string, args: string[]) => void, tmp?: string }} deps
 */
export function openViaRedirectFile(url, deps) {
  const dir = mkdtempSync(join(deps.tmp ?? tmpdir(), 'tokendesk-open-'));
  chmodSync(dir, 0o700); // mkdtemp makes it 0700 already; said here so no umask or platform widens it
  const file = join(dir, 'open.html');
  writeFileSync(file, redirectPage(url), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { cmd, args } = browserCommand(deps.platform ?? process.platform, pathToFileURL(file).href);
    deps.spawn(cmd, args);
  } catch (e) {
    remove();
    throw e;
  }
  return { file, remove };
}
