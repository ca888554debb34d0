// `npm run dist` cannot run here (electron-builder downloads Electron), so its configuration is checked
// by electron-builder's own validator against its JSON schema (app-builder-lib/scheme.json), and the
// icons it names are built from resources/icon.svg and read back.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  homepage?: string;
  build: {
    appId: string;
    productName: string;
    files: string[];
    asarUnpack: string[];
    linux: Platform;
    mac: Platform & { identity?: string | null; hardenedRuntime?: boolean; entitlements?: string; entitlementsInherit?: string };
    win: Platform;
    electronFuses?: Record<string, boolean>;
    toolsets?: { appimage?: string | null };
  };
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

// The packaged app as a user meets it (issue 26). electron-builder 26.17 and Electron 39 cannot build or
// run here, so each rule is checked through the code electron-builder itself runs on this configuration.
const lib = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(this: unknown, fuses: unknown): Promise<Record<string, unknown>> } };
};
const fuses = require('@electron/fuses') as {
  flipFuses(path: string, config: Record<string, unknown>): Promise<number>;
  getCurrentFuseWire(path: string): Promise<Record<string, unknown>>;
  FuseV1Options: Record<string, number>;
};
const { generateAppRunScript } = require('app-builder-lib/out/targets/appimage/appImageUtil.js') as {
  generateAppRunScript(config: { DesktopFileName: string; ExecutableName: string; ProductName: string; ProductFilename: string; ResourceName: string }): string;
};

describe('Electron fuses of the packaged binary', () => {
  // Electron 39's fuse wire as built (build/fuses/fuses.json5 at v39.8.9: 1 = on, 0 = off), behind
  // @electron/fuses' sentinel: a stand-in for the binary electron-builder flips after packing
  // (PlatformPackager.doAddElectronFuses, "the fuses MUST be flipped right before signing").
  const ELECTRON_39_WIRE = '10110001';
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tokendesk-fuses-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ELECTRON_RUN_AS_NODE, NODE_OPTIONS and --inspect are off; only a validated app.asar loads', async () => {
    const binary = join(dir, 'tokendesk-app');
    writeFileSync(binary, Buffer.concat([Buffer.alloc(64, 7), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from(ELECTRON_39_WIRE), Buffer.alloc(64, 7)]));
    // What electron-builder hands @electron/fuses for package.json's build.electronFuses.
    const config = await lib.PlatformPackager.prototype.generateFuseConfig.call({}, pkg.build.electronFuses);
    await fuses.flipFuses(binary, config);
    const wire = await fuses.getCurrentFuseWire(binary);
    const state = (name: string) => String.fromCharCode(wire[fuses.FuseV1Options[name]!] as number);
    // Any local process could otherwise run its own code as TokenDesk and read its keychain item
    // without a prompt. https://www.electronjs.org/docs/latest/tutorial/fuses
    expect(state('RunAsNode')).toBe('0');
    expect(state('EnableNodeOptionsEnvironmentVariable')).toBe('0');
    expect(state('EnableNodeCliInspectArguments')).toBe('0');
    expect(state('OnlyLoadAppFromAsar')).toBe('1');
    // macOS and Windows validate app.asar against the hash electron-builder embeds (Linux: not supported).
    expect(state('EnableEmbeddedAsarIntegrityValidation')).toBe('1');
    // The app serves its page over app://, so file:// keeps Electron's defaults; cookies are unused.
    expect(state('GrantFileProtocolExtraPrivileges')).toBe('1');
  });
});

describe('Linux: the AppImage starts on Ubuntu 24.04 (no libfuse2)', () => {
  it('uses the static AppImage runtime (a toolset newer than the legacy libfuse2 one)', () => {
    // app-builder-lib 26.17 AppImageTarget: toolsets.appimage null or "0.0.0" builds the legacy
    // type-2 runtime that needs libfuse.so.2 (not installed by default since Ubuntu 22.04); any other
    // enum value of scheme.json's ToolsetConfig.appimage builds with the static runtime.
    const scheme = require('app-builder-lib/scheme.json') as { definitions: { ToolsetConfig: { properties: { appimage: { anyOf: Array<{ enum?: string[] }> } } } } };
    const versions = scheme.definitions.ToolsetConfig.properties.appimage.anyOf.flatMap((a) => a.enum ?? []);
    expect(versions).toContain(pkg.build.toolsets?.appimage);
    expect(pkg.build.toolsets?.appimage).not.toBe('0.0.0');
  });

  it("its menu entry no longer turns Chromium's sandbox off everywhere (the legacy runtime's Exec did)", async () => {
    const AppImageTarget = (require('app-builder-lib/out/targets/appimage/AppImageTarget.js') as { default: new (...a: unknown[]) => { desktopEntry: { value: Promise<string> } } }).default;
    const packager = { platformSpecificBuildOptions: pkg.build.linux, config: pkg.build, appInfo: { buildVersion: '0.1.0' } };
    const target = new AppImageTarget(null, packager, { computeDesktopEntry: async (_o: unknown, exec: string) => exec }, tmpdir());
    // The legacy toolset writes "AppRun --no-sandbox %U"; AppRun below decides per machine instead.
    expect(await target.desktopEntry.value).toBe('AppRun %U');
  });

  describe("its launcher (AppRun) keeps Chromium's sandbox unless user namespaces are restricted", () => {
    let appDir: string;
    const launch = (unshareWorks: boolean, args: string[] = []) => {
      rmSync(appDir, { recursive: true, force: true });
      mkdirSync(join(appDir, 'usr', 'sbin'), { recursive: true });
      const script = (p: string, body: string) => {
        writeFileSync(p, `#!/bin/sh\n${body}\n`);
        chmodSync(p, 0o755);
      };
      writeFileSync(join(appDir, 'AppRun'), generateAppRunScript({ DesktopFileName: 'tokendesk-app.desktop', ExecutableName: 'tokendesk-app', ProductName: 'TokenDesk', ProductFilename: 'TokenDesk', ResourceName: 'appimagekit-tokendesk-app' }));
      // The app binary prints what it was given; AppRun puts usr/sbin on PATH first, so this `unshare`
      // stands for the kernel's answer (Ubuntu 24.04: kernel.apparmor_restrict_unprivileged_userns=1).
      script(join(appDir, 'tokendesk-app'), 'echo "args:$*"');
      script(join(appDir, 'usr', 'sbin', 'unshare'), unshareWorks ? 'exit 0' : 'exit 1');
      const r = spawnSync('bash', [join(appDir, 'AppRun'), ...args], { env: { ...process.env, APPDIR: appDir }, encoding: 'utf8' });
      return r.stdout.trim();
    };
    beforeAll(() => (appDir = mkdtempSync(join(tmpdir(), 'tokendesk-appdir-'))));
    afterAll(() => rmSync(appDir, { recursive: true, force: true }));

    it.skipIf(process.platform === 'win32')('sandboxed where user namespaces work, --no-sandbox where they are restricted', () => {
      expect(launch(true)).toBe('args:');
      expect(launch(false)).toBe('args:--no-sandbox');
      expect(launch(false, ['--foo'])).toBe('args:--no-sandbox --foo');
    });
  });

  it('the deb step has the project homepage it requires', () => {
    // app-builder-lib FpmTarget.computeFpmMetaInfoOptions: "Please specify project homepage".
    expect(new URL(pkg.homepage ?? '').protocol).toBe('https:');
  });
});

describe('macOS: the DMG opens on Apple silicon', () => {
  it('ad-hoc signs with the hardened runtime, even with CSC_IDENTITY_AUTO_DISCOVERY=false in CI', () => {
    // Unsigned, the bundle electron-builder edits no longer matches Electron's own signature and
    // macOS 15 says "damaged" with no Open Anyway (electron-userland/electron-builder#5850). An
    // explicit "-" is honoured whatever the discovery setting (MacTargetHelper.findSigningIdentity).
    expect(pkg.build.mac.identity).toBe('-');
    expect(pkg.build.mac.hardenedRuntime).toBe(true);
  });

  it("the entitlements allow V8's JIT and keytar's ad-hoc-signed native module", () => {
    for (const file of [pkg.build.mac.entitlements, pkg.build.mac.entitlementsInherit]) {
      const plist = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
      const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
      expect(granted.sort()).toEqual(['com.apple.security.cs.allow-jit', 'com.apple.security.cs.disable-library-validation']);
    }
  });
});
