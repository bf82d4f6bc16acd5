import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BETA_PROBS_2_18, PYIN_FMAX_C7, PYIN_FMIN_C2, pyin, pyinStats, type PyinResult } from '../../../src/core/dsp/pyin';
import { GOLDEN_ROOT, readGolden } from '../../helpers/golden';
import { readWavMono } from '../../helpers/wav';

/** tests/fixtures/golden/pyin.bin.gz (scripts/goldens/pyin.py): librosa 0.11's pyin on the committed clips. */
interface PyinGolden {
  fmin: number;
  fmax: number;
  beta_probs_2_18: number[];
  clips: Record<
    string,
    {
      n_frames: number;
      float64_input_identical: boolean;
      f0: number[];
      f0_filled: number[];
      voiced_flag: number[];
      voiced_prob: number[];
    }
  >;
  /** one clip under other librosa.pyin arguments */
  other_settings: Record<
    string,
    {
      clip: string;
      kwargs: { sr: number; fmin: number; fmax: number; frame_length: number; hop_length?: number };
      f0: number[];
      voiced_flag: number[];
      voiced_prob: number[];
    }
  >;
}

const golden = readGolden<PyinGolden>(path.join(GOLDEN_ROOT, 'pyin.bin.gz'));
const clipNames = Object.keys(golden.clips);

// Tolerances. f0 is a pitch bin's frequency, fmin * 2^(k/120): the same bin gives the same number to
// 1 ulp (2.2e-16 measured, from 2 ** x), a neighbouring bin differs by 5.8e-3 relative, so 1e-6 means
// "the same bin". voiced_prob is a sum of beta-prior probabilities weighted by the Boltzmann prior:
// only the order of the additions differs from numpy/BLAS (<= 6.7e-16 measured), while a trough on
// the other side of one of the 100 thresholds would move it by ~1e-4 or more, so 1e-6 catches any
// discrete change. Voiced flags and the decoded path (f0 with fill_na=None, every frame) must be
// identical: the Viterbi here makes librosa's float64 sums in its order and breaks ties as np.argmax
// does, and 0 of the 1,049 golden frames (and 0 of 2,610 on 30 EmoDB clips, bench/features/pyin.ts)
// differ. A near-tie flipped by a 1-ulp difference in a log could in principle move one frame; that
// has not been seen, and if it ever is it should be looked at rather than allowed for.
const F0_REL = 1e-6;
const PROB_ABS = 1e-6;

function compare(r: PyinResult, filled: PyinResult, g: PyinGolden['clips'][string]): void {
  expect(r.f0.length).toBe(g.n_frames);
  expect(Array.from(r.voicedFlag)).toEqual(g.voiced_flag);
  let f0Rel = 0;
  let pathRel = 0;
  let probAbs = 0;
  for (let t = 0; t < g.n_frames; t++) {
    if (g.voiced_flag[t]) f0Rel = Math.max(f0Rel, Math.abs(r.f0[t] / g.f0[t] - 1));
    else expect(r.f0[t]).toBeNaN();
    pathRel = Math.max(pathRel, Math.abs(filled.f0[t] / g.f0_filled[t] - 1));
    probAbs = Math.max(probAbs, Math.abs(r.voicedProb[t] - g.voiced_prob[t]));
  }
  expect(f0Rel).toBeLessThan(F0_REL);
  expect(pathRel).toBeLessThan(F0_REL);
  expect(probAbs).toBeLessThan(PROB_ABS);
}

describe('pyin vs librosa 0.11 goldens', () => {
  it("uses librosa's fmin/fmax and scipy's beta(2, 18) prior exactly", () => {
    expect(PYIN_FMIN_C2).toBe(golden.fmin);
    expect(PYIN_FMAX_C7).toBe(golden.fmax);
    expect([...BETA_PROBS_2_18]).toEqual(golden.beta_probs_2_18);
  });

  it.each(clipNames)('%s (float32 input, as librosa.load gives it)', (name) => {
    const [set, ...rest] = name.split('/');
    const y = readWavMono(path.join(GOLDEN_ROOT, set, 'audio', rest.join('/'))).samples;
    compare(pyin(y), pyin(y, { fillNa: null }), golden.clips[name]);
  });

  it.each(clipNames)('%s (float64 input)', (name) => {
    const g = golden.clips[name];
    // the golden says librosa gives the same three arrays for y.astype(float64)
    expect(g.float64_input_identical).toBe(true);
    const [set, ...rest] = name.split('/');
    const y = Float64Array.from(readWavMono(path.join(GOLDEN_ROOT, set, 'audio', rest.join('/'))).samples);
    compare(pyin(y), pyin(y, { fillNa: null }), g);
  });
});

describe('pyin vs librosa 0.11 under other arguments', () => {
  it.each(Object.keys(golden.other_settings))('%s', (name) => {
    const g = golden.other_settings[name];
    const [set, ...rest] = g.clip.split('/');
    const y = readWavMono(path.join(GOLDEN_ROOT, set, 'audio', rest.join('/'))).samples;
    const { sr, fmin, fmax, frame_length: frameLength, hop_length: hopLength } = g.kwargs;
    const r = pyin(y, { sr, fmin, fmax, frameLength, hopLength });
    expect(r.f0.length).toBe(g.f0.length);
    expect(Array.from(r.voicedFlag)).toEqual(g.voiced_flag);
    for (let t = 0; t < g.f0.length; t++) {
      if (g.voiced_flag[t]) expect(Math.abs(r.f0[t] / g.f0[t] - 1)).toBeLessThan(F0_REL);
      expect(Math.abs(r.voicedProb[t] - g.voiced_prob[t])).toBeLessThan(PROB_ABS);
    }
  });
});

describe('pyin on synthetic signals', () => {
  const sr = 22050;

  it('a 220 Hz sine: 220 Hz (to the 0.1-semitone bin) and voiced on every inner frame', () => {
    const y = new Float32Array(2 * sr);
    for (let i = 0; i < y.length; i++) y[i] = 0.5 * Math.sin((2 * Math.PI * 220 * i) / sr);
    const r = pyin(y);
    expect(r.f0.length).toBe(1 + Math.floor(y.length / 512));
    // the first and last frames are half zero padding
    for (let t = 2; t < r.f0.length - 2; t++) {
      expect(r.voicedFlag[t]).toBe(1);
      // the nearest bin is 65.406 * 2^(210/120) = 219.99 Hz; half a bin is 0.29 %
      expect(Math.abs(r.f0[t] / 220 - 1)).toBeLessThan(0.003);
      expect(r.voicedProb[t]).toBeGreaterThan(0.9);
    }
  });

  it('silence: every frame unvoiced, f0 NaN, voiced probability 0', () => {
    const r = pyin(new Float32Array(sr));
    expect(r.f0.length).toBe(1 + Math.floor(sr / 512));
    expect(Array.from(r.voicedFlag).every((v) => v === 0)).toBe(true);
    expect(Array.from(r.f0).every(Number.isNaN)).toBe(true);
    expect(Array.from(r.voicedProb).every((v) => v === 0)).toBe(true);
    expect(pyin(new Float32Array(100)).f0.length).toBe(1);
  });

  it('refuses non-finite samples and impossible ranges', () => {
    expect(() => pyin(Float32Array.of(0, NaN, 0))).toThrow(/not finite/);
    expect(() => pyin(new Float32Array(10), { fmax: 20000 })).toThrow(/Nyquist/);
    expect(() => pyin(new Float32Array(10), { fmin: 10 })).toThrow(/too small/);
  });
});

describe('pyinStats', () => {
  const result = (f0: number[], flag: number[], prob: number[]): PyinResult => ({
    f0: Float64Array.from(f0),
    voicedFlag: Uint8Array.from(flag),
    voicedProb: Float64Array.from(prob),
  });

  it('pools the voiced frames in Hz as numpy does (nanmean, nanstd, nanpercentile)', () => {
    const s = pyinStats(result([NaN, 100, 200, NaN, 300, 400], [0, 1, 1, 0, 1, 1], [0.1, 0.9, 0.8, 0.2, 0.7, 0.9]));
    expect(s.f0MeanVoiced).toBeCloseTo(250, 12);
    expect(s.f0SdVoiced).toBeCloseTo(Math.sqrt(12500), 10);
    // np.percentile([100, 200, 300, 400], [10, 50, 90]) = [130, 250, 370]
    expect(s.f0Percentiles[0]).toBeCloseTo(130, 10);
    expect(s.f0Percentiles[1]).toBeCloseTo(250, 10);
    expect(s.f0Percentiles[2]).toBeCloseTo(370, 10);
    expect(s.voicedFraction).toBeCloseTo(4 / 6, 15);
    expect(s.voicedProbMean).toBeCloseTo(3.6 / 6, 15);
  });

  it('has NaN-free zeros when nothing is voiced', () => {
    const s = pyinStats(pyin(new Float32Array(22050)));
    expect(s).toEqual({ f0MeanVoiced: 0, f0SdVoiced: 0, f0Percentiles: [0, 0, 0], voicedFraction: 0, voicedProbMean: 0 });
    const empty = pyinStats(result([], [], []));
    expect(Object.values(empty).flat().every((v) => v === 0)).toBe(true);
  });

  it('on a golden clip equals numpy on librosa\'s track', () => {
    const g = golden.clips['speech/anger/de_m3_fast.wav'];
    const s = pyinStats(result(g.f0, g.voiced_flag, g.voiced_prob));
    const voiced = g.f0.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    expect(voiced.length).toBe(57);
    expect(s.voicedFraction).toBe(57 / 87);
    expect(s.f0Percentiles[1]).toBe(voiced[28]);
    expect(s.f0MeanVoiced).toBeGreaterThan(voiced[0]);
    expect(s.f0MeanVoiced).toBeLessThan(voiced[56]);
  });
});
