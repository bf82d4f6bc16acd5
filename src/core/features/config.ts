import { createHash } from 'node:crypto';

/** The reference's blocks, in vector order. */
export const FEATURE_BLOCKS = ['mfcc', 'chroma', 'mel', 'contrast', 'tonnetz'] as const;
export type FeatureBlock = (typeof FEATURE_BLOCKS)[number];

export interface FeatureConfig {
  /** Blocks to include; the vector always follows FEATURE_BLOCKS order whatever the order here. */
  blocks: FeatureBlock[];
  nMfcc: number;
  sampleRate: number;
}

export const DEFAULT_FEATURE_CONFIG: Readonly<FeatureConfig> = Object.freeze({
  blocks: [...FEATURE_BLOCKS],
  nMfcc: 13,
  sampleRate: 22050,
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
  if (!Number.isInteger(nMfcc) || nMfcc < 1 || nMfcc > 128) throw new Error(`nMfcc must be an integer in 1..128, got ${nMfcc}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 8000) throw new Error(`sampleRate must be an integer >= 8000, got ${sampleRate}`);
  return { blocks, nMfcc, sampleRate };
}

export function blockLength(block: FeatureBlock, config: FeatureConfig): number {
  switch (block) {
    case 'mfcc':
      return config.nMfcc;
    case 'chroma':
      return 12;
    case 'mel':
      return 128;
    case 'contrast':
      return 7;
    case 'tonnetz':
      return 6;
  }
}

export function featureVectorLength(config: FeatureConfig): number {
  return config.blocks.reduce((n, b) => n + blockLength(b, config), 0);
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
