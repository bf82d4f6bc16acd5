import { beforeAll, describe, expect, it } from 'vitest';
import { initResampler } from '../../../src/core/audio/resample';
import { initFft } from '../../../src/core/dsp/fft';
import { withWasmSession, residentF32 } from '../../../src/core/dsp/wasm/kernels';
import { resolveFeatureConfig } from '../../../src/core/features/config';
import { extractFeatures } from '../../../src/core/features/extract';

// Long signals go through extract-long.ts chunk by chunk (bounded memory). Forced onto short signals
// with tiny chunks, it must give the whole-signal path's numbers bit for bit: chunk edges in every
// pass (STFT, harmonic median context, overlap-add carry, CQT octave frames) and both tunings.

/** A speech-like test signal: voiced segments (harmonics of a gliding pitch), pauses, noise bursts. */
function speechLike(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const y = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const seg = Math.floor(i / 5000) % 5;
    const f0 = 110 + 60 * Math.sin(i / 7000) + 25 * seg;
    phase += (2 * Math.PI * f0) / 22050;
    let v = 0;
    if (seg !== 3) for (let h = 1; h <= 8; h++) v += Math.sin(h * phase) / h;
    if (seg === 4) v = 0.5 * rnd();
    y[i] = Math.fround(0.2 * v + 0.002 * rnd());
  }
  return y;
}

describe('extractFeatures on long signals (chunked path)', () => {
  beforeAll(async () => {
    await initFft();
    await initResampler();
  });

  it.each([
    [40000, 64],
    [70001, 100],
    [33000, 31],
  ])('%i samples in chunks of %i frames: the whole-signal numbers bit for bit', (n, chunk) => {
    const y = speechLike(n, n);
    const config = resolveFeatureConfig();
    const whole = extractFeatures(y, config);
    const chunked = extractFeatures(y, config, { longFrames: 0, chunkFrames: chunk });
    expect(chunked.nFrames).toBe(whole.nFrames);
    expect(chunked.tuning).toEqual(whole.tuning);
    expect(Array.from(chunked.vector)).toEqual(Array.from(whole.vector));
    // a resident signal, kept (not consumed): the second call sees it intact
    const twice = withWasmSession(() => {
      const r = residentF32(y);
      const a = extractFeatures(r, config, { longFrames: 0, chunkFrames: chunk });
      const b = extractFeatures(r, config, { longFrames: 0, chunkFrames: chunk });
      return [a, b];
    });
    expect(Array.from(twice[0].vector)).toEqual(Array.from(whole.vector));
    expect(Array.from(twice[1].vector)).toEqual(Array.from(whole.vector));
  });

  it('computes only the blocks asked for', () => {
    const y = speechLike(30000, 5);
    for (const blocks of [['mfcc'], ['chroma', 'contrast'], ['tonnetz'], ['mel', 'tonnetz']] as const) {
      const config = resolveFeatureConfig({ blocks: [...blocks] });
      const whole = extractFeatures(y, config);
      const chunked = extractFeatures(y, config, { longFrames: 0, chunkFrames: 40 });
      expect(Array.from(chunked.vector), blocks.join()).toEqual(Array.from(whole.vector));
      expect(chunked.tuning).toEqual(whole.tuning);
    }
  });
});
