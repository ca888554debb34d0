import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import type { ClipboardLike } from './clipboard-guard.js';
import { windowPositionIsKnown } from './window-state.js';

/**
 * Which clipboard the app writes and clears through, and whether a clear can be confirmed.
 * - electron: Electron's clipboard module (macOS, Windows, X11 or Xwayland), read back truthfully.
 * - wl-clipboard: on a native Wayland window, wl-copy / wl-paste (the wl-clipboard package). Since
 *   Electron 38 a Linux app runs natively on Wayland in a Wayland session ("The default value of the
 *   --ozone-platform flag changed to auto", electron/electron docs/breaking-changes.md, Electron 38; "Users can force
 *   XWayland by passing --ozone-platform=x11"), and GNOME's Mutter ignores a clipboard write from a
 *   client without keyboard focus while Chromium's readText answers with what it offered itself, so a
 *   timed clear with the window unfocused would read "cleared" while the secret stays.
 *   wl-copy gets the selection set whatever window has focus, and wl-paste reads what the compositor
 *   really holds, so the clear is checked.
 * - unverifiable: native Wayland without wl-copy: the clear is tried but never claimed.
 * The ozone platform cannot be switched from JavaScript in Electron 39: it is picked in
 * ElectronBrowserMainParts::PreEarlyInitialization (shell/browser/electron_browser_main_parts.cc),
 * before the main script runs; `--ozone-platform=x11` on the command line (a launcher) still works.
 */
export type ClipboardBackend = 'electron' | 'wl-clipboard' | 'unverifiable';

export function chooseClipboardBackend(input: {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  switches: { ozonePlatform?: string; ozonePlatformHint?: string };
  /** Whether wl-copy and wl-paste are on PATH (onPath). */
  wlClipboard: boolean;
}): ClipboardBackend {
  // Not on Wayland (or Xwayland via --ozone-platform=x11): what Electron reads back is the truth.
  if (input.platform !== 'linux' || windowPositionIsKnown(input.platform, input.env, input.switches)) return 'electron';
  return input.wlClipboard ? 'wl-clipboard' : 'unverifiable';
}

/** True when every named program is an executable file in one of PATH's folders. */
export function onPath(names: string[], env: NodeJS.ProcessEnv, isExecutable: (file: string) => boolean): boolean {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  return names.every((n) => dirs.some((d) => isExecutable(join(d, n))));
}

/** A synchronous run of a program: spawnSync in the app, a fake in tests. */
export type RunSync = (file: string, args: string[], input?: string) => { status: number | null; stdout: string; stderr: string; error?: Error };

/**
 * wl-paste's words for a clipboard without our text (wl-clipboard 2.x, src/wl-paste.c: "Nothing is
 * copied", "No selection", and "No suitable type of content copied" when it holds, say, an image the
 * user copied since): none of them is a failure to read, and none holds the copied secret.
 */
const NOT_OURS = /nothing is copied|no selection|no suitable type/i;

/**
 * The clipboard through wl-clipboard. Synchronous like Electron's (a clear on quit must be done
 * before the process ends); each call is bounded by the runner's time-out. A failure throws, so the
 * guard never takes it for success.
 */
export function wlClipboard(run: RunSync): ClipboardLike {
  const must = (file: string, args: string[], input?: string) => {
    const r = run(file, args, input);
    if (r.error || r.status !== 0) throw new Error(`${file} failed`);
    return r;
  };
  return {
    readText() {
      const r = run('wl-paste', ['--no-newline', '--type', 'text/plain']);
      if (r.status !== 0 && !r.error && NOT_OURS.test(r.stderr)) return '';
      if (r.error || r.status !== 0) throw new Error('wl-paste failed');
      return r.stdout;
    },
    writeText(text) {
      // The text on stdin, never in the arguments (other users' `ps` would show it).
      must('wl-copy', ['--type', 'text/plain'], text);
    },
    clear() {
      must('wl-copy', ['--clear']);
    },
  };
}

/** What the user reads when a clear is not confirmed: the secret may be there, and what helps. */
export function notClearedMessage(backend: ClipboardBackend): string {
  const base = 'The copied secret may still be on the clipboard: copy something else over it.';
  return backend === 'unverifiable'
    ? `${base} On Wayland, install wl-clipboard (sudo apt install wl-clipboard) so TokenDesk can clear it and check.`
    : base;
}

/**
 * The tray's word after a copy. On a native Wayland window without wl-clipboard the write itself is
 * not confirmed: Mutter ignores a clipboard write from a client without keyboard focus, and a tray
 * click leaves the window unfocused (so "Copied" could be false).
 */
export function copiedNotice(backend: ClipboardBackend, label: string, clearsInSeconds: number | null): { title: string; body: string } {
  if (backend === 'unverifiable') {
    return { title: 'Copy not confirmed', body: `${label} may not have reached the clipboard while the window is in the background. Install wl-clipboard (sudo apt install wl-clipboard), or copy from the window.` };
  }
  return { title: 'Copied', body: clearsInSeconds ? `${label}. The clipboard clears in ${clearsInSeconds} s.` : `${label}.` };
}

/**
 * spawnSync bounded to 2 s; stdout and stderr as text. wl-copy forks a server that keeps serving the
 * selection and inherits its output: those are not piped, or the call would wait for that server.
 */
export const runSync: RunSync = (file, args, input) => {
  const out = basename(file) === 'wl-copy' ? 'ignore' : 'pipe';
  const r = spawnSync(file, args, { input, encoding: 'utf8', timeout: 2_000, stdio: [input === undefined ? 'ignore' : 'pipe', out, out] });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error && { error: r.error }) };
};

export function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
