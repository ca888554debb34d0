// The CLI's browser opener with real processes: the Factory's default opener runs TOKENDESK_BROWSER
// (CliHome points it at a recorder), hands it the URL as one argument, and a failing or missing
// opener ends in the URL printed for the user.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBrowserOpener, httpUrl, openOrPrint } from '../../src-main/cli/browser.js';
import { createFactory } from '../../src-main/cli/factory.js';
import { CliHome } from '../helpers/cli.js';

const URL_ = 'https://auth.example.com/authorize?client_id=td&state=a^b|c(d)&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcb&q=%PATH%;$HOME`id`';

const homes: CliHome[] = [];
afterEach(async () => {
  for (const h of homes.splice(0)) await h.cleanup();
});
const home = () => {
  const h = new CliHome();
  homes.push(h);
  return h;
};

function factoryOn(env: NodeJS.ProcessEnv) {
  let stderr = '';
  const f = createFactory(
    { stdin: Readable.from([]), stdout: { write: () => true }, stderr: { write: (c: string | Uint8Array) => ((stderr += c.toString()), true) }, env },
    () => {
      throw new Error('opening a browser needs no core');
    },
  );
  return { f, stderr: () => stderr };
}

describe('the CLI opens a sign-in URL in the browser', () => {
  it('the Factory\'s opener runs TOKENDESK_BROWSER with the URL as one argument, untouched by any shell', async () => {
    const h = home();
    const { f, stderr } = factoryOn(h.env());
    expect(await openOrPrint(f, URL_)).toEqual({ opened: true });
    expect(h.openedUrls()).toEqual([httpUrl(URL_)]);
    expect(stderr()).toBe('');
  });

  it('an opener that exits non-zero: not opened, the URL printed', async () => {
    const h = home();
    const { f, stderr } = factoryOn(h.env({ TOKENDESK_BROWSER: `"${process.execPath}" -e "process.exit(4)"` }));
    expect(await openOrPrint(f, URL_)).toMatchObject({ opened: false, reason: expect.stringContaining('exited with status 4') });
    expect(stderr()).toContain(`Open this URL in your browser: ${httpUrl(URL_)}\n`);
  });

  it('no opener on this machine (ENOENT): not opened, the URL printed', async () => {
    const h = home();
    const { f, stderr } = factoryOn(h.env({ TOKENDESK_BROWSER: 'tokendesk-no-such-browser-here' }));
    expect(await openOrPrint(f, URL_)).toEqual({ opened: false, reason: 'tokendesk-no-such-browser-here was not found' });
    expect(stderr()).toBe(`tokendesk: warning: no browser was opened: tokendesk-no-such-browser-here was not found\nOpen this URL in your browser: ${httpUrl(URL_)}\n`);
    expect(h.openedUrls()).toEqual([]);
  });

  it('a browser that keeps running counts as opened once the settle time passes, and does not hold the CLI', async () => {
    const h = home();
    const pidFile = join(h.work, 'browser.pid');
    const browser = join(h.bin, 'long-browser.cjs');
    writeFileSync(browser, `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);\n`);
    const opener = createBrowserOpener({ platform: process.platform, env: h.env({ TOKENDESK_BROWSER: `"${process.execPath}" "${browser}"` }), settleMs: 50 });
    expect(await opener.open(URL_)).toEqual({ opened: true });
    // The "browser" is still running on its own; the test ends the one process it started.
    const pid = await vi.waitFor(() => {
      const n = Number(readFileSync(pidFile, 'utf8'));
      // Never 0 (a file read half-written): kill(0) would signal this whole process group.
      if (!Number.isInteger(n) || n <= 1) throw new Error('no pid yet');
      return n;
    });
    process.kill(pid);
  });
});
