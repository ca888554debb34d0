// Pure decisions behind `npm start` (scripts/start.mjs): what to run, and what a failure means.
// Plain JS so `npm start` needs no build step before it; types in start-plan.d.mts.

/** Where Electron's installer downloads from: ELECTRON_MIRROR, else GitHub's releases (@electron/get's default). */
export function downloadHost(env) {
  const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror;
  if (mirror) {
    try {
      return new URL(mirror).host || mirror;
    } catch {
      return mirror;
    }
  }
  return 'github.com';
}

// Electron's installation doc ("Proxies", "Custom Mirrors and Caches"): ELECTRON_GET_USE_PROXY plus
// GLOBAL_AGENT_HTTPS_PROXY for a proxy; ELECTRON_MIRROR for a mirror; electron_config_cache for a local cache.
const NETWORK_FIX =
  'set ELECTRON_MIRROR to a mirror you can reach, or behind a proxy ELECTRON_GET_USE_PROXY=1 and GLOBAL_AGENT_HTTPS_PROXY=http://proxy:port, then run npm start again';
const REINSTALL_FIX = 'delete node_modules/electron/dist and node_modules/electron/path.txt, then run npm start again to fetch it afresh';

// Debian/Ubuntu package for the libraries Electron most often lacks on a minimal system.
const LIBRARY_PACKAGES = {
  'libnss3.so': 'libnss3',
  'libnssutil3.so': 'libnss3',
  'libatk-1.0.so.0': 'libatk1.0-0',
  'libatk-bridge-2.0.so.0': 'libatk-bridge2.0-0',
  'libgtk-3.so.0': 'libgtk-3-0',
  'libgbm.so.1': 'libgbm1',
  'libasound.so.2': 'libasound2',
  'libcups.so.2': 'libcups2',
  'libdrm.so.2': 'libdrm2',
  'libxkbcommon.so.0': 'libxkbcommon0',
  'libXss.so.1': 'libxss1',
  'libXdamage.so.1': 'libxdamage1',
  'libXrandr.so.2': 'libxrandr2',
};

const ROOT_FIX = 'run npm start as your normal user (or, knowing it turns Chromium\'s sandbox off, npm start -- --no-sandbox)';
const APPARMOR_FIX =
  'sudo chown root:root node_modules/electron/dist/chrome-sandbox && sudo chmod 4755 node_modules/electron/dist/chrome-sandbox, then run npm start again';
const DISPLAY_FIX = 'start it from a desktop session (or under xvfb-run -a for a headless check)';

/**
 * What a failed Electron download or start means, and its fix, one line each.
 * @param {import('./start-plan.d.mts').StartFailure} failure
 * @returns {import('./start-plan.d.mts').Diagnosis}
 */
export function diagnose(failure) {
  if (failure.stage === 'download') {
    const text = failure.output ?? '';
    const host = downloadHost(failure.env ?? {});
    const net = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ESOCKETTIMEDOUT)\b/.exec(text);
    if (net) return { cause: `Electron's download host ${host} cannot be reached from this machine (${net[1]})`, fix: NETWORK_FIX };
    const http = /Response code (\d{3})(?: \(([^)]*)\))?/.exec(text);
    if (http) {
      const code = Number(http[1]);
      const what = code === 404 ? 'has no such file (wrong ELECTRON_MIRROR path?)' : code === 403 || code === 401 ? 'refused the download' : 'answered with an error';
      return {
        cause: `the download host ${host} ${what}: HTTP ${code}${http[2] ? ` ${http[2]}` : ''}`,
        fix: 'point ELECTRON_MIRROR at a mirror that serves Electron releases (ending in /, e.g. https://npmmirror.com/mirrors/electron/), or unset it to use GitHub, then run npm start again',
      };
    }
    if (/checksum/i.test(text)) return { cause: `the file from ${host} does not match Electron's published checksum`, fix: 'the mirror serves a different or broken file: use another ELECTRON_MIRROR, then run npm start again' };
    const disk = /\b(ENOSPC|EACCES|EPERM|EROFS)\b/.exec(text);
    if (disk) {
      const code = disk[1];
      return { cause: `the Electron binary could not be written into node_modules/electron (${code})`, fix: code === 'ENOSPC' ? 'free some disk space, then run npm start again' : 'make node_modules writable by your user (or reinstall without sudo), then run npm start again' };
    }
    return { cause: `Electron's installer failed: ${lastLine(text) || 'no message'}`, fix: NETWORK_FIX };
  }

  // stage === 'launch': the binary exists; it would not start, or died at once.
  if (failure.spawnError) {
    const code = failure.spawnError;
    return { cause: `the Electron binary is present but cannot be run (${code})`, fix: REINSTALL_FIX };
  }
  const text = failure.stderr ?? '';
  // main.ts found another TokenDesk holding the single-instance lock (src-main/electron/single-instance.ts):
  // Electron quits with code 0, but this build never started.
  const other = /TokenDesk: another TokenDesk is already running with this data folder(?: \(([^)\n]*)\))?/.exec(text);
  if (other) {
    return {
      cause: `this build did not start: another TokenDesk is already running with the same data folder${other[1] ? ` (${other[1]})` : ''}, and its window was brought to the front`,
      fix: 'quit that TokenDesk (tray menu: Quit) and run npm start again, or give this run its own configuration folder: TOKENDESK_HOME=/some/folder npm start',
      elsewhere: true,
    };
  }
  const lib = /error while loading shared libraries: ([^:\s]+)/.exec(text);
  if (lib) {
    const pkg = LIBRARY_PACKAGES[lib[1]];
    return {
      cause: `Electron cannot start: the system library ${lib[1]} is missing`,
      fix: pkg ? `sudo apt-get install ${pkg} (Debian/Ubuntu), then run npm start again` : `install the package that provides ${lib[1]} (apt-file search ${lib[1]}), then run npm start again`,
    };
  }
  if (/Running as root without --no-sandbox is not supported/.test(text)) return { cause: 'Electron refuses to run as root with its sandbox on', fix: ROOT_FIX };
  if (/SUID sandbox helper binary was found, but is not configured correctly|No usable sandbox/.test(text)) {
    return { cause: "Electron's sandbox cannot start: user namespaces are restricted (Ubuntu 23.10+ AppArmor) and chrome-sandbox is not setuid root", fix: APPARMOR_FIX };
  }
  if (/Missing X server or \$DISPLAY|cannot open display|Failed to connect to Wayland display/i.test(text)) {
    return { cause: 'Electron cannot open a window: no graphical display', fix: DISPLAY_FIX };
  }
  const quick = failure.elapsedMs !== undefined && failure.elapsedMs < START_WINDOW_MS;
  if ((failure.exitCode ?? 0) !== 0 || failure.signal) {
    if (!quick) return undefined; // It ran, then ended: not a start failure.
    const how = failure.signal ? `was killed by ${failure.signal}` : `exited with code ${failure.exitCode}`;
    const last = lastLine(text);
    return { cause: `Electron ${how} as it started${last ? `: ${last}` : ''}`, fix: `read the error above (and the startup log it names, if any); if the binary is damaged, ${REINSTALL_FIX}` };
  }
  return undefined;
}

/** An Electron that dies this soon after spawn never got going: treat it as a start failure. */
export const START_WINDOW_MS = 15_000;

function lastLine(text) {
  const lines = String(text).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return (lines.at(-1) ?? '').slice(0, 300);
}

/**
 * What `npm start` does on this machine. Never turns the sandbox off by itself: `--no-sandbox`
 * runs only when the user passed it.
 * @param {import('./start-plan.d.mts').StartInputs} inp
 * @returns {import('./start-plan.d.mts').StartPlan}
 */
export function decide(inp) {
  const args = inp.args ?? [];
  if (args.includes('--web')) return { kind: 'web', cause: 'you asked for the browser (--web)', fix: undefined, requested: true };
  if (!inp.hasBinary) {
    if (inp.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
      return { kind: 'web', cause: 'the Electron binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set', fix: 'unset ELECTRON_SKIP_BINARY_DOWNLOAD, then run npm start again to fetch it' };
    }
    return { kind: 'fetch', host: downloadHost(inp.env) };
  }
  const noSandbox = args.includes('--no-sandbox');
  if (inp.platform === 'linux') {
    if (!inp.env.DISPLAY && !inp.env.WAYLAND_DISPLAY) return { kind: 'web', cause: 'there is no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)', fix: DISPLAY_FIX };
    // Chromium aborts "Running as root without --no-sandbox is not supported" (crbug.com/638180).
    if (inp.uid === 0 && !noSandbox) return { kind: 'web', cause: 'Electron refuses to run as root with its sandbox on', fix: ROOT_FIX };
    // Ubuntu 23.10+ sets kernel.apparmor_restrict_unprivileged_userns=1: Chromium's namespace sandbox is
    // refused and it falls back to the setuid chrome-sandbox, which npm installs without the setuid bit,
    // so Electron aborts "The SUID sandbox helper binary was found, but is not configured correctly"
    // (electron/electron#42510; Launchpad bug 2046844). A root-owned 4755 helper or an AppArmor profile fixes it.
    const restricted = String(inp.apparmorRestrict ?? '').trim() === '1';
    const helperOk = inp.sandboxHelper !== undefined && inp.sandboxHelper.uid === 0 && (inp.sandboxHelper.mode & 0o4000) !== 0;
    if (restricted && !helperOk && !inp.apparmorProfile && !noSandbox) {
      return { kind: 'web', cause: "Ubuntu's AppArmor restricts user namespaces (kernel.apparmor_restrict_unprivileged_userns=1), so Electron's sandbox would abort", fix: APPARMOR_FIX };
    }
  }
  return { kind: 'launch', args: ['.', ...args] };
}

/**
 * The lines `npm start` says before it opens the browser: why, the fix, then what happens. "Instead"
 * only when the desktop app was what npm start tried to give (not after --web).
 * @param {{ cause: string; fix?: string | undefined; requested?: boolean }} why
 * @returns {string[]}
 */
export function browserLines(why) {
  return [
    `${why.cause}.`,
    ...(why.fix ? [`fix: ${why.fix}.`] : []),
    `opening the same UI in your browser${why.requested ? '' : ' instead'} (the web bridge; Ctrl+C stops it).`,
  ];
}

/**
 * The line before Electron's installer runs. "(first start only)" was said on every start where the
 * download keeps failing (no network, a blocked GitHub): a start that tried before says so instead.
 * @param {{ version: string; host: string; lastFailure?: string | undefined }} inp
 */
export function fetchLine(inp) {
  const what = `fetching Electron ${inp.version} from ${inp.host}`;
  if (inp.lastFailure) return `${what} again (the last try failed: ${inp.lastFailure}; the browser opens if it fails again)...`;
  return `${what} (once: it is kept in node_modules/electron)...`;
}

/** The command that opens a URL in the default browser. */
export function browserCommand(platform, url) {
  if (platform === 'darwin') return { cmd: 'open', args: [url] };
  // Not `cmd /c start`: cmd would read `&` in a URL as a command separator.
  if (platform === 'win32') return { cmd: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { cmd: 'xdg-open', args: [url] };
}

/** The web bridge's URL (with its per-run secret) in a line of its output, if there is one. */
export function bridgeUrl(line) {
  const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(line);
  return m ? m[1] : undefined;
}
