import { statSync } from 'node:fs';
import { configFile } from '../config/paths.js';
import { versionOf } from '../fs/file-version.js';
import { vaultFile } from '../secrets/vault-peek.js';
import { buildExportInput } from '../exports/input.js';
import type { ExportInput } from '../exports/model.js';
import { isDue } from '../sessions/margin.js';
import type { Core } from '../open.js';
import type { FreshToken } from '../sessions/manager.js';

export interface Served {
  fresh: FreshToken;
  input: ExportInput;
}

interface Entry extends Served {
  versions: string;
  marginSeconds: number;
}

/** The config file's and the vault's versions: any sign-in, renewal, sign-out or switch changes one of them. */
function stateVersions(home: string): string {
  const v = (path: string) => {
    try {
      return versionOf(statSync(path, { bigint: true }));
    } catch {
      return '-';
    }
  };
  return `${v(configFile(home))}|${v(vaultFile(home))}`;
}

/**
 * Fresh tokens for the endpoint: the session manager's getFreshToken (which renews inside the margin,
 * one renewal at a time across callers and processes), with what it answered kept in memory while
 * the config file and the vault are unchanged and the token still has the margin (or the caller's
 * min-valid) left. A renewal, a sign-out or a switch by the CLI or the app changes one of the two
 * files, so nothing stale is served; a cached answer costs two stat calls instead of a vault read.
 */
export class TokenSource {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Served>>();

  constructor(
    private readonly core: Pick<Core, 'home' | 'config' | 'secrets' | 'sessions'>,
    private readonly now: () => number = Date.now,
  ) {}

  get(envRef: string, identity: string | undefined, minValidMs: number | undefined): Promise<Served> {
    const key = `${envRef}\u0000${identity ?? ''}\u0000${minValidMs ?? ''}`;
    const versions = stateVersions(this.core.home);
    const hit = this.cache.get(key);
    if (hit && hit.versions === versions && !needsRenewal(hit.fresh, this.now(), hit.marginSeconds, minValidMs)) return Promise.resolve(hit);
    // Concurrent callers for the same thing share one look-up (the renewal itself is single-flight in the manager).
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = this.load(envRef, identity, minValidMs, versions)
      .then((entry) => {
        // A renewal that only warned (the server unreachable, a token still valid) is tried again next call.
        if (entry.fresh.warning) this.cache.delete(key);
        else this.cache.set(key, entry);
        return entry;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private async load(envRef: string, identity: string | undefined, minValidMs: number | undefined, versions: string): Promise<Entry> {
    const marginSeconds = (await this.core.config.read()).settings.marginSeconds;
    const fresh = await this.core.sessions.getFreshToken(envRef, identity, minValidMs === undefined ? {} : { minValidMs });
    const input = buildExportInput(fresh.env, await this.core.secrets.loadAll(), { session: fresh.session, identity: fresh.identity });
    return { fresh, input, versions, marginSeconds };
  }
}

/** The manager's rule: inside the margin, or less left than the caller's minimum. */
function needsRenewal(fresh: FreshToken, now: number, marginSeconds: number, minValidMs: number | undefined): boolean {
  const s = fresh.session;
  return isDue(s, now, marginSeconds) || (minValidMs !== undefined && !s.noExpiry && s.expiresAt - now < minValidMs);
}
