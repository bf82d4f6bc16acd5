import { beforeAll, describe, expect, it } from 'vitest';
import { RealFft64 } from '../../../src/core/dsp/fft64';
import { fftIsReady, initFft, realFft32 } from '../../../src/core/dsp/fft';

function naiveRfft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let i = 0; i < n; i++) {
      const a = (-2 * Math.PI * ((k * i) % n)) / n;
      re[k] += x[i] * Math.cos(a);
      im[k] += x[i] * Math.sin(a);
    }
  }
  return { re, im };
}

function signal(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * i * 0.001) - 0.1);
}

describe('fft', () => {
  beforeAll(async () => {
    await initFft();
  });

  it.each([4, 64, 1024, 2048])('float64 rfft of %i points equals the DFT and inverts', (n) => {
    const x = signal(n);
    const want = naiveRfft(x);
    const f = new RealFft64(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    f.forward(x as Float64Array, re, im);
    for (let k = 0; k <= n / 2; k++) {
      expect(Math.abs(re[k] - want.re[k])).toBeLessThan(1e-10 * n);
      expect(Math.abs(im[k] - want.im[k])).toBeLessThan(1e-10 * n);
    }
    const back = new Float64Array(n);
    f.inverse(re, im, back);
    for (let i = 0; i < n; i++) expect(back[i]).toBeCloseTo(x[i], 12);
  });

  it('pffft float32 rfft agrees with the DFT to float32 precision and inverts', () => {
    expect(fftIsReady()).toBe(true);
    const n = 1024;
    const x = signal(n);
    const want = naiveRfft(x);
    const f = realFft32(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    f.forward(x as Float64Array, re, im);
    const scale = Math.max(...want.re.map(Math.abs));
    for (let k = 0; k <= n / 2; k++) {
      expect(Math.abs(re[k] - want.re[k]) / scale).toBeLessThan(1e-5);
      expect(Math.abs(im[k] - want.im[k]) / scale).toBeLessThan(1e-5);
    }
    const back = new Float64Array(n);
    f.inverse(re, im, back);
    for (let i = 0; i < n; i++) expect(Math.abs(back[i] - x[i])).toBeLessThan(1e-5);
  });
});
