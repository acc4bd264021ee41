// Draws Sortkey Studio's application icon and writes it as PNG files under build/: icon.png
// (1024 px: electron-builder derives the macOS .icns and Windows .ico from it) and icons/NxN.png
// (the sizes Linux desktops pick from). No dependencies, no network: the shapes are computed per
// pixel with 4×4 supersampling and written with zlib.  Usage: node scripts/make-icons.js
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

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

/** An RGBA image (rows of size×4 bytes) as PNG. */
export function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Inside a rounded rectangle (coordinates in units of the icon's side). */
function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Bars of growing length: items in key order. The last one is the sort key's colour. */
const BARS = [
  { y: 0.3, length: 0.34, color: [226, 232, 240] },
  { y: 0.45, length: 0.48, color: [226, 232, 240] },
  { y: 0.6, length: 0.62, color: [251, 191, 36] },
];

/** The colour at a point, or null outside the icon. */
function paint(x, y) {
  if (!inRoundRect(x, y, 0.06, 0.06, 0.94, 0.94, 0.18)) return null;
  for (const bar of BARS) {
    if (inRoundRect(x, y, 0.2, bar.y - 0.05, 0.2 + bar.length, bar.y + 0.05, 0.05)) return bar.color;
  }
  // Background: deep blue to teal, top-left to bottom-right.
  const t = (x + y) / 2;
  return [Math.round(22 + t * 8), Math.round(42 + t * 70), Math.round(84 + t * 60)];
}

export function drawIcon(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let hits = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          hits++;
        }
      }
      const o = (py * size + px) * 4;
      if (hits === 0) continue;
      rgba[o] = Math.round(r / hits);
      rgba[o + 1] = Math.round(g / hits);
      rgba[o + 2] = Math.round(b / hits);
      rgba[o + 3] = Math.round((255 * hits) / (n * n));
    }
  }
  return encodePng(size, rgba);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(join(ROOT, 'build', 'icons'), { recursive: true });
  for (const size of ICON_SIZES) {
    const png = drawIcon(size);
    writeFileSync(join(ROOT, 'build', 'icons', `${size}x${size}.png`), png);
    if (size === 1024) writeFileSync(join(ROOT, 'build', 'icon.png'), png);
  }
  console.log(`icons written to build/ (${ICON_SIZES.join(', ')} px)`);
}
