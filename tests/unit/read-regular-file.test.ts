import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTooLargeError, readRegularFile } from '../../src-main/core/fs/read-regular-file.js';

const dir = mkdtempSync(join(tmpdir(), 'tokendesk-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRegularFile', () => {
  // The read is sized from fstat and stops on a short read: every size around the chunk and bound
  // edges must still come back whole, byte for byte.
  it.each([0, 1, 65_535, 65_536, 65_537, 200_001])('reads a %i-byte file whole', async (size) => {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31) & 0xff;
    const file = join(dir, `f-${size}`);
    writeFileSync(file, bytes);
    const read = await readRegularFile(file, 1024 * 1024);
    expect(read?.length).toBe(size);
    expect(read?.equals(bytes)).toBe(true);
  });

  it('accepts a file of exactly the bound and refuses one byte more', async () => {
    const file = join(dir, 'bound');
    writeFileSync(file, Buffer.alloc(1000, 1));
    expect((await readRegularFile(file, 1000))?.length).toBe(1000);
    await expect(readRegularFile(file, 999)).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it('says undefined for a missing file', async () => {
    expect(await readRegularFile(join(dir, 'missing'), 10)).toBeUndefined();
  });
});
