import { mkdir, rename, stat } from 'node:fs/promises';
import { TokenDeskError } from '../errors.js';
import { durableWrite } from '../fs/durable-write.js';
import { ensurePrivateFolder } from '../fs/private-folder.js';
import { fileVersion } from '../fs/file-version.js';
import { FileTooLargeError, NotRegularFileError, readRegularFile } from '../fs/read-regular-file.js';
import { removeStaleTempFiles } from '../fs/temp-files.js';
import { unwritableFile } from '../fs/write-failure.js';
import { parseJson, TOO_DEEP_TEXT } from '../text/parse-json.js';
import { CONFIG_VERSION, ConfigSchema, emptyConfig, type Config } from './schema.js';
import { configFile } from './paths.js';
import { withFileLock, type LockOptions } from './lock.js';
import { migrateConfig } from './migrate.js';
import { restoreUnknownFields, unknownFields, type UnknownFields } from './unknown-fields.js';
import { describeIssue } from '../../contract/issues.js';
import { MAX_CONFIG_BYTES } from '../stored-rules.js';

/** Far above any real configuration; a bigger file is not one, and reading it would hog memory (stored-rules.ts). */
export { MAX_CONFIG_BYTES };

type Parsed =
  | { ok: true; config: Config; unknown: UnknownFields }
  | { ok: false; future: true; version: number }
  | { ok: false; future: false; reason: string };

function parse(text: string): Parsed {
  // Editors on Windows may save a UTF-8 byte order mark; it is not part of the JSON.
  const parsed = parseJson(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (!parsed.ok) return { ok: false, future: false, reason: parsed.problem === 'too_deep' ? `it is ${TOO_DEEP_TEXT}` : 'it is not valid JSON' };
  const json = parsed.value;
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > CONFIG_VERSION) return { ok: false, future: true, version };
  const current = migrateConfig(json);
  const result = ConfigSchema.safeParse(current);
  if (!result.success) return { ok: false, future: false, reason: 'it does not match the configuration format' };
  return { ok: true, config: result.data, unknown: unknownFields(current) };
}

/** `2024-05-01T10:20:30.123Z` -> `2024-05-01T102030.123Z`: colons are not allowed in Windows file names. */
const stamp = () => new Date().toISOString().replace(/:/g, '');

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const NO_UNKNOWN: UnknownFields = { top: [], settings: [], environments: new Map(), identities: new Map() };

/**
 * The configuration file: one versioned, zod-validated JSON document shared by the app and the CLI.
 * Every write happens under a cross-process lock after re-reading the file, so concurrent updates from
 * several processes never lose each other's changes. A file we cannot understand is never overwritten;
 * fields it holds that this version does not know are written back unchanged.
 */
/** Freezes `value` and everything in it: a cached config handed to many callers must not be changed by one. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class ConfigStore {
  readonly path: string;
  /**
   * The last config seen, by file version (device, inode, size, mtime and ctime in ns): a read that
   * finds the same version skips the file read, JSON.parse and the schema (a sign-in reads the config
   * three times). This store's own writes refresh it. The signature is taken before the read, so a
   * change in between only makes the next read read again. What it can miss: another process
   * writing the same number of bytes within one tick of the file system's clock (a few ms) onto a
   * reused inode; the next change after that is seen. Under the lock the file is always read.
   */
  private cache: { sig: string; config: Config } | undefined;

  constructor(
    readonly home: string,
    private readonly lockOptions: LockOptions = {},
  ) {
    this.path = configFile(home);
  }

  async read(): Promise<Config> {
    await ensurePrivateFolder(this.home);
    const sig = await this.signature();
    if (sig !== undefined && this.cache?.sig === sig) return this.cache.config;
    const text = await this.readText();
    if (text === undefined) return emptyConfig();
    const parsed = parse(text);
    if (parsed.ok) {
      const config = deepFreeze(parsed.config);
      this.cache = sig === undefined ? undefined : { sig, config };
      return config;
    }
    if (parsed.future) throw this.futureError(parsed.version);
    // Moving aside must not race a writer that may just have replaced the file with a good one.
    return this.locked(async () => (await this.load()).config);
  }

  /**
   * The configuration the file holds, or undefined when there is none or it cannot be understood.
   * Never locks and never moves a file aside: for background readers (the start's sweep, which must
   * not judge against an empty configuration, nor swallow the report a command owes its user).
   */
  async peek(): Promise<Config | undefined> {
    const sig = await this.signature();
    if (sig === undefined) return undefined;
    if (this.cache?.sig === sig) return this.cache.config;
    const text = await this.readText().catch(() => undefined);
    const parsed = text === undefined ? undefined : parse(text);
    return parsed?.ok ? deepFreeze(parsed.config) : undefined;
  }

  async update(fn: (cfg: Config) => Config | Promise<Config>): Promise<Config> {
    return this.locked(async (assertHeld) => {
      const loaded = await this.load();
      const next = await fn(loaded.config);
      const result = ConfigSchema.safeParse(next);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new TokenDeskError('config_invalid', `The configuration change was rejected: ${issue ? describeIssue(issue) : 'invalid'}`);
      }
      const bytes = Buffer.from(`${JSON.stringify(restoreUnknownFields(result.data, loaded.unknown), null, 2)}\n`, 'utf8');
      if (bytes.length > MAX_CONFIG_BYTES) {
        throw new TokenDeskError('config_invalid', `The configuration change was rejected: the configuration would be larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
      }
      // Nothing changed (a repeated sign-in, a switch to the active identity): no write, no flush, no
      // change event for the other processes.
      if (loaded.text !== undefined && bytes.equals(Buffer.from(loaded.text, 'utf8'))) return result.data;
      await assertHeld();
      this.cache = undefined;
      await durableWrite(this.path, bytes, { mode: 0o600 }).catch((e: unknown) => {
        throw this.unwritable(e);
      });
      const sig = await this.signature();
      if (sig !== undefined) this.cache = { sig, config: deepFreeze(structuredClone(result.data)) };
      return result.data;
    });
  }

  /** Undefined when the file cannot be looked at: then nothing is cached and the read says why. */
  private signature(): Promise<string | undefined> {
    return fileVersion(this.path).catch(() => undefined);
  }

  /** A full disk or a read-only folder, named with its path and the system's code (EACCES, ENOSPC…). */
  private unwritable(e: unknown): TokenDeskError {
    return unwritableFile('config_unwritable', 'The configuration', this.path, e);
  }

  private async locked<T>(fn: (assertHeld: () => Promise<void>) => Promise<T>): Promise<T> {
    await mkdir(this.home, { recursive: true, mode: 0o700 }).catch((e: unknown) => {
      throw this.unwritable(e);
    });
    await ensurePrivateFolder(this.home);
    return withFileLock(
      this.path,
      async (assertHeld) => {
        // Holding the lock, no writer of ours is mid-write: any temp file of a dead one is litter.
        await removeStaleTempFiles(this.path);
        return fn(assertHeld);
      },
      this.lockOptions,
    );
  }

  /** Reads under the lock; an unreadable file is moved aside (never overwritten) and reported. */
  private async load(): Promise<{ config: Config; unknown: UnknownFields; text?: string }> {
    const text = await this.readText();
    if (text === undefined) return { config: emptyConfig(), unknown: NO_UNKNOWN };
    const parsed = parse(text);
    if (parsed.ok) return { ...parsed, text };
    if (parsed.future) throw this.futureError(parsed.version);
    let aside = `${this.path}.corrupt-${stamp()}`;
    for (let i = 1; await exists(aside); i++) aside = `${this.path}.corrupt-${stamp()}-${i}`;
    await rename(this.path, aside);
    throw new TokenDeskError(
      'config_unreadable',
      `The configuration could not be read (${parsed.reason}); it was moved to ${aside} and TokenDesk starts from an empty configuration`,
    );
  }

  private async readText(): Promise<string | undefined> {
    try {
      return (await readRegularFile(this.path, MAX_CONFIG_BYTES))?.toString('utf8');
    } catch (e) {
      if (e instanceof NotRegularFileError) {
        throw new TokenDeskError(
          'config_unreadable',
          `The configuration file ${this.path} is not a regular file (${e.kind}); TokenDesk only reads a regular file there: move it away. It was left untouched`,
          { cause: e },
        );
      }
      if (e instanceof FileTooLargeError) {
        throw new TokenDeskError(
          'config_unreadable',
          `The configuration file ${this.path} is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB, far more than a configuration holds: move it away. It was left untouched`,
          { cause: e },
        );
      }
      const code = (e as NodeJS.ErrnoException).code;
      throw new TokenDeskError('config_unreadable', `The configuration file ${this.path} cannot be read (${code ?? 'I/O error'})`, {
        cause: e,
      });
    }
  }

  private futureError(version: number): TokenDeskError {
    return new TokenDeskError(
      'config_unreadable',
      `The configuration file ${this.path} was written by a newer TokenDesk (format version ${version}, this one reads ${CONFIG_VERSION}); update TokenDesk. The file was left untouched`,
    );
  }
}
