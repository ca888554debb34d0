// A start-up failure leaves its full error (stack and causes, secrets redacted) in a file in the app's
// log folder and names that file, in the terminal and in an error box for users who launched from a menu.
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { secretLookingName, secretLookingValue } from '../core/config/secret-guard.js';

type PathApi = Pick<typeof path, 'join'>;

const REDACTED = '[redacted]';
const SECRET_HEADER = /^(authorization|proxy-authorization|apikey|x-api-key|cookie|set-cookie)$/i;

/** Removes anything token-like: auth schemes, name=value pairs with secret names, and secret-looking words. */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(Bearer|Basic|Digest|Token)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`)
    .replace(/(["']?)([\w.-]+)\1(\s*[:=]\s*)(["']?)([^\s"',;&}]+)\4/g, (all, q: string, name: string, sep: string, vq: string, value: string) =>
      // `name=value`, JSON's `"name": value` and secret headers; not prose such as `TokenDeskError: The…`
      // nor `keychain.js:45:3` in a stack (a file and line, not a key and its value).
      secretLookingName(name) && value !== REDACTED && (sep.includes('=') || q !== '' || SECRET_HEADER.test(name)) && !/^\d+(:\d+)*\)?$/.test(value) ? `${q}${name}${q}${sep}${vq}${REDACTED}${vq}` : all,
    )
    .replace(/[^\s"'`()<>[\]{},;]+/g, (word) => (word !== REDACTED && secretLookingValue(word) ? REDACTED : word));
}

function describe(error: unknown, depth = 0): string {
  if (depth > 5) return '(cause chain truncated)';
  if (!(error instanceof Error)) return `thrown value: ${String(error)}`;
  const code = (error as { code?: unknown }).code;
  const head = error.stack ?? `${error.name}: ${error.message}`;
  const lines = [typeof code === 'string' || typeof code === 'number' ? `${head}\n  code: ${code}` : head];
  if (error.cause !== undefined) lines.push(`caused by: ${describe(error.cause, depth + 1)}`);
  return lines.join('\n');
}

export interface StartupLogMeta {
  time: Date;
  appVersion: string;
  versions: Partial<Record<string, string>>;
  platform: string;
  arch: string;
}

/** The log's text: when, which build, and the whole error with its causes; no secret survives. */
export function startupLogText(error: unknown, meta: StartupLogMeta): string {
  const v = meta.versions;
  return redactSecrets(
    [
      `TokenDesk could not start (${meta.time.toISOString()})`,
      `TokenDesk ${meta.appVersion}, Electron ${v.electron ?? '?'}, Chrome ${v.chrome ?? '?'}, Node ${v.node ?? '?'}, ${meta.platform} ${meta.arch}`,
      '',
      describe(error),
      '',
    ].join('\n'),
  );
}

/**
 * Where the log goes: Electron's app.getPath('logs') when it answers, else the folder it would give
 * (Electron docs, app.getPath: macOS ~/Library/Logs/<name>, elsewhere <userData>/logs, userData being
 * %APPDATA%\<name> on Windows and $XDG_CONFIG_HOME or ~/.config/<name> on Linux). One file per failure,
 * named by time without colons (not allowed in Windows file names).
 */
export function startupLogPath(
  opts: { platform: string; time: Date; logsDir?: string; home: string; env: Partial<Record<string, string>>; productName?: string },
  p: PathApi = path,
): string {
  const name = opts.productName ?? 'TokenDesk';
  let dir = opts.logsDir;
  if (!dir) {
    if (opts.platform === 'darwin') dir = p.join(opts.home, 'Library', 'Logs', name);
    else if (opts.platform === 'win32') dir = p.join(opts.env.APPDATA || p.join(opts.home, 'AppData', 'Roaming'), name, 'logs');
    else dir = p.join(opts.env.XDG_CONFIG_HOME || p.join(opts.home, '.config'), name, 'logs');
  }
  const stamp = opts.time.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return p.join(dir, `startup-error-${stamp}.log`);
}

/** The parts of Electron's `app` and `dialog` the report uses (fakes in tests). */
export interface StartupReportDeps {
  app: { getPath(name: 'logs'): string; getVersion(): string };
  dialog?: { showErrorBox(title: string, content: string): void };
  home?: string;
  env?: Partial<Record<string, string>>;
  now?: () => Date;
  log?: (line: string) => void;
}

/** Writes the log (owner-only; the system temp folder if the log folder cannot be written), names it, returns its path. */
export function reportStartupFailure(error: unknown, deps: StartupReportDeps): string | undefined {
  const time = deps.now?.() ?? new Date();
  let logsDir: string | undefined;
  try {
    logsDir = deps.app.getPath('logs');
  } catch {
    logsDir = undefined;
  }
  const text = startupLogText(error, { time, appVersion: deps.app.getVersion(), versions: process.versions, platform: process.platform, arch: process.arch });
  const target = startupLogPath({ platform: process.platform, time, logsDir, home: deps.home ?? homedir(), env: deps.env ?? process.env });
  let written: string | undefined;
  for (const file of [target, path.join(tmpdir(), path.basename(target))]) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text, { mode: 0o600 });
      written = file;
      break;
    } catch {
      // Try the next place.
    }
  }
  const name = error instanceof Error ? error.name : 'error';
  const where = written ? `the full error is in ${written}` : 'the error could not be written to a log file';
  (deps.log ?? console.error)(`[tokendesk] could not start (${name}): ${where}`);
  try {
    deps.dialog?.showErrorBox('TokenDesk could not start', written ? `The full error is in:\n${written}` : redactSecrets(describe(error)));
  } catch {
    // No display for an error box: the terminal line above stands.
  }
  return written;
}
