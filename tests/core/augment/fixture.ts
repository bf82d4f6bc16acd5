import { readFileSync } from 'node:fs';
import path from 'node:path';
import { f32FromBase64 } from '../../helpers/base64';

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


let cached: AugmentGoldens | null = null;

export function loadAugmentGoldens(): AugmentGoldens {
  if (cached) return cached;
  const file = path.resolve(process.cwd(), 'tests/fixtures/augment/librosa-augment.json');
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  cached = {
    sr: raw.sr,
    input: f32FromBase64(raw.input),
    stretch: raw.stretch.map((s: { rate: number; length: number; y: string }) => ({ ...s, y: f32FromBase64(s.y) })),
    pitch: raw.pitch.map((s: { nSteps: number; length: number; y: string }) => ({ ...s, y: f32FromBase64(s.y) })),
    phaseVocoder: raw.phaseVocoder.map((p: Record<string, number | string>) => ({
      ...p,
      re: f32FromBase64(p.re as string),
      im: f32FromBase64(p.im as string),
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
