// `npm run dist` cannot run here (electron-builder downloads Electron), so its configuration is checked
// by electron-builder's own validator against its JSON schema (app-builder-lib/scheme.json), and the
// icons it names are built from resources/icon.svg and read back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIcons, ICNS_TYPES, ICO_SIZES, LINUX_SIZES, pngSize } from '../../scripts/icons.mjs';

interface Platform {
  target: string[];
  icon: string;
}
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  build: { appId: string; productName: string; files: string[]; asarUnpack: string[]; linux: Platform; mac: Platform; win: Platform };
};
const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const logger = { isEnabled: false, add: () => undefined };

describe('electron-builder configuration (package.json "build")', () => {
  it('passes electron-builder\'s own schema validation', async () => {
    await expect(validateConfiguration(pkg.build, logger)).resolves.toBeUndefined();
  });

  it('the validator does refuse a wrong option (so the test above can fail)', async () => {
    await expect(validateConfiguration({ ...pkg.build, linux: { ...pkg.build.linux, targetz: ['deb'] } }, logger)).rejects.toThrow(/configuration.linux should be/);
  });

  it('builds AppImage and deb, dmg, and NSIS as "TokenDesk", keeping keytar\'s native module outside the asar', () => {
    expect(pkg.build.productName).toBe('TokenDesk');
    expect(pkg.build.appId).toBe('dev.tokendesk.app'); // Windows' AppUserModelID must equal it (toasts)
    expect(pkg.build.linux.target).toEqual(['AppImage', 'deb']);
    expect(pkg.build.mac.target).toEqual(['dmg']);
    expect(pkg.build.win.target).toEqual(['nsis']);
    // A .node file cannot be dlopen()ed from inside an asar archive.
    expect(pkg.build.asarUnpack).toContain('**/*.node');
    expect(pkg.build.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'resources/**']));
    expect(pkg.main).toBe('./out/main/index.js');
  });

  it('npm run dist builds the app and the icons before electron-builder, and publishes nothing itself', () => {
    expect(pkg.scripts.dist).toBe('npm run build && node scripts/icons.mjs && electron-builder --publish never');
  });
});

describe('icons from one source (scripts/icons.mjs)', () => {
  let dir: string;
  let files: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokendesk-icons-'));
    files = await buildIcons(fileURLToPath(new URL('../../resources/icon.svg', import.meta.url)), dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the files the configuration names', () => {
    const names = files.map((f) => f.slice(dir.length + 1));
    expect(pkg.build.mac.icon).toBe('out/icons/icon.icns');
    expect(pkg.build.win.icon).toBe('out/icons/icon.ico');
    expect(pkg.build.linux.icon).toBe('out/icons/png');
    expect(names).toEqual(expect.arrayContaining(['icon.icns', 'icon.ico', ...LINUX_SIZES.map((s) => join('png', `${s}x${s}.png`))]));
  });

  it('Linux: square PNGs at each size, 1024 px the largest (macOS needs 512+)', () => {
    for (const s of LINUX_SIZES) expect(pngSize(readFileSync(join(dir, 'png', `${s}x${s}.png`)))).toEqual({ width: s, height: s });
  });

  it('Windows: an ICO whose directory lists each PNG with its size (256 written as 0) and a valid offset', () => {
    const ico = readFileSync(join(dir, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    ICO_SIZES.forEach((size, i) => {
      const e = 6 + 16 * i;
      expect(ico.readUInt8(e)).toBe(size === 256 ? 0 : size);
      const [len, off] = [ico.readUInt32LE(e + 8), ico.readUInt32LE(e + 12)];
      expect(pngSize(ico.subarray(off, off + len))).toEqual({ width: size, height: size });
    });
  });

  it('macOS: an ICNS whose length fields add up and whose elements are PNGs of their type\'s size', () => {
    const icns = readFileSync(join(dir, 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    let at = 8;
    const seen: string[] = [];
    while (at < icns.length) {
      const type = icns.toString('latin1', at, at + 4);
      const len = icns.readUInt32BE(at + 4);
      const size = ICNS_TYPES.find(([t]) => t === type)?.[1];
      expect(pngSize(icns.subarray(at + 8, at + len))).toEqual({ width: size, height: size });
      seen.push(type);
      at += len;
    }
    expect(at).toBe(icns.length);
    expect(seen).toEqual(ICNS_TYPES.map(([t]) => t));
    expect(basename(files.find((f) => f.endsWith('.icns'))!)).toBe('icon.icns');
  });
});
