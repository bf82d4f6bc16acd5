import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decimateHalfSoxrHq } from '../../../src/core/audio/resample';
import { decimateHalf } from '../../../src/core/dsp/decimate';
import { realFft64 } from '../../../src/core/dsp/fft64';
import { f32FromBase64 } from '../../helpers/base64';

// The CQT's 2:1 step in WASM must be the JS soxr-HQ stage (float64 FFT path) bit for bit, and so
// stay within float32 rounding of python-soxr itself.

function testSignal(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i * 0.37) + 0.3 * Math.sin(i * 1.9) + ((i * 7919) % 13) / 100);
}

interface Case {
  sr_in: number;
  sr_out: number;
  x_f32_b64: string;
  y_f32_b64: string;
}


describe('decimateHalf (WASM soxr HQ 2:1)', () => {
  it.each([1, 2, 3, 100, 1001, 5000, 66150])('equals the JS float64 stage bit for bit (n = %i)', (n) => {
    const x = testSignal(n);
    const want = decimateHalfSoxrHq(x, { fft: realFft64 });
    const got = decimateHalf(x);
    expect(got.length).toBe(Math.ceil(n / 2));
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  it('applies the gain to every output', () => {
    const x = testSignal(3001);
    const plain = decimateHalf(x);
    const scaled = decimateHalf(x, Math.SQRT2);
    for (let i = 0; i < plain.length; i++) expect(scaled[i]).toBe(plain[i] * Math.SQRT2);
  });

  it('agrees with python-soxr 2:1 (soxr_hq) to float32 rounding', () => {
    const file = path.resolve(process.cwd(), 'tests/fixtures/audio/resample-expected.json');
    const cases = (JSON.parse(readFileSync(file, 'utf8')) as { cases: Case[] }).cases.filter((c) => c.sr_in === 2 && c.sr_out === 1);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const want = f32FromBase64(c.y_f32_b64);
      const got = decimateHalf(Float64Array.from(f32FromBase64(c.x_f32_b64)));
      expect(got.length).toBe(want.length);
      let err = 0;
      let max = 0;
      for (let i = 0; i < want.length; i++) {
        err = Math.max(err, Math.abs(got[i] - want[i]));
        max = Math.max(max, Math.abs(want[i]));
      }
      expect(err / max).toBeLessThan(2e-6);
    }
  });
});
