import { beforeAll, describe, expect, it } from 'vitest';
import { initResampler, soxrHqPlan, soxrOutputLength } from '../../../src/core/audio/resample';
import { runPlanExact } from '../../../src/core/audio/soxr-exact';
import { runPlanExactJs } from './oracles/soxr-exact';
import { runPlanChunked } from '../../../src/core/audio/soxr-chunked';
import { arena, withWasmSession } from '../../../src/core/dsp/wasm/kernels';

// The exact resampler's stages run in WASM (kernels.c soxr_*); python-soxr's own outputs (resample.test.ts)
// are short, so long signals (many DFT blocks, the clock far from its start) are checked here against
// the JS re-enactment of the same engine, bit for bit.

function noise(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(1664525, s) + 1013904223) >>> 0;
    out[i] = ((s >>> 8) - 2 ** 23) * 2 ** -25 * (i % 5000 < 300 ? 0 : 1);
  }
  return out;
}

function differing(a: Float32Array, b: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

describe('exact soxr stages in WASM', () => {
  beforeAll(() => initResampler());

  it.each([
    [16000, 22050],
    [24414, 22050],
    [44100, 22050],
    [48000, 22050],
    [8000, 22050],
    [96000, 22050],
    [192000, 22050],
    [22050, 16000],
    [18541.765956344407, 22050],
    [32000, 22050],
    [2, 1],
  ])('%f -> %i: equal to the JS engine on 3 s of noise', (srIn, srOut) => {
    const n = Math.round(3 * srIn > 100 ? 3 * srIn : 60000);
    const x = noise(n, 11);
    const plan = soxrHqPlan(srIn / srOut);
    const nOut = soxrOutputLength(n, srIn, srOut);
    const wasm = runPlanExact(plan, x, nOut);
    const js = runPlanExactJs(plan, x, nOut);
    expect(wasm.length).toBe(nOut);
    expect(differing(wasm, js)).toBe(0);
    expect(plan.stages.length).toBeGreaterThan(0);
  });
});

describe('exact soxr stages, chunk by chunk', () => {
  beforeAll(() => initResampler());

  it.each([
    [16000, 22050, 977],
    [24414, 22050, 1500],
    [44100, 22050, 4096],
    [48000, 22050, 3001],
    [96000, 22050, 2000],
    [192000, 22050, 5000],
    [8000, 22050, 333],
    [22050, 16000, 2048],
  ])('%f -> %i in chunks of %i outputs: the whole-signal output bit for bit', (srIn, srOut, chunk) => {
    const n = Math.round(2.3 * srIn);
    const x = noise(n, 5);
    const plan = soxrHqPlan(srIn / srOut);
    const nOut = soxrOutputLength(n, srIn, srOut);
    const whole = runPlanExact(plan, x, nOut);
    const got = withWasmSession(() => {
      const A = arena();
      const out = A.alloc(4 * nOut);
      runPlanChunked(A, plan, n, nOut, (lo, hi, dst) => {
        const v = A.f32(dst, hi - lo);
        for (let i = lo; i < hi; i++) v[i - lo] = i >= 0 && i < n ? x[i] : 0;
      }, out, chunk);
      return A.f32(out, nOut).slice();
    });
    expect(differing(got, whole)).toBe(0);
  });
});
