import { describe, expect, it } from 'vitest';
import { pairwiseSumF32, pairwiseSumF64 } from '../../../src/core/dsp/pairwise';
import {
  rms,
  spectralBandwidth,
  spectralCentroid,
  spectralFlatness,
  spectralRolloff,
  zeroCrossingRate,
} from '../../../src/core/dsp/spectral';
import { stft } from '../../../src/core/dsp/stft';
import { goldenAudioPath, goldenClipNames, goldenExtended, maxRelError } from '../../helpers/golden';
import { readWavMono } from '../../helpers/wav';
import { magnitude } from './oracles/stft';

const SR = 22050;
const N_FFT = 2048;
const clips = (['synth', 'speech'] as const).flatMap((set) => goldenClipNames(set).map((name) => [set, name] as const));

// librosa 0.11 on the committed clips (golden.py --extended). The sums are numpy's own (pairwise,
// float32 where librosa's are), so most blocks agree bit for bit; flatness goes through float32 log
// and exp, whose last bits numpy's SIMD loops round differently now and then.
describe.each(clips)('frame features (%s %s)', (set, name) => {
  const g = goldenExtended(set, name);
  const y = readWavMono(goldenAudioPath(set, g.file)).samples;
  const spec = stft(y);
  const S = magnitude(spec);
  const T = spec.nFrames;
  const K = spec.nBins;
  const opts = { sr: SR, nFft: N_FFT };

  it('has the golden frame count', () => {
    expect(T).toBe(g.n_frames);
  });

  it('rms (from the signal, zero padding) and zero_crossing_rate (edge padding) match bit for bit', () => {
    expect(Array.from(rms(y))).toEqual(g.blocks.rms);
    expect(Array.from(zeroCrossingRate(y))).toEqual(g.blocks.zcr);
  });

  it('spectral_centroid and spectral_bandwidth (p=2) match to float64 rounding', () => {
    const centroid = spectralCentroid(S, T, K, opts);
    expect(maxRelError(centroid, g.blocks.centroid)).toBeLessThan(1e-12);
    expect(maxRelError(spectralBandwidth(S, T, K, opts), g.blocks.bandwidth)).toBeLessThan(1e-12);
    expect(spectralBandwidth(S, T, K, { ...opts, centroid })).toEqual(spectralBandwidth(S, T, K, opts));
  });

  it('spectral_rolloff (0.85) picks the same bin in every frame', () => {
    expect(Array.from(spectralRolloff(S, T, K, { ...opts, rollPercent: 0.85 }))).toEqual(g.blocks.rolloff);
  });

  it('spectral_flatness (amin 1e-10, power 2) matches to float32 rounding', () => {
    const flat = spectralFlatness(S, T, K, { amin: 1e-10, power: 2.0 });
    expect(maxRelError(flat, g.blocks.flatness)).toBeLessThan(1e-6);
    for (let t = 0; t < T; t++) expect(Math.abs(flat[t] - g.blocks.flatness[t])).toBeLessThanOrEqual(5e-6 * g.blocks.flatness[t]);
  });
});

describe('frame features: edge cases', () => {
  it('silence: rms 0, no crossings, centroid 0 (frames below float32 tiny are not normalised), flatness 1', () => {
    const y = new Float32Array(4096);
    expect(Array.from(rms(y))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(zeroCrossingRate(y)).every((v) => v === 0)).toBe(true);
    const S = new Float32Array(9 * 1025);
    expect(Array.from(spectralCentroid(S, 9, 1025, { sr: SR, nFft: N_FFT })).every((v) => v === 0)).toBe(true);
    expect(Array.from(spectralRolloff(S, 9, 1025, { sr: SR, nFft: N_FFT })).every((v) => v === 0)).toBe(true);
    const flat = spectralFlatness(S, 9, 1025);
    for (const v of flat) expect(v).toBeCloseTo(1, 5);
  });

  it('a sign change every sample: zcr counts 2047 of 2048 in inner frames', () => {
    const y = Float32Array.from({ length: 8192 }, (_, i) => (i % 2 ? 0.5 : -0.5));
    const z = zeroCrossingRate(y);
    expect(z[4]).toBe(2047 / 2048);
    // the first frame starts with 1024 copies of the first sample (edge padding): 1023 crossings after them
    expect(z[0]).toBe(1023 / 2048);
  });

  it('the shortcuts (shared rms blocks, zcr per hop segment) equal the frame-by-frame definitions', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
    const y = Float32Array.from({ length: 9000 }, (_, i) => (i % 700 < 50 ? 0 : rand()));
    const direct = (frameLength: number, hop: number, center: boolean) => {
      const pad = center ? frameLength >> 1 : 0;
      const at = (p: number, edge: boolean) => (p < pad ? (edge ? y[0] : 0) : p >= pad + y.length ? (edge ? y[y.length - 1] : 0) : y[p - pad]);
      const T = 1 + Math.floor((y.length + 2 * pad - frameLength) / hop);
      const r: number[] = [];
      const z: number[] = [];
      for (let t = 0; t < T; t++) {
        const sq = Float32Array.from({ length: frameLength }, (_, i) => Math.fround(at(t * hop + i, false) ** 2));
        r.push(Math.fround(Math.sqrt(Math.fround(pairwiseSumF32(sq, 0, frameLength) / frameLength))));
        let c = 0;
        for (let i = 1; i < frameLength; i++) if (at(t * hop + i, true) < -Math.fround(1e-10) !== at(t * hop + i - 1, true) < -Math.fround(1e-10)) c++;
        z.push(c / frameLength);
      }
      return { r, z };
    };
    for (const [frameLength, hop, center] of [[2048, 512, true], [2048, 384, true], [1000, 256, false], [2048, 512, false]] as const) {
      const d = direct(frameLength, hop, center);
      expect(Array.from(rms(y, { frameLength, hop, center }))).toEqual(d.r);
      expect(Array.from(zeroCrossingRate(y, { frameLength, hop, center }))).toEqual(d.z);
    }
  });

  it('refuses a roll percent outside (0, 1), a non-positive amin and too little |X|', () => {
    const S = new Float32Array(1025);
    expect(() => spectralRolloff(S, 1, 1025, { sr: SR, nFft: N_FFT, rollPercent: 1 })).toThrow(/range/);
    expect(() => spectralFlatness(S, 1, 1025, { amin: 0 })).toThrow(/amin/);
    expect(() => spectralCentroid(S, 2, 1025, { sr: SR, nFft: N_FFT })).toThrow(/expected 2 x 1025/);
  });

  it("pairwise sums follow numpy's blocking (8 accumulators, halves above 128)", () => {
    const a = Float64Array.from({ length: 1025 }, (_, i) => Math.fround(1 / (i + 1)));
    let seq = 0;
    for (const v of a) seq += v;
    expect(pairwiseSumF64(a, 0, a.length)).toBeCloseTo(seq, 12);
    // float32: the blocked sum differs from a running float32 sum, and is closer to the exact one
    let run = 0;
    for (const v of a) run = Math.fround(run + v);
    const pw = pairwiseSumF32(a, 0, a.length);
    expect(Math.abs(pw - seq)).toBeLessThanOrEqual(Math.abs(run - seq));
    expect(pairwiseSumF32(a, 3, 5)).toBe(Math.fround(Math.fround(Math.fround(Math.fround(a[3] + a[4]) + a[5]) + a[6]) + a[7]));
  });
});
