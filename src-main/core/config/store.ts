import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { TokenDeskError } from '../errors.js';
import { CONFIG_VERSION, ConfigSchema, emptyConfig, type Config } from './schema.js';
import { configFile } from './paths.js';
import { withFileLock, type LockOptions } from './lock.js';

type Parsed =
  | { ok: true; config: Config }
  | { ok: false; future: true; version: number }
  | { ok: false; future: false; reason: string };

function parse(text: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, future: false, reason: 'it is not valid JSON' };
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > CONFIG_VERSION) return { ok: false, future: true, version };
  const result = ConfigSchema.safeParse(json);
  if (!result.success) return { ok: false, future: false, reason: 'it does not match the configuration format' };
  return { ok: true, config: result.data };
}

/** `2024-05-01T10:20:30.123Z` -> `2024-05-01T102030.123Z`: colons are not allowed in Windows file names. */
const stamp = () => new Date().toISOString().replace(/:/g, '');

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The configuration file: one versioned, zod-validated JSON document shared by the app and the CLI.
 * Every write happens under a cross-process lock after re-reading the file, so concurrent updates from
 * several processes never lose each other's changes. A file we cannot understand is never overwritten.
 */
export class ConfigStore {
  readonly path: string;

  constructor(
    readonly home: string,
    private readonly lockOptions: LockOptions = {},
  ) {
    this.path = configFile(home);
  }

  async read(): Promise<Config> {
    const text = await this.readText();
    if (text === undefined) return emptyConfig();
    const parsed = parse(text);
    if (parsed.ok) return parsed.config;
    if (parsed.future) throw this.futureError(parsed.version);
    // Moving aside must not race a writer that may just have replaced the file with a good one.
    return this.locked(() => this.load());
  }

  async update(fn: (cfg: Config) => Config | Promise<Config>): Promise<Config> {
    return this.locked(async (assertHeld) => {
      const next = await fn(await this.load());
      const result = ConfigSchema.safeParse(next);
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        throw new TokenDeskError('config_invalid', `The configuration change was rejected: ${where}${issue?.message ?? 'invalid'}`);
      }
      assertHeld();
      await writeFileAtomic(this.path, `${JSON.stringify(result.data, null, 2)}\n`, { mode: 0o600 }).catch((e: unknown) => {
        throw this.unwritable(e);
      });
      return result.data;
    });
  }

  /** A full disk or a read-only folder, named with its path and the system's code (EACCES, ENOSPC…). */
  private unwritable(e: unknown): TokenDeskError {
    const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
    return new TokenDeskError('config_unwritable', `The configuration could not be saved to ${this.path} (${code}); nothing was changed`, { cause: e });
  }

  private async locked<T>(fn: (assertHeld: () => void) => Promise<T>): Promise<T> {
    await mkdir(this.home, { recursive: true, mode: 0o700 }).catch((e: unknown) => {
      throw this.unwritable(e);
    });
    return withFileLock(this.path, fn, this.lockOptions);
  }

  /** Reads under the lock; an unreadable file is moved aside (never overwritten) and reported. */
  private async load(): Promise<Config> {
    const text = await this.readText();
    if (text === undefined) return emptyConfig();
    const parsed = parse(text);
    if (parsed.ok) return parsed.config;
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
      return await readFile(this.path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
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
