import { readFileSync } from 'node:fs';
import path from 'node:path';

/** librosa outputs written by scripts/make-augment-goldens.py. */
export interface AugmentGoldens {
  sr: number;
  input: Float32Array;
  stretch: { rate: number; length: number; y: Float32Array }[];
  pitch: { nSteps: number; length: number; y: Float32Array }[];
  phaseVocoder: {
    rate: number;
    nFft: number;
    hop: number;
    nSamples: number;
    nFrames: number;
    nBins: number;
    re: Float32Array;
    im: Float32Array;
  }[];
}

function f32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(4 * i);
  return out;
}

let cached: AugmentGoldens | null = null;

export function loadAugmentGoldens(): AugmentGoldens {
  if (cached) return cached;
  const file = path.resolve(process.cwd(), 'tests/fixtures/augment/librosa-augment.json');
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  cached = {
    sr: raw.sr,
    input: f32(raw.input),
    stretch: raw.stretch.map((s: { rate: number; length: number; y: string }) => ({ ...s, y: f32(s.y) })),
    pitch: raw.pitch.map((s: { nSteps: number; length: number; y: string }) => ({ ...s, y: f32(s.y) })),
    phaseVocoder: raw.phaseVocoder.map((p: Record<string, number | string>) => ({
      ...p,
      re: f32(p.re as string),
      im: f32(p.im as string),
    })),
  };
  return cached;
}

/** max |a - b| / max |b| over the common length (lengths are asserted separately). */
export function relMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let peak = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    peak = Math.max(peak, Math.abs(b[i]));
  }
  return err / peak;
}
