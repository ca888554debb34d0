/**
 * Which tests can run on this machine, decided in one place. Each guard answers with the reason a test
 * cannot run here (the test then skips with that reason, printed by `skipping`), or undefined.
 *
 * TOKENDESK_TEST_PLATFORM=win32|darwin|linux makes the guards answer for that OS, so a Linux machine
 * rehearses what the macOS and Windows runners will skip (the code under test still runs on Linux).
 * TOKENDESK_REQUIRE_TMPFS=1 (set by .ci/run, which runs as root) makes a missing tmpfs a failure: the
 * full-disk and read-only tests must run there, and CI=true alone cannot say so (GitHub sets it too, on
 * runners that are not root).
 */

export type TestPlatform = 'linux' | 'darwin' | 'win32';

export interface Machine {
  platform: TestPlatform | NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** Root ignores file permissions (chmod 0555 does not stop it). */
  isRoot: boolean;
}

const PLATFORMS: readonly string[] = ['linux', 'darwin', 'win32'];

/** This machine, or the platform TOKENDESK_TEST_PLATFORM names. */
export function thisMachine(env: Record<string, string | undefined> = process.env): Machine {
  const fake = env.TOKENDESK_TEST_PLATFORM;
  if (fake !== undefined && fake !== '' && !PLATFORMS.includes(fake)) {
    throw new Error(`TOKENDESK_TEST_PLATFORM must be one of ${PLATFORMS.join(', ')} (got "${fake}")`);
  }
  const platform = (fake || process.platform) as Machine['platform'];
  // A faked Windows has no uid; a faked macOS keeps the real one.
  const isRoot = platform !== 'win32' && process.getuid?.() === 0;
  return { platform, env, isRoot };
}

/**
 * Linux's keychain is the Secret Service over D-Bus (here a throwaway gnome-keyring, scripts/with-keyring.sh).
 * macOS and Windows have none: keytar uses the Keychain and the Credential Manager there, so only the
 * tests that drive D-Bus or gnome-keyring themselves skip.
 */
export function secretServiceMissing(m: Machine): string | undefined {
  return m.platform === 'linux' ? undefined : `the Secret Service (D-Bus, gnome-keyring) is Linux's keychain; ${m.platform} has its own`;
}

/** Python's pty module: "Availability: Unix" (https://docs.python.org/3/library/pty.html). */
export function ptyMissing(m: Machine): string | undefined {
  return m.platform === 'win32' ? "no pseudo-terminal on Windows (Python's pty module is Unix-only)" : undefined;
}

/**
 * A child that handles SIGTERM or SIGINT: on Windows "the signal argument will be ignored, and the process
 * will be killed forcefully and abruptly" (https://nodejs.org/api/child_process.html#subprocesskillsignal).
 */
export function signalsMissing(m: Machine): string | undefined {
  return m.platform === 'win32' ? 'Windows has no POSIX signals (child.kill ends the process at once)' : undefined;
}

/** /dev/full, the device whose writes fail with ENOSPC, is Linux's (full(4)); macOS and Windows have none. */
export function devFullMissing(m: Machine): string | undefined {
  return m.platform === 'linux' ? undefined : `${m.platform} has no /dev/full`;
}

/** FIFOs (mkfifo), Unix sockets on a file path and /dev/zero: Unix file types Windows does not have. */
export function unixFilesMissing(m: Machine): string | undefined {
  return m.platform === 'win32' ? 'Windows has no FIFOs, Unix sockets on a path or /dev/zero' : undefined;
}

/**
 * POSIX permission bits: "on Windows only the write permission can be changed" and stat reports 0o666 or
 * 0o444 (https://nodejs.org/api/fs.html#file-modes), so a 0600 or 0700 check cannot hold there.
 */
export function fileModesMissing(m: Machine): string | undefined {
  return m.platform === 'win32' ? 'Windows has no POSIX permission bits (fs.chmod sets only the read-only flag)' : undefined;
}

/** A folder made unwritable with chmod: Windows ignores the bits on folders, root ignores them everywhere. */
export function chmodIgnored(m: Machine): string | undefined {
  return fileModesMissing(m) ?? (m.isRoot ? 'root ignores file permissions' : undefined);
}

/** Electron needs an X11 or Wayland display on Linux (CI runs it under xvfb-run); macOS and Windows always have one. */
export function displayMissing(m: Machine): string | undefined {
  if (m.platform !== 'linux' || m.env.DISPLAY || m.env.WAYLAND_DISPLAY) return undefined;
  return 'no display (DISPLAY and WAYLAND_DISPLAY are unset; run it under xvfb-run)';
}

/**
 * tmpfs is Linux's, and `mount -t tmpfs` needs root. `mountFailure` is why mounting failed on this Linux
 * (undefined: it worked). Where TOKENDESK_REQUIRE_TMPFS=1 a missing tmpfs throws instead of skipping.
 */
export function tmpfsMissing(m: Machine, mountFailure: string | undefined): string | undefined {
  const reason =
    m.platform !== 'linux' ? `${m.platform} has no tmpfs` : mountFailure === undefined ? undefined : `cannot mount a tmpfs (${mountFailure}); these tests need root`;
  if (reason !== undefined && m.env.TOKENDESK_REQUIRE_TMPFS === '1') {
    throw new Error(`TOKENDESK_REQUIRE_TMPFS=1 but ${reason}`);
  }
  return reason;
}

/** Prints why `what` is skipped (vitest lists the skipped tests by name; this says why). */
export function skipping(what: string, reason: string | undefined): string | undefined {
  if (reason !== undefined) console.warn(`Skipping ${what}: ${reason}`);
  return reason;
}
