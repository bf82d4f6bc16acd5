/**
 * Opaque charts as RGB PNGs. Skia writes RGBA; pdfkit must then decode every pixel in JavaScript to split the
 * alpha channel into a soft mask (seconds per page on a busy machine), while an RGB PNG's compressed data goes
 * into the PDF as it is. Charts are drawn on white paper, so the alpha channel carries nothing.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** RGBA pixels (alpha ignored) as an 8-bit RGB PNG, each row with the "Up" filter (flat areas compress to nothing). */
export function rgbPng(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray): Uint8Array {
  const stride = width * 3;
  const raw = Buffer.alloc(height * (stride + 1));
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = new Uint8Array(stride);
    for (let x = 0, i = y * width * 4; x < width; x++, i += 4) {
      row[x * 3] = rgba[i];
      row[x * 3 + 1] = rgba[i + 1];
      row[x * 3 + 2] = rgba[i + 2];
    }
    const o = y * (stride + 1);
    raw[o] = 2;
    for (let x = 0; x < stride; x++) raw[o + 1 + x] = (row[x] - prev[x]) & 0xff;
    prev = row;
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0))]),
  );
}
