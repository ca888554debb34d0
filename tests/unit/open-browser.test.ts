// `npm start`'s browser fallback opens the web bridge without its secret on a command line
// (scripts/open-browser.mjs): the opener's argv is world-readable in ps and /proc/<pid>/cmdline.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openViaRedirectFile, redirectPage } from '../../scripts/open-browser.mjs';

const SECRET = 'Zk3_secret-value-0123456789abcdefXYZ';
const URL_WITH_SECRET = `http://127.0.0.1:5179/?token=${SECRET}`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'tokendesk-open-test-'));
  dirs.push(d);
  return d;
};

describe('opening the web bridge in a browser', () => {
  it.each(['linux', 'darwin', 'win32'] as const)('on %s the opener gets a private redirect file; its argv holds no secret', (platform) => {
    const calls: Array<{ cmd: string; args: string[] }> = [];
    const tmp = scratch();
    const page = openViaRedirectFile(URL_WITH_SECRET, { platform, tmp, spawn: (cmd, args) => calls.push({ cmd, args }) });

    expect(calls).toHaveLength(1);
    const argv = [calls[0]!.cmd, ...calls[0]!.args].join(' ');
    expect(argv).not.toContain(SECRET);
    expect(argv).not.toContain('token=');
    const fileUrl = calls[0]!.args.at(-1)!;
    expect(fileUrl.startsWith('file://')).toBe(true);
    expect(fileURLToPath(fileUrl)).toBe(page.file);

    // Only this user can read it: the file 0600 in a 0700 folder of its own.
    expect(statSync(page.file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(page.file)).mode & 0o777).toBe(0o700);
    expect(dirname(dirname(page.file))).toBe(tmp);

    // It redirects to the tokened URL: a meta refresh, a script and a link.
    const html = readFileSync(page.file, 'utf8');
    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${URL_WITH_SECRET}">`);
    expect(html).toContain(`window.location.replace(${JSON.stringify(URL_WITH_SECRET)})`);
    expect(html).toContain(`<a href="${URL_WITH_SECRET}">`);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');

    page.remove();
    expect(existsSync(dirname(page.file))).toBe(false);
    page.remove(); // twice (the signal, then exit) is fine
  });

  it('a URL cannot break out of the page: quotes and markup are escaped', () => {
    const html = redirectPage('http://127.0.0.1:1/?token=a"><script>alert(1)</script>&x=\'');
    expect(html).not.toContain('"><script>alert');
    expect(html).toContain('content="0;url=http://127.0.0.1:1/?token=a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;x=&#39;"');
    expect(html).toContain('"http://127.0.0.1:1/?token=a\\">\\u003cscript>alert(1)\\u003c/script>&x=\'"');
  });

  it('an opener that cannot be started leaves no file behind', () => {
    const tmp = scratch();
    expect(() =>
      openViaRedirectFile(URL_WITH_SECRET, {
        platform: 'linux',
        tmp,
        spawn: () => {
          throw new Error('spawn xdg-open ENOENT');
        },
      }),
    ).toThrow('ENOENT');
    expect(existsSync(tmp) && statSync(tmp).isDirectory()).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

