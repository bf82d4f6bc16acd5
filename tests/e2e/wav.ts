import fs from 'node:fs';
import { mulberry32 } from '../helpers/mulberry32';

const rng = mulberry32;

export interface ToneSpec {
  seconds: number;
  /** Fundamental in Hz; a couple of harmonics and a syllable-rate envelope make it speech-like enough to listen to. */
  freq: number;
  noise?: number;
  seed?: number;
  sampleRate?: number;
}

/** A mono 16-bit PCM WAV file. */
export function wavBytes(spec: ToneSpec): Buffer {
  const sr = spec.sampleRate ?? 22050;
  const n = Math.round(spec.seconds * sr);
  const rand = rng(spec.seed ?? 1);
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
    const fade = Math.min(1, i / (0.02 * sr), (n - i) / (0.02 * sr));
    const voiced =
      0.5 * Math.sin(2 * Math.PI * spec.freq * t) +
      0.25 * Math.sin(2 * Math.PI * 2 * spec.freq * t) +
      0.12 * Math.sin(2 * Math.PI * 3 * spec.freq * t);
    const s = fade * (envelope * voiced + (spec.noise ?? 0.03) * (rand() * 2 - 1));
    data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(s * 0.6 * 32767))), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sr, 24);
  header.writeUInt32LE(sr * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export function writeWav(file: string, spec: ToneSpec): void {
  fs.writeFileSync(file, wavBytes(spec));
}

/** A mono 32-bit float WAV (format tag 3, 18-byte fmt chunk) of exactly these samples: NaN and Inf included. */
export function floatWavBytes(samples: Float32Array, sampleRate = 16000): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(46);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(38 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(18, 16);
  header.writeUInt16LE(3, 20); // IEEE float
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(32, 34);
  header.writeUInt16LE(0, 36); // cbSize
  header.write('data', 38, 'ascii');
  header.writeUInt32LE(data.length, 42);
  return Buffer.concat([header, data]);
}
