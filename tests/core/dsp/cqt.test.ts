import { beforeAll, describe, expect, it } from 'vitest';
import { decimateHalfSoxrHq, initResampler, soxrHqPlan } from '../../../src/core/audio/resample';
import { runPlanExact } from '../../../src/core/audio/soxr-exact';
import { initFft } from '../../../src/core/dsp/fft';
import { cqtFrequencies, cqtMagnitude, C1_HZ } from '../../../src/core/dsp/cqt';
import { maxRelError } from '../../helpers/golden';
import { SETS, loadIntermediates, rowsOf } from './intermediates';

describe.each(SETS)('cqt (%s intermediates)', (set) => {
  const { it: g } = loadIntermediates(set);
  const yh = Float64Array.from(g.hpss_harmonic_signal);
  const tuning = g.cqt.tuning_estimated;
  beforeAll(async () => {
    await initFft();
    await initResampler();
  });

  it('frequencies at the estimated tuning', () => {
    expect(maxRelError(cqtFrequencies(252, C1_HZ, 36, tuning), g.cqt.frequencies_hz)).toBeLessThan(1e-14);
  });

  it("top two octaves from librosa's own soxr decimation", () => {
    // the first decimation is the golden one (librosa scales it by sqrt 2; our decimator contract does not)
    let calls = 0;
    const goldenHalf = (): Float64Array => {
      calls++;
      if (calls === 1) return Float64Array.from(g.soxr_hq_half_of_harmonic.signal, (v) => v / Math.SQRT2);
      return new Float64Array(Math.ceil(g.soxr_hq_half_of_harmonic.n / 2 ** (calls - 1)));
    };
    const C = cqtMagnitude(yh, { sr: 22050, tuning, decimate: goldenHalf });
    expect(C.nFrames).toBe(g.stft.n_frames);
    const rows = rowsOf(C.magnitude, 252, C.nFrames);
    expect(maxRelError(rows.slice(180), g.cqt.magnitude.slice(180))).toBeLessThan(1e-5);
  });

  it("default path (WASM): octave signals are librosa's own (bit-exact soxr 2:1, scaled and rounded as librosa.resample(scale=True) leaves them)", () => {
    const x = Float32Array.from(g.hpss_harmonic_signal);
    const nOut = Math.ceil(x.length / 2);
    const half = runPlanExact(soxrHqPlan(2), x, nOut).map((v) => Math.fround(v / Math.sqrt(0.5)));
    expect(half.length).toBe(g.soxr_hq_half_of_harmonic.n);
    let differing = 0;
    for (let i = 0; i < nOut; i++) if (half[i] !== Math.fround(g.soxr_hq_half_of_harmonic.signal[i])) differing++;
    expect(differing).toBe(0);
    const C = cqtMagnitude(yh, { sr: 22050, tuning });
    expect(maxRelError(rowsOf(C.magnitude, 252, C.nFrames), g.cqt.magnitude)).toBeLessThan(1e-6);
  });

  it.each(['f32', 'f64'] as const)('all 7 octaves with the soxr-HQ-equivalent decimator (%s FFT)', (precision) => {
    const C = cqtMagnitude(yh, { sr: 22050, tuning, decimate: decimateHalfSoxrHq, precision });
    expect(maxRelError(rowsOf(C.magnitude, 252, C.nFrames), g.cqt.magnitude)).toBeLessThan(1e-5);
  });
});
