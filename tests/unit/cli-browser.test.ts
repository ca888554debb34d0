// The CLI's browser opener (src-main/cli/browser.ts): which program opens a sign-in URL on each
// platform, what counts as opened, and the URL printed when nothing opens.
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { browserCommand, createBrowserOpener, httpUrl, openOrPrint, splitCommand, type BrowserOpener } from '../../src-main/cli/browser.js';
import { noBrowserOption } from '../../src-main/cli/commands/common.js';
import { createFactory } from '../../src-main/cli/factory.js';

const AMP = 'https://auth.example.com/authorize?client_id=td&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcb&state=a^b|c(d)&x=%PATH%';

describe('browserCommand', () => {
  it('uses each platform\'s own opener, the URL one argument', () => {
    expect(browserCommand('linux', AMP, {})).toEqual({ cmd: 'xdg-open', args: [AMP] });
    expect(browserCommand('freebsd', AMP, {})).toEqual({ cmd: 'xdg-open', args: [AMP] });
    expect(browserCommand('darwin', AMP, {})).toEqual({ cmd: '/usr/bin/open', args: [AMP] });
  });

  it('on Windows runs rundll32 by its full path, never cmd: & ^ | ( ) % stay inside the one argument', () => {
    const url = httpUrl(AMP)!;
    const c = browserCommand('win32', url, { SystemRoot: 'D:\\WINNT' });
    expect(c).toEqual({ cmd: 'D:\\WINNT\\System32\\rundll32.exe', args: ['url.dll,FileProtocolHandler', url] });
    expect(browserCommand('win32', url, {}).cmd).toBe('C:\\Windows\\System32\\rundll32.exe');
    expect([c.cmd, ...c.args].join(' ')).not.toMatch(/\bcmd(\.exe)?\b|\bstart\b/i);
    // Node quotes an argument for CreateProcess only when it holds a space, a tab or a quote: a checked
    // URL never does, whatever it was given with, so rundll32 receives exactly the href.
    for (const raw of ['https://h.example/a b?c="d e"&f', 'https://h.example/#frag "x"\t', 'HTTPS://H.EXAMPLE/%20%PATH%&^']) {
      expect(httpUrl(raw)).not.toMatch(/[\s"]/);
    }
  });

  it('TOKENDESK_BROWSER, else BROWSER, is the user\'s command: words split like a shell, no shell run, the URL appended', () => {
    expect(browserCommand('linux', AMP, { BROWSER: 'firefox --new-window' })).toEqual({ cmd: 'firefox', args: ['--new-window', AMP] });
    expect(browserCommand('linux', AMP, { BROWSER: 'firefox', TOKENDESK_BROWSER: '"/opt/my browser/run" -p "a b"' })).toEqual({ cmd: '/opt/my browser/run', args: ['-p', 'a b', AMP] });
    expect(browserCommand('darwin', AMP, { BROWSER: '  ' })).toEqual({ cmd: '/usr/bin/open', args: [AMP] });
    // `%s` is where the URL goes (the xdg BROWSER convention); a `$&` in the URL is not a replacement pattern.
    const dollar = "https://h.example/?q=$&r=$'";
    expect(browserCommand('linux', dollar, { BROWSER: 'chromium --app=%s' })).toEqual({ cmd: 'chromium', args: [`--app=${dollar}`] });
    // Windows paths keep their backslashes.
    expect(browserCommand('win32', AMP, { BROWSER: '"C:\\Program Files\\Mozilla Firefox\\firefox.exe" -new-tab' })).toEqual({
      cmd: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
      args: ['-new-tab', AMP],
    });
  });

  it('splitCommand: quotes group, backslash escapes outside Windows, empty quotes are a word', () => {
    expect(splitCommand(`a 'b c' "d \\"e\\"" f\\ g ""`, 'linux')).toEqual(['a', 'b c', 'd "e"', 'f g', '']);
    expect(splitCommand('C:\\x\\y.exe --flag', 'win32')).toEqual(['C:\\x\\y.exe', '--flag']);
  });
});

describe('httpUrl', () => {
  it.each([
    ['https://auth.example.com/x?a=1&b=2', 'https://auth.example.com/x?a=1&b=2'],
    ['HTTP://LOCALHOST:5555/cb', 'http://localhost:5555/cb'],
    ['https://bücher.example/', 'https://xn--bcher-kva.example/'],
    ['javascript:alert(1)', undefined],
    ['file:///etc/passwd', undefined],
    ['x-github-client://open', undefined],
    ['--help', undefined],
    ['', undefined],
  ])('%s → %s', (url, want) => {
    expect(httpUrl(url)).toBe(want);
  });
});

/** A child process the test drives: it errors, exits or keeps running when told. */
function fakeChild() {
  const child = new EventEmitter() as EventEmitter & { unref(): void; unrefed: boolean };
  child.unrefed = false;
  child.unref = () => void (child.unrefed = true);
  return child;
}

function openerWith(behave: (child: ReturnType<typeof fakeChild>) => void) {
  const spawned: Array<{ cmd: string; args: string[]; options: unknown }> = [];
  const children: Array<ReturnType<typeof fakeChild>> = [];
  const timers: Array<() => void> = [];
  const opener = createBrowserOpener({
    platform: 'linux',
    env: { PATH: '/usr/bin' },
    spawn: (cmd, args, options) => {
      spawned.push({ cmd, args, options });
      const child = fakeChild();
      children.push(child);
      queueMicrotask(() => behave(child));
      return child as unknown as ChildProcess;
    },
    setTimer: (fn) => {
      timers.push(fn);
      return 0;
    },
    clearTimer: () => undefined,
  });
  return { opener, spawned, children, timers };
}

describe('createBrowserOpener', () => {
  it('spawns the opener detached, without a shell, stdio ignored; exit 0 is opened', async () => {
    const { opener, spawned, children } = openerWith((c) => c.emit('exit', 0, null));
    expect(await opener.open(AMP)).toEqual({ opened: true });
    expect(spawned).toEqual([{ cmd: 'xdg-open', args: [httpUrl(AMP)], options: expect.objectContaining({ detached: true, stdio: 'ignore', shell: false }) }]);
    expect(children[0]!.unrefed).toBe(true);
  });

  it('no opener installed (ENOENT) is not opened, and says which', async () => {
    const { opener } = openerWith((c) => c.emit('error', Object.assign(new Error('spawn xdg-open ENOENT'), { code: 'ENOENT' })));
    expect(await opener.open(AMP)).toEqual({ opened: false, reason: 'xdg-open was not found' });
  });

  it('a non-zero exit (no display over SSH) is not opened', async () => {
    const { opener } = openerWith((c) => c.emit('exit', 3, null));
    expect(await opener.open(AMP)).toEqual({ opened: false, reason: 'xdg-open exited with status 3' });
  });

  it('an opener still running when the settle time ends (a browser in the foreground) counts as opened and is let go', async () => {
    const { opener, timers, children } = openerWith(() => undefined);
    const result = opener.open(AMP);
    await Promise.resolve();
    expect(timers).toHaveLength(1);
    timers[0]!();
    expect(await result).toEqual({ opened: true });
    expect(children[0]!.unrefed).toBe(true);
  });

  it('refuses anything but http(s) without starting a program', async () => {
    const { opener, spawned } = openerWith((c) => c.emit('exit', 0, null));
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', '-a Calculator', 'smb://host/share']) {
      expect(await opener.open(url)).toEqual({ opened: false, reason: 'only http(s) URLs are opened' });
    }
    expect(spawned).toEqual([]);
  });

  it('a spawn that throws (EACCES) is not opened', async () => {
    const opener = createBrowserOpener({
      platform: 'linux',
      env: {},
      spawn: () => {
        throw Object.assign(new Error('spawn EACCES'), { code: 'EACCES' });
      },
    });
    expect(await opener.open(AMP)).toEqual({ opened: false, reason: 'xdg-open could not be started (EACCES)' });
  });
});

function factoryWith(browser: BrowserOpener) {
  let stderr = '';
  const f = createFactory(
    { stdin: Readable.from([]), stdout: { write: () => true }, stderr: { write: (c: string | Uint8Array) => ((stderr += c.toString()), true) }, env: {} },
    () => {
      throw new Error('no core in this test');
    },
    browser,
  );
  return { f, stderr: () => stderr };
}

describe('openOrPrint', () => {
  const recording = (result: { opened: boolean; reason?: string }) => {
    const asked: string[] = [];
    return { asked, browser: { open: async (u: string) => (asked.push(u), result) } };
  };

  it('opens with the factory\'s opener and prints nothing when it opened', async () => {
    const { asked, browser } = recording({ opened: true });
    const { f, stderr } = factoryWith(browser);
    expect(await openOrPrint(f, AMP)).toEqual({ opened: true });
    expect(asked).toEqual([httpUrl(AMP)]);
    expect(stderr()).toBe('');
  });

  it('prints the URL to stderr, with the reason, when no browser opened', async () => {
    const { browser } = recording({ opened: false, reason: 'xdg-open was not found' });
    const { f, stderr } = factoryWith(browser);
    expect(await openOrPrint(f, AMP)).toEqual({ opened: false, reason: 'xdg-open was not found' });
    expect(stderr()).toBe(`tokendesk: warning: no browser was opened: xdg-open was not found\nOpen this URL in your browser: ${httpUrl(AMP)}\n`);
  });

  it('with --no-browser prints the URL and starts nothing', async () => {
    const { asked, browser } = recording({ opened: true });
    const { f, stderr } = factoryWith(browser);
    expect(await openOrPrint(f, AMP, { noBrowser: true })).toEqual({ opened: false, reason: '--no-browser' });
    expect(asked).toEqual([]);
    expect(stderr()).toBe(`Open this URL in your browser: ${httpUrl(AMP)}\n`);
  });

  it('a URL that is not http(s) is neither opened nor printed', async () => {
    const { asked, browser } = recording({ opened: true });
    const { f, stderr } = factoryWith(browser);
    await expect(openOrPrint(f, 'javascript:alert(document.cookie)')).rejects.toMatchObject({ code: 'bad_response' });
    await expect(openOrPrint(f, 'file:///etc/passwd', { noBrowser: true })).rejects.toMatchObject({ code: 'bad_response' });
    expect(asked).toEqual([]);
    expect(stderr()).toBe('');
  });

  it('noBrowserOption: absent opens, --no-browser says browser: false', () => {
    const parse = (argv: string[]) => new Command().exitOverride().addOption(noBrowserOption()).parse(argv, { from: 'user' }).opts<{ browser: boolean }>();
    expect(parse([]).browser).toBe(true);
    expect(parse(['--no-browser']).browser).toBe(false);
  });
});
