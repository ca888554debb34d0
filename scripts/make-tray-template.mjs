// Writes resources/trayTemplate.png (16×16) and trayTemplate@2x.png (32×32): the macOS menu-bar
// icon as a template image — black pixels and alpha only, so macOS tints it for light and dark
// menu bars. A key-shaped mark drawn on a grid, written by a tiny PNG encoder (no dependency).
// Run: node scripts/make-tray-template.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA PNG from an alpha function (0..255) per pixel; colour is always black. */
export function encodeTemplatePng(size, alphaAt) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) raw[row + 1 + x * 4 + 3] = alphaAt(x, y);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A key on a 16-unit grid: a ring (the bow) on the left, a shaft with two teeth to the right. */
function keyAlpha(scale) {
  return (px, py) => {
    const x = (px + 0.5) / scale;
    const y = (py + 0.5) / scale;
    const d = Math.hypot(x - 5, y - 8);
    const ring = d <= 4 && d >= 2;
    const shaft = x >= 8.5 && x <= 15 && y >= 7 && y <= 9;
    const teeth = (x >= 11 && x <= 12.5 && y > 9 && y <= 11.5) || (x >= 13.5 && x <= 15 && y > 9 && y <= 12);
    return ring || shaft || teeth ? 255 : 0;
  };
}

const out = (name) => fileURLToPath(new URL(`../resources/${name}`, import.meta.url));
writeFileSync(out('trayTemplate.png'), encodeTemplatePng(16, keyAlpha(1)));
writeFileSync(out('trayTemplate@2x.png'), encodeTemplatePng(32, keyAlpha(2)));
console.log('wrote resources/trayTemplate.png and resources/trayTemplate@2x.png');
