// The tray as users meet it on each platform, against a fake Tray that records what Electron is told.
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  const trays: Array<{ image: unknown; menus: unknown[][]; handlers: Map<string, () => void>; tooltip: string }> = [];
  class Tray {
    readonly menus: unknown[][] = [];
    readonly handlers = new Map<string, () => void>();
    tooltip = '';
    constructor(readonly image: unknown) {
      trays.push(this);
    }
    setContextMenu(m: { template: unknown[] }) {
      this.menus.push(m.template);
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    on(event: string, fn: () => void) {
      this.handlers.set(event, fn);
    }
    destroy() {}
  }
  const loaded: string[] = [];
  return {
    trays,
    loaded,
    electron: {
      Tray,
      Menu: { buildFromTemplate: (template: unknown[]) => ({ template }) },
      nativeImage: {
        createFromPath: (p: string) => (loaded.push(p), { isEmpty: () => false, path: p }),
        createEmpty: () => ({ isEmpty: () => true }),
      },
    },
  };
});
vi.mock('electron', () => fake.electron);

import { buildLoadingTrayMenuModel, trayIconFileName, type TrayAction } from '../../src-main/electron/tray-model.js';
import { TrayController } from '../../src-main/electron/tray.js';

type Item = { label?: string; enabled?: boolean; click?: () => void };

describe('TrayController', () => {
  it.each(['win32', 'linux'] as const)('%s: a left click opens the window; the menu is there at once', (platform) => {
    const actions: TrayAction[] = [];
    new TrayController('/app/resources/tray.png', (a) => actions.push(a), platform);
    const tray = fake.trays.at(-1)!;
    // Set in the constructor, before any state is read.
    expect(tray.menus).toHaveLength(1);
    const labels = (tray.menus[0] as Item[]).map((i) => i.label);
    expect(labels).toEqual(['Loading…', undefined, 'Open TokenDesk', 'Quit TokenDesk']);
    expect((tray.menus[0] as Item[])[0]!.enabled).toBe(false);
    tray.handlers.get('click')!();
    expect(actions).toEqual([{ kind: 'show' }]);
    // The loading menu works: Quit quits before the first state read.
    (tray.menus[0] as Item[])[3]!.click!();
    expect(actions.at(-1)).toEqual({ kind: 'quit' });
  });
  it('macOS: a click opens the menu (Electron does that); no click handler', () => {
    new TrayController('/app/resources/trayTemplate.png', () => undefined, 'darwin');
    expect(fake.trays.at(-1)!.handlers.has('click')).toBe(false);
    expect(fake.trays.at(-1)!.menus).toHaveLength(1);
  });
  it('the loading model is the footer of every menu', () => {
    expect(buildLoadingTrayMenuModel().filter((i) => i.type === 'normal' && i.action).map((i) => (i.type === 'normal' ? i.action : undefined))).toEqual([
      { kind: 'show' },
      { kind: 'quit' },
    ]);
  });
});

/** Decodes an 8-bit RGBA, unfiltered PNG (what scripts/make-tray-template.mjs writes). */
function decodePng(file: string) {
  const buf = readFileSync(new URL(`../../resources/${file}`, import.meta.url));
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let i = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (i < buf.length) {
    const len = buf.readUInt32BE(i);
    const type = buf.toString('ascii', i + 4, i + 8);
    const data = buf.subarray(i + 8, i + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]); // 8-bit RGBA
    }
    if (type === 'IDAT') idat.push(data);
    i += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const px: Array<[number, number, number, number]> = [];
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    expect(raw[row]).toBe(0);
    for (let x = 0; x < width; x++) {
      const o = row + 1 + x * 4;
      px.push([raw[o]!, raw[o + 1]!, raw[o + 2]!, raw[o + 3]!]);
    }
  }
  return { width, height, px };
}

describe('macOS template image', () => {
  it('is trayTemplate.png on macOS (the name makes it a template), tray.png elsewhere', () => {
    expect(trayIconFileName('darwin')).toBe('trayTemplate.png');
    expect(trayIconFileName('win32')).toBe('tray.png');
    expect(trayIconFileName('linux')).toBe('tray.png');
  });
  it('has a 16 px image and a 32 px @2x of the same name, black + alpha only, with a visible mark', () => {
    const one = decodePng('trayTemplate.png');
    const two = decodePng('trayTemplate@2x.png');
    expect([one.width, one.height, two.width, two.height]).toEqual([16, 16, 32, 32]);
    for (const img of [one, two]) {
      // A template image's colour is ignored: only black with alpha is drawn correctly in both modes.
      expect(img.px.every(([r, g, b]) => r === 0 && g === 0 && b === 0)).toBe(true);
      const opaque = img.px.filter(([, , , a]) => a > 0).length;
      expect(opaque).toBeGreaterThan(img.px.length * 0.15);
      expect(opaque).toBeLessThan(img.px.length * 0.6);
    }
  });
});
