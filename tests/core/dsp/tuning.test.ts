import { describe, expect, it } from 'vitest';
import { stft } from '../../../src/core/dsp/stft';
import { magnitude } from './oracles/stft';
import { estimateTuning, medianFloat32, pitchTuning } from '../../../src/core/dsp/tuning';
import { SETS, loadIntermediates } from './intermediates';

describe.each(SETS)('estimate_tuning (%s intermediates)', (set) => {
  const { it: g, y } = loadIntermediates(set);

  it('chroma tuning (12 bins/octave on |X|) equals librosa exactly', () => {
    const spec = stft(y);
    const t = estimateTuning(magnitude(spec), spec.nFrames, spec.nBins, { sr: 22050, nFft: 2048, binsPerOctave: 12 });
    expect(t).toBe(g.chroma_stft.tuning_estimated);
  });

  it("CQT tuning (36 bins/octave on librosa's harmonic signal) equals librosa exactly", () => {
    const spec = stft(g.hpss_harmonic_signal);
    const t = estimateTuning(magnitude(spec), spec.nFrames, spec.nBins, { sr: 22050, nFft: 2048, binsPerOctave: 36 });
    expect(t).toBe(g.cqt.tuning_estimated);
  });
});

describe('pitch_tuning', () => {
  it('returns the left edge of the arg-max 0.01 bin', () => {
    // 440 Hz * 2^(0.123/12) is 0.123 of a semitone sharp -> bin [0.12, 0.13)
    const f = 440 * 2 ** (0.123 / 12);
    expect(pitchTuning([f, f, 440 * 2 ** (-0.3 / 12)], 12)).toBeCloseTo(0.12, 12);
    expect(pitchTuning([], 12)).toBe(0);
  });

  it('median of float32 values averages the middle pair in float32', () => {
    expect(medianFloat32(Float64Array.from([3, 1, 2]))).toBe(2);
    expect(medianFloat32(Float64Array.from([1, 2, 3, 4]))).toBe(2.5);
  });

  it('median by quickselect equals the sorted middle for random, tied, sorted and reversed inputs', () => {
    let seed = 11;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const sortedMedian = (v: Float64Array): number => {
      const s = Float64Array.from(v).sort();
      const n = s.length;
      return n % 2 ? s[(n - 1) >> 1] : Math.fround(Math.fround(s[n / 2 - 1] + s[n / 2]) / 2);
    };
    const inputs: Float64Array[] = [];
    for (const n of [1, 2, 3, 4, 5, 10, 101, 1000, 4097]) {
      inputs.push(Float64Array.from({ length: n }, () => Math.fround(rand())));
      inputs.push(Float64Array.from({ length: n }, () => Math.fround(Math.floor(rand() * 4) / 4)));
      inputs.push(Float64Array.from({ length: n }, (_, i) => i));
      inputs.push(Float64Array.from({ length: n }, (_, i) => n - i));
      inputs.push(new Float64Array(n).fill(0.5));
    }
    for (const v of inputs) {
      const copy = Float64Array.from(v);
      expect(medianFloat32(v)).toBe(sortedMedian(v));
      expect(v).toEqual(copy); // the input is left as it was
    }
  });
});
