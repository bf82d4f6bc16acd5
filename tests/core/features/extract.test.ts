import { describe, expect, it } from 'vitest';
import { fftIsReady, initFft } from '../../../src/core/dsp/fft';
import { extractFeatures } from '../../../src/core/features/extract';
import { maxRelError } from '../../helpers/golden';

const tone = Float32Array.from(
  { length: 22050 },
  (_, i) => 0.3 * Math.sin((2 * Math.PI * 196 * i) / 22050) + 0.1 * Math.sin((2 * Math.PI * 523 * i) / 22050),
);

describe('extractFeatures', () => {
  it('works before initFft() (float64 JS FFT everywhere) and agrees with the pffft path', async () => {
    expect(fftIsReady()).toBe(false);
    const slow = extractFeatures(tone, {}, { returnBlocks: true });
    await initFft();
    const fast = extractFeatures(tone, {}, { returnBlocks: true });
    expect(fast.tuning).toEqual(slow.tuning);
    for (const block of ['mfcc', 'chroma', 'mel', 'contrast'] as const) {
      expect(fast.blocks![block]).toEqual(slow.blocks![block]);
    }
    expect(maxRelError(fast.blocks!.tonnetz!, slow.blocks!.tonnetz!)).toBeLessThan(1e-5);
  });

  it('silence and very short inputs give finite vectors', async () => {
    await initFft();
    const silent = extractFeatures(new Float32Array(22050));
    expect(silent.vector.every(Number.isFinite)).toBe(true);
    expect(silent.tuning).toEqual({ chroma: 0, cqt: 0 });
    expect(silent.nFrames).toBe(44);
    const short = extractFeatures(Float32Array.from({ length: 100 }, (_, i) => Math.sin(i)));
    expect(short.nFrames).toBe(1);
    expect(short.vector.every(Number.isFinite)).toBe(true);
    expect(extractFeatures(new Float32Array(0)).vector.length).toBe(166);
  });

  it('reports per-stage timings when asked', async () => {
    await initFft();
    const timings: Record<string, number> = {};
    extractFeatures(tone, {}, { timings });
    expect(Object.keys(timings)).toEqual(
      expect.arrayContaining(['stft', 'mel', 'mfcc', 'chroma', 'contrast', 'hpss', 'cqt_tuning', 'cqt', 'tonnetz']),
    );
  });
});
