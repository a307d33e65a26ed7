#!/usr/bin/env node
// Draws the toolbar icons (a page with a highlighted line and a margin note) as PNGs in public/icon/.
// Kept as code so the icons can be redrawn at any size without an image editor.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
};

function icon(size) {
  const px = (x, y) => {
    const u = x / size, v = y / size;
    const inside = (x0, y0, x1, y1) => u >= x0 && u < x1 && v >= y0 && v < y1;
    if (inside(0.66, 0.1, 0.94, 0.62)) return [31, 95, 191, 255]; // margin note
    if (inside(0.08, 0.06, 0.62, 0.94)) {
      if (inside(0.14, 0.36, 0.56, 0.48)) return [240, 180, 0, 255]; // highlighted line
      for (const y0 of [0.16, 0.56, 0.7, 0.82]) if (inside(0.14, y0, 0.56, y0 + 0.05)) return [120, 120, 120, 255];
      return [255, 255, 255, 255];
    }
    return [0, 0, 0, 0];
  };
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) Buffer.from(px(x, y)).copy(raw, y * (size * 4 + 1) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

mkdirSync('public/icon', { recursive: true });
for (const size of [16, 32, 48, 128]) writeFileSync(`public/icon/${size}.png`, icon(size));
