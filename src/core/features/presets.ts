import { DEFAULT_FEATURE_PRESET, FEATURE_BLOCKS, FEATURE_PRESET_INFO, FEATURE_PRESETS, FIXED_BLOCK_ROWS, type FeaturePresetName } from '../../shared/params';
import { delta } from '../dsp/delta';
import { PYIN_FMAX_C7, PYIN_FMIN_C2, pyin, pyinStats } from '../dsp/pyin';
import { rms, spectralCentroidBandwidth, spectralFlatness, spectralRolloff, zeroCrossingRate } from '../dsp/spectral';
import type { WasmF32 } from '../dsp/wasm/kernels';
import { type FeatureBlock, type FeatureConfig, isPresetName, presetConfig } from './config';
import { type ExtractOptions, type FeatureResult, type FrameSink, extractFeatures } from './extract';

export { DEFAULT_FEATURE_PRESET, FEATURE_PRESETS, type FeaturePresetName };

/**
 * Feature presets as data: a preset is a named, versioned list of parts, each a per-frame block and
 * the statistic over time taken of it; the vector is the parts' values in list order, and
 * `extractPreset` walks that list. `reference-166` is the reference's vector (the five blocks'
 * means, exactly extractFeatures' vector); `extended` starts with those same 166 numbers and adds
 * the blocks' standard deviations, rms, zero-crossing rate, spectral centroid, bandwidth, rolloff
 * and flatness (mean and sd each), the MFCC deltas (mean and sd) and F0 by pYIN (PYIN_SLOT: statistics
 * over the voiced frames, voiced fraction and probability; version 2), all librosa 0.11 definitions
 * (dsp/spectral.ts, dsp/delta.ts, dsp/pyin.ts) on the signal and |X| the reference blocks already use.
 */

/** pYIN's blocks (src/core/dsp/pyin.ts): the f0 track, the voiced flags and the voiced probability. */
export type PyinBlock = 'f0' | 'voiced' | 'voiced_prob';

/** The extended preset's frame-level blocks beyond the reference ones, in vector order. */
export const SHAPE_BLOCKS = ['rms', 'zcr', 'centroid', 'bandwidth', 'rolloff', 'flatness'] as const;
export type ShapeBlock = (typeof SHAPE_BLOCKS)[number];

/** Every per-frame block a preset may take a statistic of. */
export type FrameBlock = FeatureBlock | ShapeBlock | 'mfcc_delta' | PyinBlock;

/**
 * Statistics over the frames of a block: the mean, and the population standard deviation (numpy's std, ddof 0);
 * for pYIN's blocks those of pyinStats (dsp/pyin.ts): f0's mean, sd and percentiles over the voiced frames only
 * ('<stat>_voiced', in Hz), the voiced frames' fraction, the voiced probability's mean over all frames.
 */
export type Stat = 'mean' | 'sd' | 'mean_voiced' | 'sd_voiced' | 'p10_voiced' | 'p50_voiced' | 'p90_voiced' | 'fraction';

export interface PresetPart {
  block: FrameBlock;
  stat: Stat;
}

/** Rows of each block (one per frame for the scalar ones); MFCC fixed at the reference's 13 in presets. */
export const FRAME_BLOCK_ROWS: Readonly<Record<FrameBlock, number>> = Object.freeze({
  mfcc: 13,
  ...FIXED_BLOCK_ROWS,
  rms: 1,
  zcr: 1,
  centroid: 1,
  bandwidth: 1,
  rolloff: 1,
  flatness: 1,
  mfcc_delta: 13,
  f0: 1,
  voiced: 1,
  voiced_prob: 1,
});

/** The frame-level settings of the blocks (librosa 0.11 defaults, see dsp/spectral.ts and dsp/delta.ts). */
export const FRAME_SETTINGS = Object.freeze({
  nFft: 2048,
  hop: 512,
  frameLength: 2048,
  rollPercent: 0.85,
  flatnessAmin: 1e-10,
  flatnessPower: 2.0,
  deltaWidth: 9,
});

export interface FeaturePreset {
  name: FeaturePresetName;
  /** Bumped whenever the parts or their definitions change (vectors of different versions do not mix). */
  version: number;
  description: string;
  /** The reference blocks it has extractFeatures compute (sample rate, MFCC count). */
  config: Readonly<FeatureConfig>;
  parts: readonly PresetPart[];
  /** Number of values in the vector. */
  dimension: number;
  /** One stable name per value: '<block>_<row>_<stat>' ('mfcc_3_mean', rows from 0), '<block>_<stat>' for scalar blocks ('rms_sd'). */
  names: readonly string[];
}

/**
 * pYIN's parts (dsp/pyin.ts: librosa.pyin(y, fmin=C2, fmax=C7, sr=22050), frame 2048, hop 512, on the same
 * float32 signal as the other blocks), pooled by pyinStats: f0 is NaN on unvoiced frames, so its mean, sd and
 * 10th/50th/90th percentiles are taken over the voiced frames (np.nanmean, np.nanstd, np.nanpercentile; 0 when
 * no frame is voiced, which voiced_fraction 0 tells apart), then the fraction of voiced frames and the mean
 * voiced probability. Names: f0_mean_voiced, f0_sd_voiced, f0_p10_voiced, f0_p50_voiced, f0_p90_voiced,
 * voiced_fraction, voiced_prob_mean. Added in extended version 2.
 */
export const PYIN_SLOT: readonly PresetPart[] = Object.freeze([
  { block: 'f0', stat: 'mean_voiced' },
  { block: 'f0', stat: 'sd_voiced' },
  { block: 'f0', stat: 'p10_voiced' },
  { block: 'f0', stat: 'p50_voiced' },
  { block: 'f0', stat: 'p90_voiced' },
  { block: 'voiced', stat: 'fraction' },
  { block: 'voiced_prob', stat: 'mean' },
] satisfies PresetPart[]);

/**
 * pYIN's statistics of a signal for the slot above. The signal holds float32 values (librosa.load's output):
 * pyin runs librosa's float32 arithmetic on a Float32Array, so a Float64Array copy of them goes back to float32
 * (exact) rather than taking pyin's float64 path, which librosa would not take on these clips.
 */
function pyinParts(y: Float32Array | Float64Array, sr: number): Map<FrameBlock, Partial<Record<Stat, Float64Array>>> {
  const s = pyinStats(pyin(y instanceof Float32Array ? y : Float32Array.from(y), { sr, fmin: PYIN_FMIN_C2, fmax: PYIN_FMAX_C7 }));
  const one = (v: number) => Float64Array.of(v);
  const [p10, p50, p90] = s.f0Percentiles;
  return new Map<FrameBlock, Partial<Record<Stat, Float64Array>>>([
    ['f0', { mean_voiced: one(s.f0MeanVoiced), sd_voiced: one(s.f0SdVoiced), p10_voiced: one(p10), p50_voiced: one(p50), p90_voiced: one(p90) }],
    ['voiced', { fraction: one(s.voicedFraction) }],
    ['voiced_prob', { mean: one(s.voicedProbMean) }],
  ]);
}

const REFERENCE_VERSION = FEATURE_PRESET_INFO['reference-166'].version;
const EXTENDED_VERSION = FEATURE_PRESET_INFO.extended.version;

const referenceMeans: PresetPart[] = FEATURE_BLOCKS.map((block) => ({ block, stat: 'mean' }));

function definePreset(name: FeaturePresetName, version: number, description: string, parts: PresetPart[]): FeaturePreset {
  const names = parts.flatMap(({ block, stat }) => {
    const rows = FRAME_BLOCK_ROWS[block];
    return rows === 1 ? [`${block}_${stat}`] : Array.from({ length: rows }, (_, i) => `${block}_${i}_${stat}`);
  });
  // the form, the cards and the contract read the dimension from params.ts: it must be this one
  if (names.length !== FEATURE_PRESET_INFO[name].dimension) {
    throw new Error(`preset ${name}: its parts give ${names.length} values, FEATURE_PRESET_INFO (src/shared/params.ts) says ${FEATURE_PRESET_INFO[name].dimension}`);
  }
  return Object.freeze({
    name,
    version,
    description,
    config: presetConfig(name),
    parts: Object.freeze(parts.map((p) => Object.freeze(p))),
    dimension: names.length,
    names: Object.freeze(names),
  });
}

export const REFERENCE_166 = definePreset(
  'reference-166',
  REFERENCE_VERSION,
  "The reference's vector: per-block means over time of MFCC 13, chroma 12, mel 128, contrast 7, tonnetz 6.",
  referenceMeans,
);

export const EXTENDED = definePreset(
  'extended',
  EXTENDED_VERSION,
  'reference-166, then the same blocks\' standard deviations over time, rms, zero-crossing rate, spectral centroid, bandwidth, ' +
    'rolloff and flatness (mean, sd each), the MFCC deltas (means, sds) and F0 by pYIN (mean, sd and 10/50/90th ' +
    'percentiles over voiced frames, voiced fraction, mean voiced probability).',
  [
    ...referenceMeans,
    ...FEATURE_BLOCKS.map((block): PresetPart => ({ block, stat: 'sd' })),
    ...SHAPE_BLOCKS.flatMap((block): PresetPart[] => [
      { block, stat: 'mean' },
      { block, stat: 'sd' },
    ]),
    { block: 'mfcc_delta', stat: 'mean' },
    { block: 'mfcc_delta', stat: 'sd' },
    ...PYIN_SLOT,
  ],
);

export const PRESETS: Readonly<Record<FeaturePresetName, FeaturePreset>> = Object.freeze({
  'reference-166': REFERENCE_166,
  extended: EXTENDED,
});

export { isPresetName };

export function getPreset(name: string): FeaturePreset {
  if (!isPresetName(name)) throw new Error(`unknown feature preset: ${name} (one of ${FEATURE_PRESETS.join(', ')})`);
  return PRESETS[name];
}

interface Stats {
  mean: Float64Array;
  sd: Float64Array;
}

/** A block's statistics as the vector reads them (rowStats' mean and sd, or pYIN's). */
type AnyStats = Partial<Record<Stat, Float64Array>>;

/** Per row, mean and population sd over the first T of `cols` columns (float64, two passes). */
export function rowStats(X: ArrayLike<number>, rows: number, T: number, cols = T): Stats {
  const mean = new Float64Array(rows);
  const sd = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let t = 0; t < T; t++) s += X[o + t];
    const m = s / T;
    let v = 0;
    for (let t = 0; t < T; t++) {
      const d = X[o + t] - m;
      v += d * d;
    }
    mean[r] = m;
    sd[r] = Math.sqrt(v / T);
  }
  return { mean, sd };
}

export interface PresetResult extends FeatureResult {
  preset: FeaturePresetName;
  version: number;
}

/**
 * A preset's vector for a mono signal at 22.05 kHz (float32 values, as extractFeatures takes it,
 * resident in WASM or not). The reference blocks and their means come from one extractFeatures
 * call (so the extended vector's first 166 values are the reference vector's, bit for bit); the
 * other statistics from the same signal, |X| and block frames that call makes (no second STFT).
 * The extended preset needs at least 9 frames (4096 samples, 0.19 s: librosa's delta width) and
 * always takes the whole-signal path (the chunked one of long signals keeps means only).
 */
export function extractPreset(
  signal: Float32Array | Float64Array | WasmF32,
  name: FeaturePresetName = DEFAULT_FEATURE_PRESET,
  options: Omit<ExtractOptions, 'frames'> = {},
): PresetResult {
  const preset = getPreset(name);
  const cfg = preset.config;
  const sr = cfg.sampleRate;
  const needs = new Set(preset.parts.map((p) => p.block));
  const onlyReferenceMeans = preset.parts.every((p) => p.stat === 'mean' && (FEATURE_BLOCKS as readonly string[]).includes(p.block));
  const stats = new Map<FrameBlock, AnyStats>();
  const sink: FrameSink = {
    spectrum(y, S, T, K) {
      const o = { sr, nFft: FRAME_SETTINGS.nFft };
      const frame = { frameLength: FRAME_SETTINGS.frameLength, hop: FRAME_SETTINGS.hop };
      const frames: Record<ShapeBlock, () => Float64Array> = {
        rms: () => rms(y, frame),
        zcr: () => zeroCrossingRate(y, frame),
        centroid: () => centroidBandwidth().centroid,
        bandwidth: () => centroidBandwidth().bandwidth,
        rolloff: () => spectralRolloff(S, T, K, { ...o, rollPercent: FRAME_SETTINGS.rollPercent }),
        flatness: () => spectralFlatness(S, T, K, { amin: FRAME_SETTINGS.flatnessAmin, power: FRAME_SETTINGS.flatnessPower }),
      };
      let cb: { centroid: Float64Array; bandwidth: Float64Array } | null = null;
      const centroidBandwidth = () => (cb ??= spectralCentroidBandwidth(S, T, K, o));
      for (const b of SHAPE_BLOCKS) if (needs.has(b)) stats.set(b, rowStats(frames[b](), 1, T));
      if (needs.has('f0') || needs.has('voiced') || needs.has('voiced_prob')) {
        for (const [b, s] of pyinParts(y, sr)) if (needs.has(b)) stats.set(b, s);
      }
    },
    block(block, frames, rows, T, cols) {
      stats.set(block, rowStats(frames, rows, T, cols));
      if (block === 'mfcc' && needs.has('mfcc_delta')) {
        const m = new Float64Array(rows * T);
        for (let r = 0; r < rows; r++) for (let t = 0; t < T; t++) m[r * T + t] = frames[r * cols + t];
        stats.set('mfcc_delta', rowStats(delta(m, rows, T, FRAME_SETTINGS.deltaWidth), rows, T));
      }
    },
  };
  const r = extractFeatures(signal, cfg, onlyReferenceMeans ? options : { ...options, frames: sink });
  if (onlyReferenceMeans && preset.parts.length === FEATURE_BLOCKS.length) {
    return { ...r, preset: preset.name, version: preset.version };
  }
  // the reference blocks' means: extractFeatures' own numbers
  const referenceMean = new Map<FrameBlock, Float64Array>();
  let at = 0;
  for (const b of cfg.blocks) {
    const rows = b === 'mfcc' ? cfg.nMfcc : FRAME_BLOCK_ROWS[b];
    referenceMean.set(b, r.vector.subarray(at, at + rows));
    at += rows;
  }
  const vector = new Float64Array(preset.dimension);
  at = 0;
  for (const { block, stat } of preset.parts) {
    const values = stat === 'mean' && referenceMean.has(block) ? referenceMean.get(block)! : stats.get(block)?.[stat];
    if (!values || values.length !== FRAME_BLOCK_ROWS[block]) throw new Error(`preset ${preset.name}: no ${stat} of ${block}`);
    vector.set(values, at);
    at += values.length;
  }
  return { ...r, vector, preset: preset.name, version: preset.version };
}
