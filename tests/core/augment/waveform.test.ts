import { describe, expect, it } from 'vitest';
import { addNoise, applyGain, timeShift } from '../../../src/core/augment/waveform';
import { fillStandardNormal, nextDouble, uniform } from '../../../src/core/augment/sampling';
import { Rng } from '../../../src/core/train/rng';

const Y = Float32Array.from([0.7, -0.3, 0.123456789, 1e-3, -0.999]);

describe('timeShift = np.roll', () => {
  it('matches np.roll for positive, negative and wrapping shifts', () => {
    const x = Float32Array.from([0, 1, 2, 3, 4]);
    expect(Array.from(timeShift(x, 2).y)).toEqual([3, 4, 0, 1, 2]);
    expect(Array.from(timeShift(x, -7).y)).toEqual([2, 3, 4, 0, 1]);
    expect(Array.from(timeShift(x, 12).y)).toEqual([3, 4, 0, 1, 2]);
    expect(Array.from(timeShift(x, 0).y)).toEqual([0, 1, 2, 3, 4]);
    expect(timeShift(new Float32Array(0), 3).y.length).toBe(0);
    expect(timeShift(x, -7).params).toEqual({ aug: 'shift', shiftSamples: -7 });
  });
});

describe('applyGain = float32 y * g', () => {
  it('is bit-identical to numpy (float32 array times a Python float)', () => {
    // np.array([...], float32) * 1.1 and * 0.8374, printed by numpy 2.4
    expect(Array.from(applyGain(Y, 1.1).y)).toEqual([
      0.7699999809265137, -0.33000001311302185, 0.1358024775981903, 0.0011000001104548573, -1.0989000797271729,
    ]);
    expect(Array.from(applyGain(Y, 0.8374).y)).toEqual([
      0.5861800312995911, -0.2512200176715851, 0.10338272154331207, 0.0008374000317417085, -0.8365626335144043,
    ]);
  });
});

describe('addNoise', () => {
  it('amplitude is 0.005 * max|y| (numpy value) and the same seed gives the same signal', () => {
    const a = addNoise(Y, 123);
    expect(a.params).toEqual({ aug: 'noise', noiseSeed: 123, factor: 0.005, noiseAmp: 0.004995000064373017 });
    expect(Array.from(addNoise(Y, 123).y)).toEqual(Array.from(a.y));
    expect(Array.from(addNoise(Y, 124).y)).not.toEqual(Array.from(a.y));
  });

  it('adds zero-mean noise of standard deviation noiseAmp, rounded once to float32', () => {
    const n = 20000;
    const y = new Float32Array(n).map((_, i) => Math.fround(0.8 * Math.sin(i / 9)));
    const r = addNoise(y, 7);
    const amp = r.params.noiseAmp as number;
    const z = fillStandardNormal(new Rng(7), new Float64Array(n));
    let s = 0;
    let s2 = 0;
    let mismatches = 0;
    for (let i = 0; i < n; i++) {
      if (r.y[i] !== Math.fround(y[i] + amp * z[i])) mismatches++;
      const d = (r.y[i] - y[i]) / amp;
      s += d;
      s2 += d * d;
    }
    expect(mismatches).toBe(0);
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(s2 / n) - 1)).toBeLessThan(0.03);
  });

  it('is a no-op on silence', () => {
    expect(Array.from(addNoise(new Float32Array(4), 1).y)).toEqual([0, 0, 0, 0]);
  });
});

describe('sampling', () => {
  it('uniform draws stay in [low, high) and cover the range', () => {
    const rng = new Rng(42);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < 5000; i++) {
      const u = uniform(rng, 0.8, 1.2);
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
    }
    expect(lo).toBeGreaterThanOrEqual(0.8);
    expect(hi).toBeLessThan(1.2);
    expect(lo).toBeLessThan(0.801);
    expect(hi).toBeGreaterThan(1.199);
    const d = nextDouble(new Rng(1));
    expect(d).toBe(nextDouble(new Rng(1)));
  });

  it('standard normals have unit variance and fill odd lengths', () => {
    const z = fillStandardNormal(new Rng(3), new Float64Array(10001));
    let s2 = 0;
    for (const v of z) s2 += v * v;
    expect(Math.abs(s2 / z.length - 1)).toBeLessThan(0.05);
    expect(Number.isFinite(z[10000])).toBe(true);
    expect(z[10000]).not.toBe(0);
  });
});
