import { createHash } from 'node:crypto';
import {
  DEFAULT_FEATURE_PRESET,
  FEATURE_BLOCKS,
  FEATURE_DEFAULTS,
  FEATURE_PRESET_INFO,
  FEATURE_PRESETS,
  FIXED_BLOCK_ROWS,
  LIMITS,
  inRange,
  rangeText,
  type FeatureBlock,
  type FeaturePresetName,
} from '../../shared/params';

export { FEATURE_BLOCKS, type FeatureBlock };

export interface FeatureConfig {
  /** Blocks to include; the vector always follows FEATURE_BLOCKS order whatever the order here. */
  blocks: FeatureBlock[];
  nMfcc: number;
  sampleRate: number;
  /**
   * The vector's preset (features/presets.ts) when it is not reference-166, whose blocks, MFCC count and rate the
   * fields above shape; any other preset fixes them (they must be its own). Absent on reference-166 configurations,
   * so theirs stay exactly what runs, caches and model cards recorded before presets existed.
   */
  preset?: Exclude<FeaturePresetName, 'reference-166'>;
  /** The preset's version the vectors were computed with (FEATURE_PRESET_INFO's at the time); with `preset` only. */
  presetVersion?: number;
}

export const DEFAULT_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({
  blocks: [...FEATURE_DEFAULTS.blocks],
  nMfcc: FEATURE_DEFAULTS.nMfcc,
  sampleRate: FEATURE_DEFAULTS.sampleRate,
});

export function isPresetName(name: string): name is FeaturePresetName {
  return (FEATURE_PRESETS as readonly string[]).includes(name);
}

/** The configuration a preset computes at: every preset at the reference's rate, MFCC count and blocks (presets.ts). */
export function presetConfig(name: FeaturePresetName): Readonly<FeatureConfig> {
  void name;
  return DEFAULT_FEATURE_CONFIG;
}

/** Input of resolveFeatureConfig: `preset` may name reference-166 too (the default, which is then left out). */
export type FeatureConfigInput = Partial<Omit<FeatureConfig, 'preset'>> & { preset?: FeaturePresetName };

/**
 * Fill defaults, order and de-duplicate blocks, validate. A preset other than reference-166 keeps its name and
 * version (the current one unless the record says which) and refuses blocks, MFCC count or rate not its own.
 */
export function resolveFeatureConfig(partial: FeatureConfigInput = {}): FeatureConfig {
  const preset = partial.preset ?? DEFAULT_FEATURE_PRESET;
  if (!(FEATURE_PRESETS as readonly string[]).includes(preset)) throw new Error(`unknown feature preset: ${String(preset)} (one of ${FEATURE_PRESETS.join(', ')})`);
  const base = resolveBlocks(partial);
  if (preset === 'reference-166') return base;
  const own = DEFAULT_FEATURE_CONFIG;
  if (base.blocks.length !== own.blocks.length || base.nMfcc !== own.nMfcc || base.sampleRate !== own.sampleRate) {
    throw new Error(
      `the ${preset} preset is fixed (every block, ${own.nMfcc} MFCCs, ${own.sampleRate} Hz): blocks, MFCC count and sample rate shape ${DEFAULT_FEATURE_PRESET} only`,
    );
  }
  const presetVersion = partial.presetVersion ?? FEATURE_PRESET_INFO[preset].version;
  if (!Number.isInteger(presetVersion) || presetVersion < 1) throw new RangeError(`presetVersion must be a whole number from 1, got ${presetVersion}`);
  return { ...base, preset, presetVersion };
}

/** The preset a configuration's vectors follow (reference-166 unless it names another). */
export function presetOf(config: Pick<FeatureConfig, 'preset'>): FeaturePresetName {
  return config.preset ?? DEFAULT_FEATURE_PRESET;
}

/** Length of the vector a configuration produces: its preset's, or for reference-166 its blocks' rows (173 with 20 MFCCs). */
export function featureDims(config: FeatureConfig): number {
  if (config.preset) return FEATURE_PRESET_INFO[config.preset].dimension;
  return config.blocks.reduce((n, b) => n + (b === 'mfcc' ? config.nMfcc : FIXED_BLOCK_ROWS[b]), 0);
}

function resolveBlocks(partial: FeatureConfigInput): FeatureConfig {
  const requested = partial.blocks ?? DEFAULT_FEATURE_CONFIG.blocks;
  for (const b of requested) {
    if (!(FEATURE_BLOCKS as readonly string[]).includes(b)) throw new Error(`unknown feature block: ${String(b)}`);
  }
  const blocks = FEATURE_BLOCKS.filter((b) => requested.includes(b));
  if (blocks.length === 0) throw new Error('feature config needs at least one block');
  const nMfcc = partial.nMfcc ?? DEFAULT_FEATURE_CONFIG.nMfcc;
  const sampleRate = partial.sampleRate ?? DEFAULT_FEATURE_CONFIG.sampleRate;
  if (!inRange(nMfcc, LIMITS.nMfcc)) throw new RangeError(`nMfcc must be ${rangeText(LIMITS.nMfcc)}, got ${nMfcc}`);
  if (!inRange(sampleRate, LIMITS.sampleRate)) throw new RangeError(`sampleRate must be ${rangeText(LIMITS.sampleRate)}, got ${sampleRate}`);
  return { blocks, nMfcc, sampleRate };
}

/**
 * Stable id of a configuration (canonical JSON -> sha256 hex, first 16 chars). The algorithm
 * version is part of it so a change in the DSP invalidates cached vectors.
 * v2: resampling is python-soxr's output bit for bit (vectors of non-22.05 kHz files and of
 * pitch-shifted copies moved by ~1e-7, their top contrast band by up to 5%).
 */
export const FEATURE_ALGORITHM_VERSION = 'librosa-0.11-v2';

export function featureConfigHash(config: FeatureConfigInput): string {
  const c = resolveFeatureConfig(config);
  // reference-166's canonical form is the one from before presets: every hash, cached vector and model stays valid
  const preset = c.preset ? { preset: c.preset, presetVersion: c.presetVersion } : {};
  const canonical = JSON.stringify({ algorithm: FEATURE_ALGORITHM_VERSION, blocks: c.blocks, nMfcc: c.nMfcc, sampleRate: c.sampleRate, ...preset });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
