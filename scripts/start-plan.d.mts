// Types for scripts/start-plan.mjs (plain JS so `npm start` runs before any build).
export interface Diagnosis {
  cause: string;
  fix: string;
  /** Another TokenDesk is running and took the start over: no browser fallback, just say so. */
  elsewhere?: boolean;
}

export type StartFailure =
  | { stage: 'download'; output?: string; env?: Record<string, string | undefined> }
  | { stage: 'launch'; spawnError?: string; exitCode?: number | null; signal?: string | null; stderr?: string; elapsedMs?: number };

export interface StartInputs {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  uid?: number;
  /** /proc/sys/kernel/apparmor_restrict_unprivileged_userns, when readable. */
  apparmorRestrict?: string;
  /** Owner and mode of node_modules/electron/dist/chrome-sandbox, when it exists. */
  sandboxHelper?: { uid: number; mode: number };
  /** An AppArmor profile in /etc/apparmor.d names this Electron binary and allows userns. */
  apparmorProfile?: boolean;
  hasBinary: boolean;
  args?: string[];
}

export type StartPlan =
  | { kind: 'launch'; args: string[] }
  | { kind: 'fetch'; host: string }
  | { kind: 'web'; cause: string; fix: string | undefined; requested?: boolean };

export function downloadHost(env: Record<string, string | undefined>): string;
export function diagnose(failure: StartFailure): Diagnosis | undefined;
export function decide(inputs: StartInputs): StartPlan;
export function browserCommand(platform: NodeJS.Platform, url: string): { cmd: string; args: string[] };
export function bridgeUrl(line: string): string | undefined;
export function browserLines(why: { cause: string; fix?: string | undefined; requested?: boolean }): string[];
export function fetchLine(inp: { version: string; host: string; lastFailure?: string | undefined }): string;
export const START_WINDOW_MS: number;
