import { constants } from 'node:fs';
import { open, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { EndpointLogEntry } from '../../contract/endpoint.js';
import { NOFOLLOW } from '../fs/read-regular-file.js';
import { describeWriteError } from '../fs/write-failure.js';
import { sanitizeForDisplay } from '../text/sanitize.js';

/** The log and its one older part: together at most twice this. */
export const ACCESS_LOG_MAX_BYTES = 256 * 1024;
const FILE = 'endpoint-access.log';

export const accessLogFile = (home: string): string => join(home, FILE);

const Entry = z.object({
  time: z.number(),
  route: z.string().max(200),
  status: z.number().int(),
  userAgent: z.string().max(300),
  env: z.string().max(200).optional(),
  identity: z.string().max(300).optional(),
  code: z.string().max(60).optional(),
  scoped: z.string().max(100).optional(),
});

/** Text from a caller is cut short and made safe to show in a terminal or the window. */
const clean = (text: string, max: number): string => sanitizeForDisplay(text).slice(0, max);

/**
 * The endpoint's access log: one JSON line per call in the config folder (time, route, status, the
 * caller's User-Agent, environment, identity, whether it came with a scoped secret — never a token or
 * a secret). Bounded: past ACCESS_LOG_MAX_BYTES the file becomes `.1` (the previous `.1` is dropped).
 * Writes are queued behind the answer, one at a time.
 */
export class AccessLog {
  private pending: EndpointLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();

  /** Why the last write failed (a full disk, a read-only folder), until one succeeds again. */
  private failure: string | undefined;

  /** `batchMs`: lines recorded within it are written together, so a burst of calls is one write, not one each. */
  constructor(
    private readonly home: string,
    private readonly maxBytes = ACCESS_LOG_MAX_BYTES,
    private readonly batchMs = 50,
    /** Told when writes start failing (the message) and when they work again (undefined). */
    private readonly onProblem?: (problem: string | undefined) => void,
  ) {}

  /** Why calls are answered but not logged, or undefined while the log is written. */
  get problem(): string | undefined {
    return this.failure;
  }

  record(entry: EndpointLogEntry): void {
    // Cleaned when written, off the path of the call's answer.
    this.pending.push(entry);
    this.timer ??= setTimeout(() => void this.writePending(), this.batchMs);
    this.timer.unref();
  }

  private static line(entry: EndpointLogEntry): string {
    const line: EndpointLogEntry = {
      time: entry.time,
      route: clean(entry.route, 200),
      status: entry.status,
      userAgent: clean(entry.userAgent, 300),
      ...(entry.env !== undefined && { env: clean(entry.env, 200) }),
      ...(entry.identity !== undefined && { identity: clean(entry.identity, 300) }),
      ...(entry.code !== undefined && { code: clean(entry.code, 60) }),
      ...(entry.scoped !== undefined && { scoped: clean(entry.scoped, 100) }),
    };
    return `${JSON.stringify(line)}\n`;
  }

  /** Resolves once every line recorded so far is written. */
  flush(): Promise<void> {
    return this.writePending();
  }

  private writePending(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const text = this.pending.map((e) => AccessLog.line(e)).join('');
    this.pending = [];
    // A log that cannot be written never fails the call it records: it is said (problem) instead.
    if (text !== '') this.queue = this.queue.then(() => this.append(text)).then(() => this.report(undefined), (e: unknown) => this.report(e));
    return this.queue;
  }

  private report(e: unknown): void {
    const problem = e === undefined ? undefined : `The access log could not be written to ${accessLogFile(this.home)} ${describeWriteError(e)}. Calls are still answered, but not logged`;
    if (problem === this.failure) return;
    this.failure = problem;
    this.onProblem?.(problem);
  }

  private async append(text: string): Promise<void> {
    const path = accessLogFile(this.home);
    const size = await stat(path).then((s) => s.size, () => 0);
    if (size + text.length > this.maxBytes) await rename(path, `${path}.1`).catch(() => undefined);
    // O_NOFOLLOW: a symbolic link planted in its place is refused, never followed.
    const fh = await open(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | NOFOLLOW, 0o600);
    try {
      const before = (await fh.stat()).size;
      // A writer killed mid-line left no newline: end that line first, or this one's first line is lost with it.
      const cut = before > 0 && (await fh.read(Buffer.alloc(1), 0, 1, before - 1)).buffer[0] !== 0x0a;
      // writeFile, not write: it goes on after a short write (a nearly full disk) until it fails or is done.
      await fh.writeFile(cut ? `\n${text}` : text).catch(async (e: unknown) => {
        // A full disk took part of the lines: take them back, so the log holds whole lines only.
        await fh.truncate(before).catch(() => undefined);
        throw e;
      });
    } finally {
      await fh.close();
    }
  }
}

/** The most recent calls first, at most `limit`; lines that do not parse are skipped. */
export async function readAccessLog(home: string, limit = 200): Promise<EndpointLogEntry[]> {
  const path = accessLogFile(home);
  const read = (p: string) => readFile(p, { encoding: 'utf8', flag: constants.O_RDONLY | NOFOLLOW }).catch(() => '');
  const text = `${await read(`${path}.1`)}${await read(path)}`;
  const out: EndpointLogEntry[] = [];
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
    const line = lines[i]!;
    if (line === '') continue;
    try {
      const parsed = Entry.safeParse(JSON.parse(line));
      if (parsed.success) out.push(stripUndefined(parsed.data));
    } catch {
      // a line cut by a full disk: skipped
    }
  }
  return out;
}

function stripUndefined(e: z.infer<typeof Entry>): EndpointLogEntry {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as unknown as EndpointLogEntry;
}
