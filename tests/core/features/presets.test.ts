import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initFft } from '../../../src/core/dsp/fft';
import { pyinStats } from '../../../src/core/dsp/pyin';
import { residentF32, withWasmSession } from '../../../src/core/dsp/wasm/kernels';
import { extractFeatures } from '../../../src/core/features/extract';
import {
  EXTENDED,
  FEATURE_PRESETS,
  PRESETS,
  PYIN_SLOT,
  REFERENCE_166,
  extractPreset,
  getPreset,
  rowStats,
} from '../../../src/core/features/presets';
import { FEATURE_PRESET_INFO } from '../../../src/shared/params';
import { GOLDEN_ROOT, goldenAudioPath, goldenClip, goldenExtended, maxRelError, readGolden } from '../../helpers/golden';
import { readWavMono } from '../../helpers/wav';

/** librosa.pyin's tracks of the golden clips (tests/fixtures/golden/pyin.bin.gz, scripts/goldens/pyin.py). */
const pyinGolden = readGolden<{ clips: Record<string, { f0: number[]; voiced_flag: number[]; voiced_prob: number[] }> }>(path.join(GOLDEN_ROOT, 'pyin.bin.gz'));

const clips = [
  ['synth', 'neutral__neutral_03_en-f3'],
  ['speech', 'neutral__en_m1_telephone'],
] as const;

describe('feature presets as data', () => {
  it('reference-166: the five reference blocks, 166 means, named in vector order', () => {
    expect(REFERENCE_166.dimension).toBe(166);
    expect(REFERENCE_166.names).toHaveLength(166);
    expect(REFERENCE_166.names.slice(0, 2)).toEqual(['mfcc_0_mean', 'mfcc_1_mean']);
    expect(REFERENCE_166.names[13]).toBe('chroma_0_mean');
    expect(REFERENCE_166.names[165]).toBe('tonnetz_5_mean');
  });

  it('extended: reference-166 first, then the sds, shape blocks, MFCC deltas and pYIN; 377 values, unique names', () => {
    expect(EXTENDED.dimension).toBe(166 + 166 + 6 * 2 + 13 * 2 + PYIN_SLOT.length);
    expect(EXTENDED.dimension).toBe(FEATURE_PRESET_INFO.extended.dimension);
    expect(EXTENDED.version).toBe(FEATURE_PRESET_INFO.extended.version);
    expect(EXTENDED.names).toHaveLength(EXTENDED.dimension);
    expect(new Set(EXTENDED.names).size).toBe(EXTENDED.names.length);
    expect(EXTENDED.names.slice(0, 166)).toEqual(REFERENCE_166.names);
    expect(EXTENDED.names.slice(166, 168)).toEqual(['mfcc_0_sd', 'mfcc_1_sd']);
    expect(EXTENDED.names.slice(332, 336)).toEqual(['rms_mean', 'rms_sd', 'zcr_mean', 'zcr_sd']);
    expect(EXTENDED.names.indexOf('mfcc_3_mean')).toBe(3);
    expect(EXTENDED.names[369]).toBe('mfcc_delta_12_sd');
    for (const n of EXTENDED.names.slice(0, 370)) expect(n).toMatch(/^[a-z_]+(_\d+)?_(mean|sd)$/);
  });

  it('names every preset of src/shared, versions them, refuses unknown ones', () => {
    expect(Object.keys(PRESETS)).toEqual([...FEATURE_PRESETS]);
    for (const p of Object.values(PRESETS)) expect(p.version).toBeGreaterThanOrEqual(1);
    expect(() => getPreset('mfcc-only')).toThrow(/unknown feature preset: mfcc-only/);
  });

  it("ends with pYIN's statistics (version 2), named by block and statistic", () => {
    expect(PYIN_SLOT).toHaveLength(7);
    expect(EXTENDED.names.slice(370)).toEqual([
      'f0_mean_voiced',
      'f0_sd_voiced',
      'f0_p10_voiced',
      'f0_p50_voiced',
      'f0_p90_voiced',
      'voiced_fraction',
      'voiced_prob_mean',
    ]);
  });

  it('rowStats: mean and population sd per row over the first T columns', () => {
    const { mean, sd } = rowStats(Float64Array.from([1, 3, 99, 2, 2, 99]), 2, 2, 3);
    expect(Array.from(mean)).toEqual([2, 2]);
    expect(Array.from(sd)).toEqual([1, 0]);
  });
});

describe.each(clips)('extended vector (%s %s)', (set, name) => {
  beforeAll(async () => {
    await initFft();
  });
  const g = goldenClip(set, name);
  const x = goldenExtended(set, name);
  const y = readWavMono(goldenAudioPath(set, g.file)).samples;

  it("starts with the reference vector's means bit for bit; reference-166 is extractFeatures' vector", () => {
    const reference = extractFeatures(y);
    const ext = extractPreset(y, 'extended');
    expect(ext.vector).toHaveLength(EXTENDED.dimension);
    expect(Array.from(ext.vector.subarray(0, 166))).toEqual(Array.from(reference.vector));
    expect(Array.from(extractPreset(y, 'reference-166').vector)).toEqual(Array.from(reference.vector));
    expect(ext.tuning).toEqual(reference.tuning);
    // the same numbers from a signal resident in WASM memory (the feature worker's path)
    const resident = withWasmSession(() => extractPreset(residentF32(y), 'extended'));
    expect(Array.from(resident.vector)).toEqual(Array.from(ext.vector));
  });

  it("its other statistics are those of librosa's frames (goldens)", () => {
    const v = extractPreset(y, 'extended').vector;
    const at = (n: string) => v[EXTENDED.names.indexOf(n)];
    const T = g.n_frames;
    const stat = (rows: number[][]) => rowStats(Float64Array.from(rows.flat()), rows.length, T);
    // reference blocks' sds from the golden frames
    const sdOf = (block: keyof typeof g.blocks) => Array.from({ length: g.blocks[block].length }, (_, i) => at(`${block}_${i}_sd`));
    for (const block of ['mfcc', 'chroma', 'mel', 'contrast'] as const) {
      expect(maxRelError(sdOf(block), Array.from(stat(g.blocks[block]).sd))).toBeLessThan(1e-5);
    }
    expect(maxRelError(sdOf('tonnetz'), Array.from(stat(g.blocks.tonnetz).sd))).toBeLessThan(1e-3);
    for (const block of ['rms', 'zcr', 'centroid', 'bandwidth', 'rolloff', 'flatness'] as const) {
      const s = stat([x.blocks[block]]);
      expect(Math.abs(at(`${block}_mean`) - s.mean[0])).toBeLessThanOrEqual(1e-6 * Math.abs(s.mean[0]));
      expect(Math.abs(at(`${block}_sd`) - s.sd[0])).toBeLessThanOrEqual(1e-5 * Math.abs(s.sd[0]));
    }
    const d = stat(x.blocks.mfcc_delta);
    const dMean = Array.from({ length: 13 }, (_, i) => at(`mfcc_delta_${i}_mean`));
    const dSd = Array.from({ length: 13 }, (_, i) => at(`mfcc_delta_${i}_sd`));
    expect(maxRelError(dSd, Array.from(d.sd))).toBeLessThan(1e-5);
    expect(maxRelError(dMean, Array.from(d.mean))).toBeLessThan(1e-4);
  });

  it("its pYIN values are pyinStats of librosa.pyin's track on the float32 signal (golden), from either array type", () => {
    const track = pyinGolden.clips[`${set}/${g.file}`];
    const s = pyinStats({ f0: Float64Array.from(track.f0), voicedFlag: Uint8Array.from(track.voiced_flag), voicedProb: Float64Array.from(track.voiced_prob) });
    expect(s.voicedFraction).toBeGreaterThan(0);
    const v = extractPreset(y, 'extended').vector;
    const at = (n: string) => v[EXTENDED.names.indexOf(n)];
    const f0 = [s.f0MeanVoiced, s.f0SdVoiced, ...s.f0Percentiles];
    const ours = ['f0_mean_voiced', 'f0_sd_voiced', 'f0_p10_voiced', 'f0_p50_voiced', 'f0_p90_voiced'].map(at);
    // the same voiced frames and pitch bins (pyin.test.ts: f0 to 2e-16), summed in another order at most
    expect(maxRelError(ours, f0)).toBeLessThan(1e-12);
    expect(at('voiced_fraction')).toBe(s.voicedFraction);
    expect(Math.abs(at('voiced_prob_mean') - s.voicedProbMean)).toBeLessThan(1e-12);
    // a Float64Array holding the same float32 values takes pyin's float32 path too, as librosa.load's output would
    expect(Array.from(extractPreset(Float64Array.from(y), 'extended').vector.subarray(370))).toEqual(Array.from(v.subarray(370)));
  });
});

describe('extended vector limits', () => {
  it("needs the delta's 9 frames (librosa raises too); reference-166 takes any length", async () => {
    await initFft();
    const short = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i / 5));
    expect(() => extractPreset(short, 'extended')).toThrow(/at least 9 frames/);
    expect(extractPreset(short, 'reference-166').vector).toHaveLength(166);
    expect(extractPreset(Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i / 5)), 'extended').vector.every(Number.isFinite)).toBe(true);
  });
});
