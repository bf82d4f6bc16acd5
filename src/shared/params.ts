// Names, defaults and ranges of everything a run is configured with, defined once as plain data.
// No zod here: the renderer imports these values without bundling zod; the contract's schemas, the
// engine, the CLI's usage text and the new-run form all read them from this module.
import { MAX_CLIP_SECONDS } from './dataset-params';

/** The five waveform augmentations of the reference (augment.py), in its order. */
export const AUG_NAMES = ['noise', 'pitch', 'stretch', 'shift', 'gain'] as const;
export type AugName = (typeof AUG_NAMES)[number];

/** The reference vector's blocks, in vector order. */
export const FEATURE_BLOCKS = ['mfcc', 'chroma', 'mel', 'contrast', 'tonnetz'] as const;
export type FeatureBlock = (typeof FEATURE_BLOCKS)[number];

/** Rows of each block but MFCC, whose count is the `nMfcc` setting. */
export const FIXED_BLOCK_ROWS = { chroma: 12, mel: 128, contrast: 7, tonnetz: 6 } as const;

export const FEATURE_DEFAULTS = { blocks: FEATURE_BLOCKS, nMfcc: 13, sampleRate: 22050 } as const;

/**
 * Feature presets (src/core/features/presets.ts): the reference's 166 block means, and `extended` (their standard
 * deviations too, rms, zcr, spectral shape, MFCC deltas and F0 by pYIN).
 */
export const FEATURE_PRESETS = ['reference-166', 'extended'] as const;
export type FeaturePresetName = (typeof FEATURE_PRESETS)[number];
export const DEFAULT_FEATURE_PRESET: FeaturePresetName = 'reference-166';
/**
 * Each preset's version and vector length, as data the form and the contract read (presets.ts checks its parts give
 * this dimension). A preset's version is part of the feature hash of every preset but reference-166 (whose hash
 * predates presets): bump it whenever the preset's parts or their definitions change.
 */
export const FEATURE_PRESET_INFO: Readonly<Record<FeaturePresetName, { version: number; dimension: number }>> = {
  'reference-166': { version: 1, dimension: 166 },
  // version 2 (370 + 7): F0 by pYIN appended (version 1, 370 values, had none)
  extended: { version: 2, dimension: 377 },
};

export const SPLIT_KINDS = ['stratified', 'speaker', 'kfold', 'speaker-kfold'] as const;
export type SplitKind = (typeof SPLIT_KINDS)[number];
export const isKFold = (kind: string): kind is 'kfold' | 'speaker-kfold' => kind === 'kfold' || kind === 'speaker-kfold';
export const isSpeakerSplit = (kind: string): kind is 'speaker' | 'speaker-kfold' => kind === 'speaker' || kind === 'speaker-kfold';

export const BACKEND_CHOICES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** How each training clip's copies pick their augmentation: in turn, or drawn at random. */
export const COPY_POLICIES = ['cycle', 'random'] as const;

/** Hidden-layer activations the training pass has closed-form gradients for (see core/train/mlp-spec.ts). */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * What a run does with a clip it cannot use (features failed, shorter than one analysis frame, longer than the
 * maximum duration): leave it out and list it with the run (skip), or stop with an error naming every such clip
 * (fail). Either way it is reported.
 */
export const ON_ERROR_CHOICES = ['skip', 'fail'] as const;
export type OnError = (typeof ON_ERROR_CHOICES)[number];

/**
 * How feature rows are scaled before the network: one standardiser fitted on the training rows (global), or first
 * each speaker's rows z-scored with that speaker's own mean and sd, then the same global standardiser (speaker).
 * Per-speaker normalisation needs every speaker's clips to span the classes (see SPEAKER_COVERAGE).
 */
export const NORMALIZE_CHOICES = ['global', 'speaker'] as const;
export type Normalize = (typeof NORMALIZE_CHOICES)[number];

/**
 * Class coverage below which per-speaker normalisation is warned against: the mean over speakers of the share of
 * the dataset's classes each speaker has clips of, and the share of any one speaker. A speaker whose clips are of
 * one emotion has that emotion as their mean: subtracting it subtracts the emotion.
 */
export const SPEAKER_COVERAGE = { minMean: 0.8, minSpeaker: 0.5 } as const;

/** Groups smaller than this are named in a classification's notices: their own statistics are not worth much. */
export const MIN_NORMALIZE_GROUP = 5;

/** The reference pipeline's training settings (train.py), with the honest split. */
export const TRAIN_DEFAULTS = {
  split: 'stratified',
  valFraction: 0.2,
  k: 5,
  seed: 42,
  copies: 5,
  copyPolicy: 'cycle',
  epochs: 100,
  patience: 10,
  batchSize: 32,
  learningRate: 0.001,
  backend: 'auto',
  onError: 'skip',
  maxDurationSec: MAX_CLIP_SECONDS.default,
  normalize: 'global',
  /** Share of clips held out as a test part before anything else (0: none, the reference's protocol). */
  testFraction: 0,
} as const;

/** The reference MLP: Dense 256-128-64-N, ReLU, dropout 0.3 after each hidden layer, softmax output. */
export const MLP_DEFAULTS = { hidden: [256, 128, 64], activation: 'relu', dropout: 0.3 } as const;

/**
 * A numeric setting's range: `min`/`max` are inclusive, `above`/`below` exclusive; `integer` asks for a
 * whole number. Messages are written from these values (rangeText) so they cannot drift from the checks.
 */
export interface Range {
  integer?: boolean;
  min?: number;
  max?: number;
  above?: number;
  below?: number;
}

export const LIMITS = {
  seed: { integer: true, min: 0, max: 2 ** 32 - 1 },
  valFraction: { above: 0, below: 1 },
  testFraction: { min: 0, max: 0.5 },
  k: { integer: true, min: 2, max: 50 },
  copies: { integer: true, min: 0, max: 50 },
  epochs: { integer: true, min: 1, max: 10_000 },
  patience: { integer: true, min: 0, max: 10_000 },
  batchSize: { integer: true, min: 1, max: 65_536 },
  learningRate: { above: 0, max: 1 },
  hiddenLayers: { integer: true, min: 1, max: 8 },
  hiddenUnits: { integer: true, min: 1, max: 65_536 },
  dropout: { min: 0, below: 1 },
  workers: { integer: true, min: 1, max: 256 },
  nMfcc: { integer: true, min: 1, max: 128 },
  sampleRate: { integer: true, min: 8000, max: 192_000 },
  maxDurationSec: { min: MAX_CLIP_SECONDS.min, max: MAX_CLIP_SECONDS.max },
} as const satisfies Record<string, Range>;
export type LimitName = keyof typeof LIMITS;

export function inRange(value: number, r: Range): boolean {
  if (!Number.isFinite(value)) return false;
  if (r.integer && !Number.isInteger(value)) return false;
  if (r.min !== undefined && value < r.min) return false;
  if (r.max !== undefined && value > r.max) return false;
  if (r.above !== undefined && value <= r.above) return false;
  if (r.below !== undefined && value >= r.below) return false;
  return true;
}

/** "a whole number from 1 to 10000", "a number > 0 and ≤ 1", "a number ≥ 0 and < 1". */
export function rangeText(r: Range): string {
  const kind = r.integer ? 'a whole number' : 'a number';
  if (r.min !== undefined && r.max !== undefined) return `${kind} from ${r.min} to ${r.max}`;
  const bounds = [
    r.min !== undefined ? `≥ ${r.min}` : r.above !== undefined ? `> ${r.above}` : '',
    r.max !== undefined ? `≤ ${r.max}` : r.below !== undefined ? `< ${r.below}` : '',
  ].filter(Boolean);
  return bounds.length ? `${kind} ${bounds.join(' and ')}` : kind;
}
