import { describe, expect, it } from 'vitest';
import { RealFft } from '../../../src/core/audio/fft-real';

function naiveDft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let t = 0; t < n; t++) {
      re[k] += x[t] * Math.cos((2 * Math.PI * k * t) / n);
      im[k] -= x[t] * Math.sin((2 * Math.PI * k * t) / n);
    }
  }
  return { re, im };
}

function signal(n: number, seed: number): Float64Array {
  const x = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

describe('RealFft (resampler FFT)', () => {
  it.each([4, 8, 16, 64, 128, 1024])('n=%i forward matches the DFT and inverse restores the input (float64)', (n) => {
    const x = signal(n, n);
    const f = new RealFft(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    f.forward(x, re, im);
    const ref = naiveDft(x);
    for (let k = 0; k <= n / 2; k++) {
      expect(re[k]).toBeCloseTo(ref.re[k], 10);
      expect(im[k]).toBeCloseTo(ref.im[k], 10);
    }
    const back = new Float64Array(n);
    f.inverse(re, im, back);
    for (let i = 0; i < n; i++) expect(back[i]).toBeCloseTo(x[i], 12);
  });

  it('float32 precision: float32 results, errors at single-precision level', () => {
    const n = 512;
    const x = signal(n, 3);
    const f = new RealFft(n, 'float32');
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    f.forward(x, re, im);
    const ref = naiveDft(x);
    let err = 0;
    let max = 0;
    for (let k = 0; k <= n / 2; k++) {
      expect(re[k]).toBe(Math.fround(re[k]));
      err = Math.max(err, Math.abs(re[k] - ref.re[k]), Math.abs(im[k] - ref.im[k]));
      max = Math.max(max, Math.hypot(ref.re[k], ref.im[k]));
    }
    expect(err / max).toBeLessThan(1e-5);
    expect(err / max).toBeGreaterThan(1e-9); // really rounded, not float64
  });
});
