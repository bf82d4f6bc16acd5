import { createHash } from 'node:crypto';
import { FEATURE_BLOCKS, FEATURE_DEFAULTS, FIXED_BLOCK_ROWS, LIMITS, inRange, rangeText, type FeatureBlock } from '../../shared/params';

export { FEATURE_BLOCKS, type FeatureBlock };

export interface FeatureConfig {
  /** Blocks to include; the vector always follows FEATURE_BLOCKS order whatever the order here. */
  blocks: FeatureBlock[];
  nMfcc: number;
  sampleRate: number;
}

export const DEFAULT_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({
  blocks: [...FEATURE_DEFAULTS.blocks],
  nMfcc: FEATURE_DEFAULTS.nMfcc,
  sampleRate: FEATURE_DEFAULTS.sampleRate,
});

/** Fill defaults, order and de-duplicate blocks, validate. */
export function resolveFeatureConfig(partial: Partial<FeatureConfig> = {}): FeatureConfig {
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

export function featureConfigHash(config: Partial<FeatureConfig>): string {
  const c = resolveFeatureConfig(config);
  const canonical = JSON.stringify({ algorithm: FEATURE_ALGORITHM_VERSION, blocks: c.blocks, nMfcc: c.nMfcc, sampleRate: c.sampleRate });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
