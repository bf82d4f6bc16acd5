// The feature explorer: a dataset's standardised feature vectors projected on their two principal components.
// What the window asks, what streams back while missing vectors are extracted, and the projection it draws.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors';
import { FeatureSettingsSchema } from './experiment';
import { FEATURE_BLOCKS } from './params';

/** Which vectors to project: a feature configuration (the reference 166 by default) and the blocks whose columns enter the PCA. */
export const ExploreOptionsSchema = {
  features: FeatureSettingsSchema.strict().optional(),
  /** A subset of the configuration's blocks (all of them when absent): columns are taken from the cached vector, nothing is re-extracted. */
  blocks: z.array(z.enum(FEATURE_BLOCKS)).min(1).max(FEATURE_BLOCKS.length).optional(),
};

export const ExplorePointSchema = z.object({
  clipId: z.number().int(),
  /** Path relative to the dataset's source, as the clip table shows it. */
  path: z.string(),
  label: z.string(),
  speaker: z.string().nullable(),
  /** Scores on PC1 and PC2. */
  x: z.number(),
  y: z.number(),
});
export type ExplorePoint = z.infer<typeof ExplorePointSchema>;

/** A clip whose features could not be computed: listed apart, never dropped silently. */
export const ExploreFailureSchema = z.object({
  clipId: z.number().int(),
  path: z.string(),
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});

export const ProjectionSchema = z.object({
  datasetId: z.number().int(),
  /** The dataset's content hash and the feature configuration's hash: what the projection was computed from. */
  datasetHash: z.string(),
  configHash: z.string(),
  features: z.object({ blocks: z.array(z.enum(FEATURE_BLOCKS)), nMfcc: z.number().int(), sampleRate: z.number().int() }),
  /** Blocks whose columns were projected, and how many columns that is (166 for the whole reference vector). */
  blocks: z.array(z.enum(FEATURE_BLOCKS)),
  dims: z.number().int(),
  /** Columns with no variance over the dataset (standardised to 0, no part in the projection). */
  constantDims: z.number().int(),
  /** Clips in the dataset: points + failed. */
  clips: z.number().int(),
  /** Share of the total variance along PC1 and PC2 (sklearn's explained_variance_ratio_). */
  explained: z.tuple([z.number(), z.number()]),
  points: z.array(ExplorePointSchema),
  failed: z.array(ExploreFailureSchema),
  /** Vectors computed for this projection (0: every one came from the feature cache). */
  extracted: z.number().int(),
  /** Wall time of the whole call, and of reading the cache + the PCA alone. */
  ms: z.number(),
  pcaMs: z.number(),
});
export type Projection = z.infer<typeof ProjectionSchema>;

/** While missing vectors are extracted: vectors done of total, how many came from the cache. */
export const ExploreProgressSchema = z.object({
  done: z.number().int(),
  total: z.number().int(),
  cached: z.number().int(),
  file: z.string().optional(),
});
export type ExploreProgress = z.infer<typeof ExploreProgressSchema>;
