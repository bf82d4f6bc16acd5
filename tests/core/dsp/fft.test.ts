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

describe('pffft batches of frames', () => {
  beforeAll(async () => {
    await initFft();
  });

  it('framesForward equals one forward per frame, across chunk boundaries', () => {
    const n = 64;
    const hop = 12;
    const T = 600; // > one chunk of 256 frames
    const sig = Float32Array.from(signal((T - 1) * hop + n + 5));
    const f = realFft32(n);
    const from = 6;
    const width = 20;
    const dst = new Float32Array(T * width);
    f.framesForward(sig, hop, T, from, width, dst, width);
    for (const t of [0, 1, 255, 256, 257, 511, 512, T - 1]) {
      f.inputView().set(sig.subarray(t * hop, t * hop + n));
      const want = Array.from(f.forwardInPlace().subarray(from, from + width));
      expect(Array.from(dst.subarray(t * width, (t + 1) * width))).toEqual(want);
    }
    expect(() => f.framesForward(sig, 6, 2, 0, 4, dst, 4)).toThrow(/multiple of 4/);
    expect(() => f.framesForward(sig.subarray(0, 100), 12, 10, 0, 4, dst, 4)).toThrow(/shorter/);
  });

  it('inverseFramesInPlace equals one inverse per frame, across chunk boundaries', () => {
    const n = 64;
    const count = 300;
    const f = realFft32(n);
    const frames = Float32Array.from(signal(count * n));
    const want: number[][] = [];
    for (let t = 0; t < count; t++) {
      f.inputView().set(frames.subarray(t * n, (t + 1) * n));
      want.push(Array.from(f.inverseInPlace()));
    }
    f.inverseFramesInPlace(frames, count);
    for (const t of [0, 255, 256, count - 1]) expect(Array.from(frames.subarray(t * n, (t + 1) * n))).toEqual(want[t]);
  });
});
