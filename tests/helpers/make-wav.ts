import fs from 'node:fs';
import path from 'node:path';

/** A 16-bit PCM mono WAV of a deterministic tone (+ optional noise seed) for import tests. */
export function pcm16Wav(opts: { seconds: number; sampleRate?: number; freq?: number; seed?: number }): Buffer {
  const sr = opts.sampleRate ?? 16000;
  const n = Math.round(opts.seconds * sr);
  const data = Buffer.alloc(n * 2);
  let s = opts.seed ?? 1;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const noise = (s / 2 ** 32 - 0.5) * 0.05;
    const v = 0.4 * Math.sin((2 * Math.PI * (opts.freq ?? 220) * i) / sr) + noise;
    data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v * 32767))), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sr, 24);
  header.writeUInt32LE(sr * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export function writeFile(root: string, rel: string, content: Buffer | string): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR || '/tmp'), `ser-${prefix}-`));
}
