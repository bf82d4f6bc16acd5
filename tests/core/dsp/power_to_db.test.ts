import { describe, expect, it } from 'vitest';
import { powerToDb, powerToDbJs } from '../../../src/core/dsp/power_to_db';
import { powerToDbWasm } from '../../../src/core/dsp/wasm/kernels';

describe('powerToDb', () => {
  it('WASM log10 stays within a few ulp of Math.log10 over the whole float range', () => {
    const xs: number[] = [];
    for (let e = -320; e <= 300; e += 0.37) xs.push(10 ** e);
    for (let i = 1; i < 5000; i++) xs.push(i / 977, 1 + i * 1e-6, Math.SQRT2 * (1 + (i - 2500) * 1e-9), 2 ** (i % 60) * 0.70710678);
    xs.push(Number.MIN_VALUE, 1, 10, 0.1, 1e-10, 5e-324);
    const S = Float64Array.from(xs);
    const wasm = powerToDbWasm(S, 0, null);
    const js = powerToDbJs(S, 0, null);
    let worst = 0;
    for (let i = 0; i < S.length; i++) {
      const ulp = Math.max(Math.abs(js[i]) * Number.EPSILON, 1e-300);
      worst = Math.max(worst, Math.abs(wasm[i] - js[i]) / ulp);
    }
    expect(worst).toBeLessThan(8);
    const decades = powerToDbWasm([1, 10, 100, 1e-10, Number.MIN_VALUE], 0, null);
    [0, 10, 20, -100, 10 * Math.log10(Number.MIN_VALUE)].forEach((want, i) => expect(decades[i]).toBeCloseTo(want, 12));
  });

  it('clamps at amin, floors at max - top_db over the whole matrix, keeps NaN and +inf', () => {
    const S = new Float64Array(300).fill(1e-3);
    S[0] = 100;
    S[1] = 0;
    S[2] = 1e-12;
    const out = powerToDb(S); // WASM path (>= 256 values)
    expect(out[0]).toBeCloseTo(20, 12);
    expect(out[1]).toBe(out[0] - 80); // the floor, not 10 log10(amin) = -100
    expect(out[3]).toBeCloseTo(-30, 12);
    const noTop = powerToDb(S, 1e-10, null);
    expect(noTop[1]).toBeCloseTo(-100, 12);
    expect(noTop[2]).toBeCloseTo(-100, 12);
    const zeros = powerToDbWasm([0, -1, 4, 0.5], 0, null); // amin 0: log10(0) = -inf, as Math.log10
    expect(Array.from(zeros)).toEqual(Array.from(powerToDbJs([0, -1, 4, 0.5], 0, null)));
    const odd = powerToDbWasm([NaN, Infinity, 1], 1e-10, null);
    expect(Number.isNaN(odd[0])).toBe(true);
    expect(odd[1]).toBe(Infinity);
    expect(odd[2]).toBe(0);
  });
});
