// Batch classification with a trained model: what is asked, what streams back, what is recorded, and the
// model folder's card (ser-model.json). Shared by the engine, the job process, the CLI and (next) the UI.
// Names and defaults come from classify-params.ts and params.ts; this file only turns them into schemas.
import { z } from 'zod';
import {
  CLASSIFY_DEFAULTS,
  CLASSIFY_LIMITS,
  CLASSIFY_SOURCE_KINDS,
  CLASSIFY_STATUSES,
  CORPUS_RELATIONS,
  SER_MODEL_FORMAT,
  SER_MODEL_VERSION,
} from './classify-params';
import { ERROR_CODES, type ErrorCode } from './errors';
import { ErrorInfoSchema, FeatureSettingsSchema, ProtocolOutlineSchema, WeightsSchema } from './experiment';
import { ACTIVATIONS, BACKEND_CHOICES, LIMITS, NORMALIZE_CHOICES, inRange, rangeText } from './params';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex');
const Code = z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]);

// ---- the model folder's card -------------------------------------------------------------------------

const ClassMetricsSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() });
const ConfusionSchema = z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) });

/** accuracy, macro/weighted F1, the per-class table and the confusion matrix (rows = true class). */
export const ClassifyMetricsSchema = z.object({
  /** Files the numbers are computed over. */
  files: z.number().int(),
  accuracy: z.number(),
  macroF1: z.number(),
  weightedF1: z.number(),
  perClass: z.record(z.string(), ClassMetricsSchema),
  confusion: ConfusionSchema,
});
export type ClassifyMetrics = z.infer<typeof ClassifyMetricsSchema>;

const LayerSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dense'), units: z.number().int().positive(), activation: z.enum([...ACTIVATIONS, 'softmax']) }),
  z.object({ kind: z.literal('dropout'), rate: z.number() }),
]);

const ModelFileSchema = z.object({ sha256: Sha256, bytes: z.number().int().nonnegative() });

/**
 * ser-model.json, beside model.json and weights.bin: everything classification needs (labels in output
 * order, the feature configuration and its hash, the standardisation) and what the model is (protocol,
 * metrics, versions, dataset), with the sha256 of both tfjs files so a changed file is refused.
 */
export const SerModelSchema = z.object({
  format: z.literal(SER_MODEL_FORMAT),
  formatVersion: z.literal(SER_MODEL_VERSION),
  createdAt: z.string(),
  /** Class names in the network's output order. */
  labels: z.array(z.string().min(1)).min(2),
  features: z.object({
    config: FeatureSettingsSchema,
    /** featureConfigHash(config): keys the feature cache. */
    hash: z.string().min(1),
    /** The DSP's version (FEATURE_ALGORITHM_VERSION) the hash includes. */
    algorithm: z.string(),
    dims: z.number().int().positive(),
  }),
  /** Fitted on the training rows only; applied to every vector before the network. */
  standardizer: z.object({ mean: z.array(z.number()), std: z.array(z.number().positive()) }),
  /**
   * speaker: the model was trained on rows z-scored per speaker before the standardiser, so classification
   * z-scores its inputs per group (the manifest's speaker column, else the parent folder) first. Cards written
   * before the setting existed are global.
   */
  normalize: z.enum(NORMALIZE_CHOICES).default('global'),
  mlp: z.object({ inputDim: z.number().int().positive(), layers: z.array(LayerSpecSchema).min(1), seed: z.number().int() }),
  training: z.object({
    protocol: z.object({ description: z.string(), structured: z.record(z.string(), z.unknown()) }),
    leaky: z.boolean(),
    weights: WeightsSchema.nullable(),
    /** The run's settings as recorded (epochs, batch size, learning rate, augmentation, seed...). */
    config: z.record(z.string(), z.unknown()),
  }),
  /** Measured on the run's validation clips (null when the run recorded none). */
  metrics: ClassifyMetricsSchema.omit({ files: true }).nullable(),
  versions: z.record(z.string(), z.string()),
  experiment: z.object({ id: z.number().int(), parentId: z.number().int().nullable(), fold: z.number().int().nullable(), seed: z.number().int() }),
  dataset: z.object({
    name: z.string(),
    hash: z.string(),
    /** sha256 of the clips it trained on and was validated on (null when unknown: models older than the card). */
    trainingClips: z.array(Sha256).nullable(),
    validationClips: z.array(Sha256).nullable(),
  }),
  files: z.object({ 'model.json': ModelFileSchema, 'weights.bin': ModelFileSchema }),
  /** 'training': hashed when the model was written; 'first-use': an older model hashed when first used. */
  hashesRecorded: z.enum(['training', 'first-use']),
});
export type SerModel = z.infer<typeof SerModelSchema>;

// ---- a request -------------------------------------------------------------------------------------

/** A folder (searched recursively), a CSV manifest (path[,label][,speaker], paths relative to it) or files. */
export const ClassifySourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal(CLASSIFY_SOURCE_KINDS[0]), path: z.string().min(1) }).strict(),
  z.object({ kind: z.literal(CLASSIFY_SOURCE_KINDS[1]), path: z.string().min(1) }).strict(),
  z.object({ kind: z.literal(CLASSIFY_SOURCE_KINDS[2]), paths: z.array(z.string().min(1)).min(1) }).strict(),
]);
export type ClassifySource = z.infer<typeof ClassifySourceSchema>;

/** A workspace experiment's model (a cross-validation's through `fold`, 0-based), or a model folder. */
export const ModelRefSchema = z.union([
  z.object({ experimentId: z.number().int().positive(), fold: z.number().int().min(0).optional() }).strict(),
  z.object({ dir: z.string().min(1) }).strict(),
]);
export type ModelRef = z.infer<typeof ModelRefSchema>;

const Workers = z.number().refine((v) => inRange(v, LIMITS.workers), { message: `workers must be ${rangeText(LIMITS.workers)}` });
const BatchSize = z.number().refine((v) => inRange(v, CLASSIFY_LIMITS.batchSize), { message: `the batch size must be ${rangeText(CLASSIFY_LIMITS.batchSize)}` });

export const ClassifyRequestSchema = z
  .object({
    model: ModelRefSchema,
    source: ClassifySourceSchema,
    backend: z.enum(BACKEND_CHOICES).default(CLASSIFY_DEFAULTS.backend),
    workers: Workers.optional(),
    batchSize: BatchSize.default(CLASSIFY_DEFAULTS.batchSize),
  })
  .strict();
export type ClassifyRequest = z.input<typeof ClassifyRequestSchema>;
export type ClassifyConfig = z.output<typeof ClassifyRequestSchema>;

// ---- progress ------------------------------------------------------------------------------------------

export const ClassifyProgressSchema = z.discriminatedUnion('phase', [
  /** The run is recorded (its row exists, status running): a window can follow it by this id from now on. */
  z.object({ phase: z.literal('started'), runId: z.number().int() }),
  z.object({ phase: z.literal('status'), message: z.string() }),
  /** Hashing and probing the files. */
  z.object({ phase: z.literal('reading'), done: z.number().int(), total: z.number().int() }),
  /** Feature extraction (cached vectors count as done at once). */
  z.object({
    phase: z.literal('features'),
    done: z.number().int(),
    total: z.number().int(),
    cached: z.number().int(),
    clipsPerSec: z.number(),
    /** Seconds left at the current rate (null before the first computed clip). */
    etaSec: z.number().nullable(),
  }),
  z.object({ phase: z.literal('inference'), done: z.number().int(), total: z.number().int() }),
]);
export type ClassifyProgress = z.infer<typeof ClassifyProgressSchema>;

// ---- the result ------------------------------------------------------------------------------------------

/** One audio file: its prediction, or why it could not be classified. */
export const PredictionSchema = z.object({
  /** As the user knows it: relative to the folder or manifest, or as given. */
  file: z.string(),
  path: z.string(),
  sha256: Sha256.nullable(),
  /** From the sub-folder name or the manifest's label column (null when unknown). */
  labelTrue: z.string().nullable(),
  labelPred: z.string().nullable(),
  /** The predicted class's probability. */
  confidence: z.number().nullable(),
  /** Every class's probability, in the model's label order. */
  probabilities: z.array(z.number()).nullable(),
  durationSec: z.number().nullable(),
  /** The file's own sample rate (before resampling to the model's). */
  sampleRate: z.number().int().nullable(),
  error: ErrorInfoSchema.nullable(),
});
export type Prediction = z.infer<typeof PredictionSchema>;

/** A file that was not an input: not audio by its extension, a repeated or incomplete manifest row. */
export const SkippedFileSchema = z.object({ file: z.string(), code: Code, message: z.string() });
export type SkippedFile = z.infer<typeof SkippedFileSchema>;

/** Files whose true label is not one of the model's classes: how many, and what they were predicted as. */
export const UnknownLabelSchema = z.object({ label: z.string(), files: z.number().int(), predicted: z.record(z.string(), z.number().int()) });

export const EvaluationSchema = z.object({
  labelSource: z.enum(['folder', 'manifest']),
  /** Classified files with a true label (known or not). */
  labelled: z.number().int(),
  /** Over the files whose label is one of the model's classes (null when there are none). */
  known: ClassifyMetricsSchema.nullable(),
  unknownLabels: z.array(UnknownLabelSchema),
  /** The same over the known-label files the model did not train on, when some did (else null). */
  excludingTrainingClips: ClassifyMetricsSchema.nullable(),
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

/** The files against the model's training dataset, by content (sha256). */
export const CorpusSchema = z.object({
  relation: z.enum(CORPUS_RELATIONS),
  dataset: z.object({ name: z.string(), hash: z.string() }),
  /** Files that are clips of that dataset, and of those, clips the model trained on. */
  inDataset: z.number().int(),
  inTraining: z.number().int(),
  message: z.string(),
});
export type Corpus = z.infer<typeof CorpusSchema>;

/** Which model classified: stable across workspaces (file hashes, origin), plus where it was loaded from. */
export const ModelIdentitySchema = z.object({
  /** The experiment in this workspace (null for a model folder from elsewhere). */
  experimentId: z.number().int().nullable(),
  path: z.string(),
  origin: z.object({
    experimentId: z.number().int(),
    fold: z.number().int().nullable(),
    dataset: z.string(),
    datasetHash: z.string(),
    protocol: z.string(),
    createdAt: z.string(),
  }),
  files: z.object({ modelJson: Sha256, weights: Sha256 }),
  labels: z.array(z.string()),
  featureConfigHash: z.string(),
});
export type ModelIdentity = z.infer<typeof ModelIdentitySchema>;

export const ClassifyStatusSchema = z.enum(CLASSIFY_STATUSES);

export const ClassifyTimingsSchema = z.object({
  readMs: z.number(),
  featuresMs: z.number(),
  inferenceMs: z.number(),
  totalMs: z.number(),
  /** Audio files (classified or failed) per second of the whole run. */
  clipsPerSec: z.number(),
});

export const ClassifyCountsSchema = z.object({
  /** Audio inputs (classified + failed + not reached). */
  files: z.number().int(),
  classified: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  /** Left when the run was cancelled. */
  notReached: z.number().int(),
});

export const ClassifyResultSchema = z.object({
  runId: z.number().int(),
  status: ClassifyStatusSchema,
  model: ModelIdentitySchema,
  source: ClassifySourceSchema,
  backend: z.string().nullable(),
  workers: z.number().int().nullable(),
  labels: z.array(z.string()),
  counts: ClassifyCountsSchema,
  /** Classified files per predicted class, in label order. */
  predictedCounts: z.record(z.string(), z.number().int()),
  /** In input order; a file that failed has an error and no prediction. */
  predictions: z.array(PredictionSchema),
  skipped: z.array(SkippedFileSchema),
  evaluation: EvaluationSchema.nullable(),
  corpus: CorpusSchema,
  /** Things the user should know (older model hashed on first use, training clips in the input...). */
  notices: z.array(z.string()),
  timings: ClassifyTimingsSchema.nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type ClassifyResult = z.infer<typeof ClassifyResultSchema>;

/** One row of the classify runs list. */
export const ClassifyRunSummarySchema = z.object({
  id: z.number().int(),
  status: ClassifyStatusSchema,
  experimentId: z.number().int().nullable(),
  modelPath: z.string(),
  /** "experiment 4 (demo)" */
  model: z.string(),
  /** The dataset the model trained on (null when the model could not be read), for a window that words `model` itself. */
  modelDataset: z.string().nullable(),
  sourceKind: z.enum(CLASSIFY_SOURCE_KINDS),
  /** "folder /data/emodb", "3 file(s)" */
  source: z.string(),
  /** The folder or manifest (null for a list of files). */
  sourcePath: z.string().nullable(),
  backend: z.string().nullable(),
  files: z.number().int(),
  classified: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  accuracy: z.number().nullable(),
  macroF1: z.number().nullable(),
  corpus: z.enum(CORPUS_RELATIONS).nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type ClassifyRunSummary = z.infer<typeof ClassifyRunSummarySchema>;

// ---- the window's view of a recorded run -------------------------------------------------------------------

/** A prediction as the window pages it: with its index in the run (the key the audio route serves it by). */
export const PredictionRowSchema = PredictionSchema.extend({ idx: z.number().int() });
export type PredictionRow = z.infer<typeof PredictionRowSchema>;

export const PredictionPageSchema = z.object({ total: z.number().int(), rows: z.array(PredictionRowSchema) });
export type PredictionPage = z.infer<typeof PredictionPageSchema>;

/**
 * A run without its per-file rows (a run over a corpus holds tens of thousands; the window pages them), with
 * the true labels its files carry (for the table's filter) and the model's validation numbers when its
 * experiment is still in the workspace.
 */
export const ClassifyRunDetailSchema = ClassifyResultSchema.omit({ predictions: true }).extend({
  trueLabels: z.array(z.string()),
  modelValidation: z
    .object({ accuracy: z.number().nullable(), macroF1: z.number().nullable(), protocol: z.string(), protocolOutline: ProtocolOutlineSchema.nullable() })
    .nullable(),
});
export type ClassifyRunDetail = z.infer<typeof ClassifyRunDetailSchema>;

/** How a classification job ended, as the progress stream says it (the run itself is read with classify:get). */
export const ClassifyEndSchema = z.object({ runId: z.number().int(), status: ClassifyStatusSchema, counts: ClassifyCountsSchema });
export type ClassifyEnd = z.infer<typeof ClassifyEndSchema>;
