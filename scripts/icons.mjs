// Every platform's app icon from one source, resources/icon.svg, at build time (`npm run dist` runs this
// before electron-builder): PNGs for Linux (out/icons/png/NxN.png), icon.icns for macOS and icon.ico for
// Windows. resvg renders the SVG; the ICNS and ICO containers are written here (both may hold PNG data:
// ICO since Windows Vista, ICNS types ic07-ic14 since macOS 10.7), so no network and no native tools.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** ICNS element types holding PNG data, by pixel size (Apple's "icns" type codes; @2x types reuse a size). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png) {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** An ICO file: ICONDIR, one 16-byte ICONDIRENTRY per image, then the PNGs (256 px is written as 0). */
export function icoFromPngs(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach((png, i) => {
    const { width, height } = pngSize(png);
    const e = 6 + 16 * i;
    header.writeUInt8(width >= 256 ? 0 : width, e);
    header.writeUInt8(height >= 256 ? 0 : height, e + 1);
    header.writeUInt8(0, e + 2); // no palette
    header.writeUInt8(0, e + 3);
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs]);
}

/** An ICNS file: 'icns' + total length, then (type, length incl. 8-byte header, PNG data) elements, big-endian. */
export function icnsFromPngs(elements) {
  const parts = elements.map(([type, png]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** Renders the SVG at every size needed and writes the three platforms' icon files under outDir. */
export async function buildIcons(svgPath, outDir) {
  const { Resvg } = await import('@resvg/resvg-js');
  const svg = readFileSync(svgPath, 'utf8');
  const cache = new Map();
  const render = (size) => {
    if (!cache.has(size)) cache.set(size, Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng()));
    return cache.get(size);
  };
  mkdirSync(join(outDir, 'png'), { recursive: true });
  const written = [];
  for (const size of LINUX_SIZES) {
    const file = join(outDir, 'png', `${size}x${size}.png`);
    writeFileSync(file, render(size));
    written.push(file);
  }
  const ico = join(outDir, 'icon.ico');
  writeFileSync(ico, icoFromPngs(ICO_SIZES.map(render)));
  const icns = join(outDir, 'icon.icns');
  writeFileSync(icns, icnsFromPngs(ICNS_TYPES.map(([type, size]) => [type, render(size)])));
  // electron-builder's fallback icon (and the window icon of an unpackaged Linux build) is a 512+ PNG.
  const png = join(outDir, 'icon.png');
  writeFileSync(png, render(1024));
  return [...written, ico, icns, png];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  const files = await buildIcons(join(root, 'resources', 'icon.svg'), join(root, 'out', 'icons'));
  console.log(`icons: ${files.length} files in out/icons from resources/icon.svg`);
}
