// What a training run is asked to do, and what it reports: shared by the CLI, the job process and the UI.
// Names, defaults and ranges come from params.ts; this file only turns them into schemas.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors';
import { EXPERIMENT_STATUSES, QUEUED_RUN_STATUSES, RUN_STAGES } from './outcome';
import { PROTOCOL_KINDS, SCORE_SETS } from './protocol';
import {
  ACTIVATIONS,
  AUG_NAMES,
  BACKEND_CHOICES,
  COPY_POLICIES,
  FEATURE_BLOCKS,
  FEATURE_DEFAULTS,
  FEATURE_PRESETS,
  LIMITS,
  MLP_DEFAULTS,
  NORMALIZE_CHOICES,
  ON_ERROR_CHOICES,
  TRAIN_DEFAULTS,
  inRange,
  rangeText,
  type LimitName,
} from './params';

/** A number checked against LIMITS[name], with the one message rangeText writes for it. */
function limited(name: LimitName, what: string) {
  const r = LIMITS[name];
  return z.number().refine((v) => inRange(v, r), { message: `${what} must be ${rangeText(r)}` });
}

const ValFraction = limited('valFraction', 'the validation fraction');
const K = limited('k', 'the number of folds');

export const SplitSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stratified'), valFraction: ValFraction.default(TRAIN_DEFAULTS.valFraction) }),
  z.object({ kind: z.literal('speaker'), valFraction: ValFraction.default(TRAIN_DEFAULTS.valFraction) }),
  /**
   * k-fold with `valFraction`: each fold carves a validation part from its training folds (whole speakers for
   * speaker-kfold) for early stopping, and its held-out fold is a test part early stopping never sees. Without it,
   * the held-out fold also chooses the epoch (the reference's protocol).
   */
  z.object({ kind: z.literal('kfold'), k: K, valFraction: ValFraction.optional() }),
  z.object({ kind: z.literal('speaker-kfold'), k: K, valFraction: ValFraction.optional() }),
]);
export type SplitSpec = z.infer<typeof SplitSpecSchema>;

export const FeatureSettingsSchema = z.object({
  blocks: z.array(z.enum(FEATURE_BLOCKS)).min(1).default([...FEATURE_DEFAULTS.blocks]),
  nMfcc: limited('nMfcc', 'the number of MFCCs').default(FEATURE_DEFAULTS.nMfcc),
  sampleRate: limited('sampleRate', 'the sample rate').default(FEATURE_DEFAULTS.sampleRate),
  /** The vector (params.ts FEATURE_PRESETS); absent: reference-166, which the fields above shape. */
  preset: z.enum(FEATURE_PRESETS).optional(),
  /** The preset's version its vectors were computed with (recorded runs and model cards). */
  presetVersion: z.number().int().positive().optional(),
});

export const TrainRequestSchema = z
  .object({
    dataset: z.union([z.number().int().positive(), z.string().min(1)]),
    split: SplitSpecSchema.default({ kind: TRAIN_DEFAULTS.split, valFraction: TRAIN_DEFAULTS.valFraction }),
    seed: limited('seed', 'the seed').default(TRAIN_DEFAULTS.seed),
    augment: z.array(z.enum(AUG_NAMES)).default([...AUG_NAMES]),
    copies: limited('copies', 'copies').default(TRAIN_DEFAULTS.copies),
    copyPolicy: z.enum(COPY_POLICIES).default(TRAIN_DEFAULTS.copyPolicy),
    leaky: z.boolean().default(false),
    epochs: limited('epochs', 'epochs').default(TRAIN_DEFAULTS.epochs),
    patience: limited('patience', 'patience').default(TRAIN_DEFAULTS.patience),
    batchSize: limited('batchSize', 'the batch size').default(TRAIN_DEFAULTS.batchSize),
    learningRate: limited('learningRate', 'the learning rate').default(TRAIN_DEFAULTS.learningRate),
    hidden: z
      .array(limited('hiddenUnits', 'a hidden layer size'))
      .refine((h) => inRange(h.length, LIMITS.hiddenLayers), { message: `the number of hidden layers must be ${rangeText(LIMITS.hiddenLayers)}` })
      .default([...MLP_DEFAULTS.hidden]),
    activation: z.enum(ACTIVATIONS).default(MLP_DEFAULTS.activation),
    dropout: limited('dropout', 'dropout').default(MLP_DEFAULTS.dropout),
    backend: z.enum(BACKEND_CHOICES).default(TRAIN_DEFAULTS.backend),
    features: FeatureSettingsSchema.default({ blocks: [...FEATURE_DEFAULTS.blocks], nMfcc: FEATURE_DEFAULTS.nMfcc, sampleRate: FEATURE_DEFAULTS.sampleRate }),
    workers: limited('workers', 'workers').optional(),
    /** A clip the run cannot use is left out and listed (skip), or stops the run naming every such clip (fail). */
    onError: z.enum(ON_ERROR_CHOICES).default(TRAIN_DEFAULTS.onError),
    /** Clips longer than this (seconds) are left out with too_long: augmenting a long file costs memory in proportion. */
    maxDurationSec: limited('maxDurationSec', 'the maximum clip duration').default(TRAIN_DEFAULTS.maxDurationSec),
    /** global: one standardiser fitted on the training rows; speaker: each speaker's rows z-scored by their own statistics first. */
    normalize: z.enum(NORMALIZE_CHOICES).default(TRAIN_DEFAULTS.normalize),
    /**
     * Share of clips held out as a test part before the train/validation split (stratified, or by speaker for the
     * speaker split): early stopping never sees it, and its score is the run's headline. 0: none (the reference's protocol).
     */
    testFraction: limited('testFraction', 'the test fraction').default(TRAIN_DEFAULTS.testFraction),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.leaky && r.split.kind !== 'stratified') {
      ctx.addIssue({ code: 'custom', message: '--leaky uses the pooled stratified split; it cannot be combined with a speaker or k-fold split', path: ['leaky'] });
    }
    if (r.testFraction > 0 && (r.leaky || r.split.kind === 'kfold' || r.split.kind === 'speaker-kfold')) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a test part (--test) is held out from a stratified or speaker hold-out; in k-fold the held-out fold is the test when --val carves a validation part from the training folds, and --leaky pools rows before any split',
        path: ['testFraction'],
      });
    }
  });
export type TrainRequest = z.input<typeof TrainRequestSchema>;
export type TrainConfig = z.output<typeof TrainRequestSchema>;

export const ExperimentStatusSchema = z.enum(EXPERIMENT_STATUSES);

export const MeanSdSchema = z.object({ mean: z.number(), sd: z.number().nullable(), n: z.number().int() });

const ClassMetricsSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() });
const PerClassSchema = z.record(z.string(), ClassMetricsSchema);
const ConfusionSchema = z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) });

/** The values the reference report's conclusions quote, for one trained model (a hold-out run or one fold). */
export const RunSummarySchema = z.object({
  finalTrainAcc: z.number(),
  bestTrainAcc: z.number(),
  finalValAcc: z.number(),
  bestValAcc: z.number(),
  finalTrainLoss: z.number(),
  finalValLoss: z.number(),
  minValLoss: z.number(),
  /** 1-based epoch of the minimum validation loss. */
  minValLossEpoch: z.number().int(),
  bestClass: z.object({ label: z.string(), f1: z.number() }),
  weakestClass: z.object({ label: z.string(), f1: z.number() }),
  /** The largest off-diagonal confusion cell, or null when nothing was confused. */
  topConfusion: z.object({ trueLabel: z.string(), predictedLabel: z.string(), count: z.number().int() }).nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** A cross-validation's numbers: mean ± sd over the completed folds, and their pooled predictions' accuracy. */
export const FoldsSummarySchema = z.object({
  k: z.number().int(),
  /** Folds trained to the end; the numbers below come from these only. */
  completed: z.number().int(),
  experimentIds: z.array(z.number().int()),
  accuracy: MeanSdSchema,
  macroF1: MeanSdSchema,
  weightedF1: MeanSdSchema,
  perClassF1: z.record(z.string(), MeanSdSchema),
  pooledAccuracy: z.number(),
});
export type FoldsSummary = z.infer<typeof FoldsSummarySchema>;

/** Clips and rows on each side of a split (rows include augmented copies in training). */
export const SplitSizesSchema = z.object({
  trainClips: z.number().int(),
  valClips: z.number().int(),
  trainRows: z.number().int(),
  valRows: z.number().int(),
  /** Leaky runs: share of validation rows whose source clip also has rows in training. */
  leakage: z.number().optional(),
  /** Runs with a test part: its clips (and rows: originals only, a test clip is never augmented). */
  testClips: z.number().int().optional(),
  testRows: z.number().int().optional(),
});
export type SplitSizes = z.infer<typeof SplitSizesSchema>;

export const ScoreSetSchema = z.enum(SCORE_SETS);

/** One set's numbers: the validation clips' when a test part gives the headline. */
export const SetScoresSchema = z.object({
  accuracy: z.number(),
  macroF1: z.number(),
  weightedF1: z.number(),
  perClass: PerClassSchema,
  confusion: ConfusionSchema,
});
export type SetScores = z.infer<typeof SetScoresSchema>;

export const TimingsSchema = z.object({
  /** Feature extraction for the whole run (absent on a fold: its parent holds it). */
  featuresMs: z.number().optional(),
  trainMs: z.number(),
  msPerEpoch: z.number(),
});
export type Timings = z.infer<typeof TimingsSchema>;

/** Which epoch's weights a trained model holds, and why. */
export const WeightsSchema = z.object({
  epoch: z.number().int(),
  /** best-val-loss: restored by early stopping's rule; final: the last epoch's (early stopping off). */
  rule: z.enum(['best-val-loss', 'final']),
});
export type Weights = z.infer<typeof WeightsSchema>;

/**
 * A clip a run left out, and why: its features failed (the decoder's error, NaN samples, a file gone since the
 * import), or it is shorter than one analysis frame, or longer than the run's maximum duration.
 */
export const SkippedClipSchema = z.object({
  /** As the dataset names it (relative to its source). */
  file: z.string(),
  label: z.string(),
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});
export type SkippedClip = z.infer<typeof SkippedClipSchema>;

export const TrainResultSchema = z.object({
  experimentId: z.number().int(),
  status: ExperimentStatusSchema,
  backend: z.string(),
  protocol: z.string(),
  leaky: z.boolean(),
  /**
   * The headline, from the set `scoreSet` names (the test part when the run has one); a k-fold run's are means over
   * its completed folds; null when nothing completed.
   */
  accuracy: z.number().nullable(),
  macroF1: z.number().nullable(),
  weightedF1: z.number().nullable(),
  /** Which clips the headline numbers (and perClass, confusion) come from; absent: validation. */
  scoreSet: ScoreSetSchema.optional(),
  /** The validation clips' numbers (they also chose the epoch) when the headline is a test score. */
  validation: SetScoresSchema.nullable().optional(),
  perClass: PerClassSchema,
  confusion: ConfusionSchema,
  /** The hold-out run's curves (empty for a k-fold run: each fold has its own). */
  history: z.object({ loss: z.array(z.number()), valLoss: z.array(z.number()), acc: z.array(z.number()), valAcc: z.array(z.number()) }),
  epochs: z.number().int(),
  /** 1-based epoch of the lowest validation loss (0 when no epoch finished). */
  bestEpoch: z.number().int(),
  weights: WeightsSchema.nullable(),
  summary: RunSummarySchema.nullable(),
  split: SplitSizesSchema,
  folds: FoldsSummarySchema.optional(),
  timings: TimingsSchema,
  /** Clips of the dataset the run left out, with the reason (empty when it used them all). */
  skipped: z.array(SkippedClipSchema),
});
export type TrainResult = z.infer<typeof TrainResultSchema>;

/** One split as planned, before any feature exists: clips on each side and the speakers held out (speaker splits). */
export const PlannedSplitSchema = z.object({
  trainClips: z.number().int(),
  valClips: z.number().int(),
  heldOutSpeakers: z.array(z.string()).nullable(),
});

/** What a run will work on, known as soon as it is planned: the features to extract and each fold's split. */
export const PlannedRunSchema = z.object({
  /** The dataset's clips and the augmented copies planned for the clips that train (the features to extract). */
  clips: z.number().int(),
  copies: z.number().int(),
  /** Folds the run trains: 1 for a hold-out, k for a cross-validation. */
  folds: z.number().int(),
  /** One per fold (empty for a leaky run: its split is drawn over the rows once they exist). */
  splits: z.array(PlannedSplitSchema),
});
export type PlannedRun = z.infer<typeof PlannedRunSchema>;

export const RunStageSchema = z.enum(RUN_STAGES);

/** How far a running run is, as its row records it (updated a few times a second at most). */
export const RunProgressSchema = z.object({
  plan: PlannedRunSchema,
  features: z.object({ done: z.number().int(), total: z.number().int(), cached: z.number().int() }).nullable(),
  /** 0-based fold training now (null for a hold-out run or before training). */
  fold: z.number().int().nullable(),
  epoch: z.number().int(),
  maxEpochs: z.number().int(),
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

export const TrainProgressSchema = z.discriminatedUnion('phase', [
  /** The run is recorded (its row exists, status running, stage queued): a window can follow it by this id from now on. */
  z.object({ phase: z.literal('started'), experimentId: z.number().int(), plan: PlannedRunSchema }),
  z.object({ phase: z.literal('features'), done: z.number().int(), total: z.number().int(), cached: z.number().int() }),
  z.object({
    phase: z.literal('epoch'),
    experimentId: z.number().int(),
    fold: z.number().int().nullable(),
    epoch: z.number().int(),
    maxEpochs: z.number().int(),
    loss: z.number(),
    acc: z.number(),
    valLoss: z.number(),
    valAcc: z.number(),
    ms: z.number(),
    etaSec: z.number(),
  }),
  z.object({ phase: z.literal('status'), message: z.string() }),
]);
export type TrainProgress = z.infer<typeof TrainProgressSchema>;

/**
 * A protocol as data, what describeProtocol words (a split as drawn, a whole cross-validation): a window describes
 * it in its own language (describeProtocolIn) where `protocol` holds the English sentence.
 */
export const ProtocolOutlineSchema = z.union([
  z.object({ kind: z.enum(['stratified', 'leaky']), valFraction: z.number(), seed: z.number().int(), testFraction: z.number().optional() }),
  z.object({
    kind: z.literal('speaker'),
    valFraction: z.number(),
    seed: z.number().int(),
    heldOutSpeakers: z.array(z.string()).optional(),
    testFraction: z.number().optional(),
    testSpeakers: z.array(z.string()).optional(),
  }),
  z.object({
    kind: z.enum(['kfold', 'speaker-kfold']),
    k: z.number().int(),
    seed: z.number().int(),
    valFraction: z.number().optional(),
    fold: z.number().int().optional(),
    heldOutSpeakers: z.array(z.string()).optional(),
  }),
]);

/** One row of the experiments list (a k-fold run is a parent with one child per fold). */
export const ExperimentSummarySchema = z.object({
  id: z.number().int(),
  datasetId: z.number().int(),
  dataset: z.string(),
  parentId: z.number().int().nullable(),
  fold: z.number().int().nullable(),
  status: ExperimentStatusSchema,
  /** A k-fold parent's progress: how many of its k folds completed (null for other runs). */
  folds: z.object({ k: z.number().int(), completed: z.number().int() }).nullable(),
  protocol: z.string(),
  /** The same protocol as data (null for a stored shape that cannot be read back: `protocol` is then its own text). */
  protocolOutline: ProtocolOutlineSchema.nullable(),
  leaky: z.boolean(),
  seed: z.number().int(),
  backend: z.string().nullable(),
  epochs: z.number().int(),
  bestEpoch: z.number().int().nullable(),
  /** The headline, from the set `scoreSet` names; a k-fold parent's are means over its completed folds, with the sd below. */
  accuracy: z.number().nullable(),
  macroF1: z.number().nullable(),
  weightedF1: z.number().nullable(),
  accuracySd: z.number().nullable(),
  macroF1Sd: z.number().nullable(),
  /** Which clips the headline comes from (absent: validation, as every run before test parts existed). */
  scoreSet: ScoreSetSchema.optional(),
  /** The validation clips' numbers when the headline is a test score (null otherwise). */
  validation: SetScoresSchema.nullable().optional(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** Set by the researcher (null until then). */
  name: z.string().nullable(),
  notes: z.string().nullable(),
  /** The protocol's kind, for filters (null for a stored protocol of an unknown shape). */
  protocolKind: z.enum(PROTOCOL_KINDS).nullable(),
  /** Equal for runs whose stored config is equal but for the seed (on the same dataset content): a seed group. */
  configKey: z.string(),
  /** Where the run is (or the stage it ended in); null for runs recorded before stages were kept. */
  stage: RunStageSchema.nullable(),
  /** A run's progress as last recorded (top-level runs; null for folds and runs recorded before it was kept). */
  progress: RunProgressSchema.nullable(),
});
export type ExperimentSummary = z.infer<typeof ExperimentSummarySchema>;

export const SpeakerScoreSchema = z.object({ speaker: z.string(), clips: z.number().int(), correct: z.number().int() });
export type SpeakerScore = z.infer<typeof SpeakerScoreSchema>;

export const EpochLogSchema = z.object({
  epoch: z.number().int(),
  loss: z.number(),
  acc: z.number(),
  valLoss: z.number().nullable(),
  valAcc: z.number().nullable(),
  ms: z.number(),
});

export const ExperimentDetailSchema = ExperimentSummarySchema.extend({
  config: z.record(z.string(), z.unknown()),
  featureConfigHash: z.string(),
  datasetHash: z.string(),
  versions: z.record(z.string(), z.string()),
  epochsLog: z.array(EpochLogSchema),
  perClass: z.array(ClassMetricsSchema.extend({ label: z.string() })),
  confusion: ConfusionSchema,
  /** A hold-out run's or a fold's summary (null for k-fold parents and unfinished runs). */
  summary: RunSummarySchema.nullable(),
  /** A k-fold parent's aggregate (null otherwise). */
  foldsSummary: FoldsSummarySchema.nullable(),
  split: SplitSizesSchema.nullable(),
  timings: TimingsSchema.nullable(),
  weights: WeightsSchema.nullable(),
  modelPath: z.string().nullable(),
  children: z.array(ExperimentSummarySchema),
  /**
   * A speaker-independent run's validation clips per held-out speaker and how many were right (a cross-validation's
   * over its completed folds); null when not recorded (other protocols, runs recorded before it was kept).
   */
  perSpeaker: z.array(SpeakerScoreSchema).nullable(),
  /** Clips the run left out and why (a fold's: its run's); null for runs recorded before this was kept. */
  skipped: z.array(SkippedClipSchema).nullable(),
  /** The dataset's content hash now: it differs from `datasetHash` when the dataset changed since the run trained. */
  currentDatasetHash: z.string().nullable(),
  datasetChanged: z.boolean(),
});
export type ExperimentDetail = z.infer<typeof ExperimentDetailSchema>;

/** One run of a seed queue: its seed, its own job's request id (its 'train' events carry it), and how it ended. */
export const QueuedRunSchema = z.object({
  seed: z.number().int(),
  requestId: z.string(),
  status: z.enum(QUEUED_RUN_STATUSES),
  /** Known once the run is recorded (as soon as its job planned it), null before and for a run that never started. */
  experimentId: z.number().int().nullable(),
  accuracy: z.number().nullable(),
  macroF1: z.number().nullable(),
  weightedF1: z.number().nullable(),
  error: z.string().nullable(),
});
export type QueuedRun = z.infer<typeof QueuedRunSchema>;

/** Runs of one configuration with several seeds, trained one after another ("Repeat with N seeds", `train --seeds`). */
export const SeedQueueSchema = z.object({
  requestId: z.string(),
  /** The experiment it repeats (null when started from a request, as the CLI does). */
  sourceId: z.number().int().nullable(),
  runs: z.array(QueuedRunSchema),
  /** Index of the run training now (null before the first starts and once the queue is done). */
  current: z.number().int().nullable(),
  done: z.boolean(),
  /** Cancelled as a whole: the running run stopped, the queued ones never started. */
  cancelled: z.boolean(),
});
export type SeedQueue = z.infer<typeof SeedQueueSchema>;

/** An error as it crosses processes: a code of the union and a sentence. */
export const ErrorInfoSchema = z.object({ code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]), message: z.string() });
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;
