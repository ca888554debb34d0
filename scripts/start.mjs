// `npm start`: build the app and launch Electron. npm install leaves Electron's binary out (allowScripts
// in package.json), so the first start fetches it with Electron's own installer (which honours
// ELECTRON_MIRROR and the proxy settings). Where Electron cannot be had or cannot start, the same UI
// opens in the browser through the web bridge. The decisions are pure functions in start-plan.mjs.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openViaRedirectFile } from './open-browser.mjs';
import { bridgeUrl, browserLines, decide, diagnose, fetchLine } from './start-plan.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
const userArgs = process.argv.slice(2);
const say = (line) => console.error(`TokenDesk: ${line}`);
/** What the last failed download said, beside Electron's package (gone once a download succeeds). */
const fetchFailedFile = join(electronDir, '.tokendesk-fetch-failed');

/** The binary electron's index.js would hand out (path.txt under dist/), if it is really there. */
function binaryPath() {
  try {
    const rel = readFileSync(join(electronDir, 'path.txt'), 'utf8');
    const base = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist');
    const p = join(base, rel);
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

function readOr(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** True when some AppArmor profile names this binary and grants userns (Ubuntu's own fix for such apps). */
function apparmorProfileFor(binary) {
  if (!binary || !existsSync('/etc/apparmor.d')) return false;
  try {
    return readdirSync('/etc/apparmor.d', { withFileTypes: true })
      .filter((d) => d.isFile())
      .some((d) => {
        const text = readOr(join('/etc/apparmor.d', d.name)) ?? '';
        return text.includes(binary) && /\buserns\b/.test(text);
      });
  } catch {
    return false;
  }
}

function machine() {
  const binary = binaryPath();
  let sandboxHelper;
  try {
    const s = statSync(join(electronDir, 'dist', 'chrome-sandbox'));
    sandboxHelper = { uid: s.uid, mode: s.mode };
  } catch {
    sandboxHelper = undefined;
  }
  return {
    platform: process.platform,
    env: process.env,
    uid: process.getuid?.(),
    apparmorRestrict: process.platform === 'linux' ? readOr('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') : undefined,
    sandboxHelper,
    apparmorProfile: process.platform === 'linux' && apparmorProfileFor(binary),
    hasBinary: Boolean(binary),
    args: userArgs,
  };
}

/** Runs a command; `tee` copies its stderr through while keeping the last 64 KiB for diagnosis. */
function run(cmd, args, { tee = false, quiet = false, onStdoutLine } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    let stderr = '';
    const child = spawn(cmd, args, { cwd: root, stdio: ['inherit', onStdoutLine ? 'pipe' : quiet ? 'ignore' : 'inherit', tee || quiet ? 'pipe' : 'inherit'] });
    child.stderr?.on('data', (d) => {
      if (tee) process.stderr.write(d);
      stderr = (stderr + d).slice(-65_536);
    });
    if (onStdoutLine) {
      let pending = '';
      child.stdout.on('data', (d) => {
        process.stdout.write(d);
        pending += d;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(onStdoutLine);
      });
    }
    child.on('error', (e) => resolve({ spawnError: e.code ?? e.message, stderr, elapsedMs: Date.now() - started }));
    child.on('exit', (code, signal) => resolve({ exitCode: code, signal, stderr, elapsedMs: Date.now() - started }));
  });
}

// The bin is not in electron-vite's exports map: locate it beside its package.json.
const viteBin = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
let built = false;
async function buildApp() {
  if (built) return;
  const r = await run(process.execPath, [viteBin, 'build']);
  if (r.exitCode !== 0) process.exit(r.exitCode ?? 1);
  built = true;
}

/**
 * Runs `remove` when `npm start` ends: a normal exit, or Ctrl+C / SIGTERM / SIGHUP (which would
 * otherwise end the process without 'exit'); the signal then ends the process as it would have.
 */
function removeOnExit(remove) {
  process.once('exit', remove);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      remove();
      process.kill(process.pid, sig);
    });
  }
}

/** The same UI through the web bridge (`npm run web`), opened in the default browser. */
async function openInBrowser(why) {
  for (const line of browserLines(why)) say(line);
  await buildApp();
  const node = await run(process.execPath, [join(root, 'scripts', 'build-node.mjs')]);
  if (node.exitCode !== 0) process.exit(node.exitCode ?? 1);
  const canOpen = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  let opened = false;
  const r = await run(process.execPath, [join(root, 'out', 'web', 'web-bridge.mjs')], {
    onStdoutLine(line) {
      const url = bridgeUrl(line);
      if (!url || opened || !canOpen) return;
      opened = true;
      // The opener gets a private redirect file, not the URL: its argv is readable by every user (ps).
      // The URL is printed above either way; a missing opener only means the user clicks it.
      const page = openViaRedirectFile(url, {
        spawn: (cmd, args) => spawn(cmd, args, { stdio: 'ignore', detached: true }).on('error', () => undefined).unref(),
      });
      removeOnExit(page.remove);
    },
  });
  process.exit(r.exitCode ?? 1);
}

let plan = decide(machine());
if (plan.kind === 'fetch') {
  say(fetchLine({ version: electronVersion, host: plan.host, lastFailure: readOr(fetchFailedFile)?.trim() || undefined }));
  // Electron's own installer: @electron/get with ELECTRON_MIRROR, electron_config_cache and proxy support.
  const r = await run(process.execPath, [join(electronDir, 'install.js')], { quiet: true });
  if (r.exitCode !== 0 || r.spawnError) {
    const why = diagnose({ stage: 'download', output: r.stderr, env: process.env });
    // Remembered so the next start does not promise a first-and-only download again.
    try {
      writeFileSync(fetchFailedFile, `${why.cause}\n`);
    } catch {
      // node_modules not writable: the next start just says the first-try line again.
    }
    await openInBrowser(why);
  }
  rmSync(fetchFailedFile, { force: true });
  plan = decide(machine());
  if (plan.kind === 'fetch') {
    await openInBrowser({ cause: "Electron's installer finished but left no binary", fix: 'delete node_modules/electron, run npm install, then npm start again' });
  }
}
if (plan.kind === 'web') await openInBrowser(plan);

await buildApp();
const launched = await run(binaryPath(), plan.args, { tee: true });
const failure = diagnose({ stage: 'launch', ...launched });
if (failure?.elsewhere) {
  // Not a success: this build never ran (another instance holds the lock). Not a browser case either.
  say(`${failure.cause}.`);
  say(`fix: ${failure.fix}.`);
  process.exit(1);
}
if (failure) await openInBrowser(failure);
process.exit(launched.exitCode ?? 1);
