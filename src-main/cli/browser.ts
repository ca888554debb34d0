// The CLI's browser opener (issue 20): a sign-in step "open this URL and wait for the callback" asks
// the Factory's opener, and where no browser opens (or with --no-browser) the URL is printed instead.
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { TokenDeskError } from '../core/facade.js';
import type { Factory } from './factory.js';

export interface OpenResult {
  opened: boolean;
  /** Why not, in words for a person (never a secret: the URL is not repeated). */
  reason?: string;
}

export interface BrowserOpener {
  open(url: string): Promise<OpenResult>;
}

/** The URL re-serialised when it is http(s), else undefined: nothing else is handed to an opener. */
export function httpUrl(url: string): string | undefined {
  if (typeof url !== 'string' || url.length > 8192 || !URL.canParse(url)) return undefined;
  const u = new URL(url);
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
}

export interface BrowserCommand {
  cmd: string;
  args: string[];
}

/**
 * Splits a $BROWSER value into words the way gh does (go-gh's browser: shlex.Split, then the URL
 * appended): quotes group, no shell runs. On Windows a backslash is a path separator, not an escape.
 */
export function splitCommand(value: string, platform: NodeJS.Platform): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && platform !== 'win32' && /["\\$`]/.test(value[i + 1] ?? '')) word += value[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && platform !== 'win32' && i + 1 < value.length) {
      word += value[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * The program and arguments that open `url` (already checked by httpUrl) on `platform`.
 * - TOKENDESK_BROWSER, else BROWSER: the user's own command (gh reads GH_BROWSER, then BROWSER), the URL
 *   appended, or put in place of `%s` (the xdg/Debian BROWSER convention). Tests point it at a recorder.
 * - darwin: /usr/bin/open (open(1) hands a URL to the default browser).
 * - win32: rundll32 url.dll,FileProtocolHandler, by its full path (libuv searches the current folder
 *   before PATH, so a bare name could run a rundll32.exe left there). Not `cmd /c start "" URL`: cmd
 *   parses the whole line, so `&`, `|`, `^`, `(` in a URL end or change the command unless quoted
 *   (https://learn.microsoft.com/windows-server/administration/windows-commands/cmd: "&()[]{}^=;!'+,`~
 *   require quotes"), and `%NAME%` is expanded even inside quotes, with no escape on a command line.
 *   rundll32 gets the URL as one argument and no shell reads it (the same choice as gh's cli/browser
 *   and scripts/start-plan.mjs). An http(s) href has no space or `"` (the URL standard percent-encodes
 *   them), so Node passes it to CreateProcess unquoted and unchanged.
 * - anything else: xdg-open (freedesktop.org's opener for the desktop's default browser).
 */
export function browserCommand(platform: NodeJS.Platform, url: string, env: NodeJS.ProcessEnv): BrowserCommand {
  const custom = env.TOKENDESK_BROWSER?.trim() || env.BROWSER?.trim();
  if (custom) {
    const [cmd, ...rest] = splitCommand(custom, platform);
    if (cmd) {
      const placeholder = rest.some((w) => w.includes('%s'));
      // A function replacer: a URL's `$&` or `$'` must not be read as a replacement pattern.
      return { cmd, args: placeholder ? rest.map((w) => w.replaceAll('%s', () => url)) : [...rest, url] };
    }
  }
  if (platform === 'darwin') return { cmd: '/usr/bin/open', args: [url] };
  if (platform === 'win32') {
    const root = env.SystemRoot || env.SYSTEMROOT || 'C:\\Windows';
    return { cmd: `${root}\\System32\\rundll32.exe`, args: ['url.dll,FileProtocolHandler', url] };
  }
  return { cmd: 'xdg-open', args: [url] };
}

type Spawn = (cmd: string, args: string[], options: { detached: boolean; stdio: 'ignore'; shell: false; windowsHide: boolean; env: NodeJS.ProcessEnv }) => ChildProcess;

export interface OpenerDeps {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  spawn?: Spawn;
  /**
   * How long an opener that has not exited counts as still starting. xdg-open, open and rundll32 return
   * at once; a $BROWSER that is the browser itself keeps running, and that is a success, not a wait.
   */
  settleMs?: number;
  setTimer?: (fn: () => void, ms: number) => { unref?(): void } | number;
  clearTimer?: (t: unknown) => void;
}

/**
 * The real opener: spawned detached (a Ctrl-C in the terminal does not reach the browser), without a
 * shell, stdio ignored. It failed to start (ENOENT: no xdg-open over SSH) or exited non-zero (no
 * display): not opened, and the caller prints the URL.
 */
export function createBrowserOpener(deps: OpenerDeps): BrowserOpener {
  const spawn: Spawn = deps.spawn ?? ((cmd, args, options) => nodeSpawn(cmd, args, options));
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  return {
    open(url) {
      const href = httpUrl(url);
      if (!href) return Promise.resolve({ opened: false, reason: 'only http(s) URLs are opened' });
      const { cmd, args } = browserCommand(deps.platform, href, deps.env);
      return new Promise((resolve) => {
        let child: ChildProcess;
        try {
          child = spawn(cmd, args, { detached: true, stdio: 'ignore', shell: false, windowsHide: true, env: deps.env });
        } catch (e) {
          resolve({ opened: false, reason: startFailure(cmd, e) });
          return;
        }
        let done = false;
        const finish = (r: OpenResult) => {
          if (done) return;
          done = true;
          clearTimer(timer);
          // Still running (a browser in the foreground): it must not keep the CLI alive.
          child.unref();
          resolve(r);
        };
        child.once('error', (e) => finish({ opened: false, reason: startFailure(cmd, e) }));
        child.once('exit', (code, signal) =>
          finish(code === 0 ? { opened: true } : { opened: false, reason: signal ? `${cmd} was stopped (${signal})` : `${cmd} exited with status ${code}` }),
        );
        const timer = setTimer(() => finish({ opened: true }), deps.settleMs ?? 5000);
        if (typeof timer === 'object') timer.unref?.();
      });
    },
  };
}

function startFailure(cmd: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' ? `${cmd} was not found` : `${cmd} could not be started${code ? ` (${code})` : ''}`;
}

/**
 * Opens `url` with the Factory's opener, or prints it to stderr for the user to open: with --no-browser
 * (a remote shell, another machine's browser), or when nothing opened. A URL that is not http(s)
 * (what a server's sign-in step said) is refused, neither opened nor offered to be opened.
 */
export async function openOrPrint(f: Factory, url: string, opts: { noBrowser?: boolean } = {}): Promise<OpenResult> {
  const href = httpUrl(url);
  if (!href) throw new TokenDeskError('bad_response', 'The sign-in gave an address that is not an http(s) URL: TokenDesk does not open it');
  if (opts.noBrowser) {
    f.term.errLine(`Open this URL in your browser: ${href}`);
    return { opened: false, reason: '--no-browser' };
  }
  const r = await f.browser.open(href);
  if (!r.opened) {
    if (r.reason) f.term.warn(`no browser was opened: ${r.reason}`);
    f.term.errLine(`Open this URL in your browser: ${href}`);
  }
  return r;
}
