import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { configFile } from '../config/paths.js';
import { versionOf } from '../fs/file-version.js';
import { vaultFile } from '../secrets/vault-peek.js';
import { buildExportInput } from '../exports/input.js';
import type { ExportInput } from '../exports/model.js';
import { needsRenewal } from '../sessions/margin.js';
import type { Core } from '../open.js';
import type { FreshToken } from '../sessions/manager.js';
import type { Environment } from '../config/schema.js';
import { findEnvironment } from '../environments/service.js';
import { identityLabel } from '../../contract/identity-label.js';

export interface Served {
  fresh: FreshToken;
  input: ExportInput;
  /** The identity as the log names it. */
  label: string;
  /** When the token expires, ISO 8601 (the X-TokenDesk-Expires-At header). */
  expiresAtText: string;
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

/** However quiet the folder's watch is, the versions are read again at least this often. */
const RESTAT_MS = 1000;

/**
 * The two versions, read again only when the folder's watch saw a change to either file (or
 * RESTAT_MS passed): a stat is tens of µs on some file systems, more than the rest of a cached call.
 * Where the folder cannot be watched, every call reads them.
 */
class WatchedVersions {
  private value = '';
  private readAt = -Infinity;
  private dirty = true;
  private watcher: FSWatcher | undefined;

  constructor(private readonly home: string) {
    const names = new Set([basename(configFile(home)), basename(vaultFile(home))]);
    try {
      this.watcher = watch(home, { persistent: false }, (_event, name) => {
        if (name === null || names.has(name)) this.dirty = true;
      });
      this.watcher.on('error', () => {
        this.watcher = undefined;
      });
    } catch {
      this.watcher = undefined;
    }
  }

  current(): string {
    const t = performance.now();
    if (this.dirty || this.watcher === undefined || t - this.readAt > RESTAT_MS) {
      this.dirty = false;
      this.readAt = t;
      this.value = stateVersions(this.home);
    }
    return this.value;
  }

  close(): void {
    this.watcher?.close();
  }
}

/**
 * Fresh tokens for the endpoint: the session manager's getFreshToken (which renews inside the margin,
 * one renewal at a time across callers and processes), with what it answered kept in memory while
 * the config file and the vault are unchanged and the token still has the margin (or the caller's
 * min-valid) left. A renewal, a sign-out or a switch by the CLI or the app changes one of the two
 * files, seen by the folder's watch within moments (and by a stat at least once a second); a
 * refusal is never cached, so an environment allowed a moment ago is served at the next call.
 */
export class TokenSource {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Served>>();
  private readonly versions: WatchedVersions;

  constructor(
    private readonly core: Pick<Core, 'home' | 'config' | 'secrets' | 'sessions'>,
    private readonly now: () => number = Date.now,
  ) {
    this.versions = new WatchedVersions(core.home);
  }

  close(): void {
    this.versions.close();
  }

  /**
   * `gate` judges the environment before anything is served or renewed (it throws to refuse): on a
   * cached answer too, since the config it was cached under is still the one in force.
   */
  get(envRef: string, identity: string | undefined, minValidMs: number | undefined, gate: (env: Environment) => void): Promise<Served> {
    const key = `${envRef}\u0000${identity ?? ''}\u0000${minValidMs ?? ''}`;
    const versions = this.versions.current();
    const hit = this.cache.get(key);
    if (hit && hit.versions === versions && !needsRenewal(hit.fresh.session, this.now(), hit.marginSeconds, minValidMs)) {
      gate(hit.fresh.env);
      return Promise.resolve(hit);
    }
    // Concurrent callers for the same thing share one look-up (the renewal itself is single-flight in the manager).
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const p = this.load(envRef, identity, minValidMs, versions, gate)
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

  private async load(envRef: string, identity: string | undefined, minValidMs: number | undefined, versions: string, gate: (env: Environment) => void): Promise<Entry> {
    const cfg = await this.core.config.read();
    const env = findEnvironment(cfg, envRef);
    gate(env);
    const marginSeconds = cfg.settings.marginSeconds;
    const fresh = await this.core.sessions.getFreshToken(env.id, identity, minValidMs === undefined ? {} : { minValidMs });
    const input = buildExportInput(fresh.env, await this.core.secrets.loadAll(), { session: fresh.session, identity: fresh.identity });
    return { fresh, input, versions, marginSeconds, label: identityLabel(fresh.identity), expiresAtText: new Date(fresh.session.expiresAt).toISOString() };
  }
}

