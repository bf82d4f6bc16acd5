// What a training run is asked to do, and what it reports: shared by the CLI, the job process and the UI.
import { z } from 'zod';

export const AUG_NAMES = ['noise', 'pitch', 'stretch', 'shift', 'gain'] as const;
export const FEATURE_BLOCK_NAMES = ['mfcc', 'chroma', 'mel', 'contrast', 'tonnetz'] as const;

export const SplitSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stratified'), valFraction: z.number().gt(0).lt(1).default(0.2) }),
  z.object({ kind: z.literal('speaker'), valFraction: z.number().gt(0).lt(1).default(0.2) }),
  z.object({ kind: z.literal('kfold'), k: z.number().int().min(2).max(50) }),
  z.object({ kind: z.literal('speaker-kfold'), k: z.number().int().min(2).max(50) }),
]);
export type SplitSpec = z.infer<typeof SplitSpecSchema>;

/** Parses the CLI's --split value: stratified | speaker | kfold:K | speaker-kfold:K. */
export function parseSplitSpec(text: string, valFraction = 0.2): SplitSpec {
  const m = /^(stratified|speaker|kfold|speaker-kfold)(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`--split must be stratified, speaker, kfold:K or speaker-kfold:K (got '${text}')`);
  const kind = m[1] as SplitSpec['kind'];
  if (kind === 'kfold' || kind === 'speaker-kfold') {
    if (!m[2]) throw new Error(`--split ${kind} needs a fold count, e.g. ${kind}:5`);
    return SplitSpecSchema.parse({ kind, k: Number(m[2]) });
  }
  if (m[2]) throw new Error(`--split ${kind} takes no fold count`);
  return SplitSpecSchema.parse({ kind, valFraction });
}

export const TrainRequestSchema = z
  .object({
    dataset: z.union([z.number().int().positive(), z.string().min(1)]),
    split: SplitSpecSchema.default({ kind: 'stratified', valFraction: 0.2 }),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(42),
    augment: z.array(z.enum(AUG_NAMES)).default([...AUG_NAMES]),
    copies: z.number().int().min(0).max(50).default(5),
    copyPolicy: z.enum(['cycle', 'random']).default('cycle'),
    leaky: z.boolean().default(false),
    epochs: z.number().int().min(1).max(10_000).default(100),
    patience: z.number().int().min(0).max(10_000).default(10),
    batchSize: z.number().int().min(1).max(65_536).default(32),
    learningRate: z.number().positive().max(1).default(1e-3),
    hidden: z.array(z.number().int().min(1).max(65_536)).min(1).max(8).default([256, 128, 64]),
    dropout: z.number().min(0).lt(1).default(0.3),
    backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
    features: z
      .object({
        blocks: z.array(z.enum(FEATURE_BLOCK_NAMES)).min(1).default([...FEATURE_BLOCK_NAMES]),
        nMfcc: z.number().int().min(1).max(128).default(13),
        sampleRate: z.number().int().min(8000).max(192_000).default(22050),
      })
      .default({ blocks: [...FEATURE_BLOCK_NAMES], nMfcc: 13, sampleRate: 22050 }),
    workers: z.number().int().min(1).max(256).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.leaky && r.split.kind !== 'stratified') {
      ctx.addIssue({ code: 'custom', message: '--leaky uses the pooled stratified split; it cannot be combined with a speaker or k-fold split', path: ['leaky'] });
    }
  });
export type TrainRequest = z.input<typeof TrainRequestSchema>;
export type TrainConfig = z.output<typeof TrainRequestSchema>;

const PerClassSchema = z.record(z.string(), z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() }));
const MeanSdSchema = z.object({ mean: z.number(), sd: z.number(), n: z.number() });

export const TrainResultSchema = z.object({
  experimentId: z.number().int(),
  status: z.enum(['completed', 'cancelled', 'failed', 'interrupted']),
  backend: z.string(),
  protocol: z.string(),
  leaky: z.boolean(),
  accuracy: z.number(),
  macroF1: z.number(),
  weightedF1: z.number(),
  perClass: PerClassSchema,
  confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number())) }),
  history: z.object({ loss: z.array(z.number()), valLoss: z.array(z.number()), acc: z.array(z.number()), valAcc: z.array(z.number()) }),
  epochs: z.number().int(),
  bestEpoch: z.number().int(),
  summary: z.unknown(),
  split: z.object({ trainClips: z.number().int(), valClips: z.number().int(), trainRows: z.number().int(), valRows: z.number().int(), leakage: z.number().optional() }),
  folds: z
    .object({
      k: z.number().int(),
      experimentIds: z.array(z.number().int()),
      accuracy: MeanSdSchema,
      macroF1: MeanSdSchema,
      weightedF1: MeanSdSchema,
      perClassF1: z.record(z.string(), MeanSdSchema),
    })
    .optional(),
  timings: z.object({ featuresMs: z.number(), trainMs: z.number(), msPerEpoch: z.number() }),
});
export type TrainResult = z.infer<typeof TrainResultSchema>;

export const TrainProgressSchema = z.discriminatedUnion('phase', [
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

export const ExperimentStatusSchema = z.enum(['running', 'completed', 'cancelled', 'interrupted', 'failed']);
export type ExperimentStatus = z.infer<typeof ExperimentStatusSchema>;

export interface MeanSd {
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a single fold. */
  sd: number;
  n: number;
}

/** The values the reference report's conclusions quote, stored as an experiment's `summary`. */
export interface RunSummary {
  finalTrainAcc: number;
  bestTrainAcc: number;
  finalValAcc: number;
  bestValAcc: number;
  finalTrainLoss: number;
  finalValLoss: number;
  minValLoss: number;
  /** 1-based epoch of the minimum validation loss. */
  minValLossEpoch: number;
  bestClass: { label: string; f1: number };
  weakestClass: { label: string; f1: number };
  /** The largest off-diagonal confusion cell, or null when nothing was confused. */
  topConfusion: { trueLabel: string; predictedLabel: string; count: number } | null;
}

/** One row of the experiments list (a k-fold run is a parent with one child per fold). */
export const ExperimentSummarySchema = z.object({
  id: z.number().int(),
  datasetId: z.number().int(),
  dataset: z.string(),
  parentId: z.number().int().nullable(),
  fold: z.number().int().nullable(),
  status: ExperimentStatusSchema,
  protocol: z.string(),
  leaky: z.boolean(),
  seed: z.number().int(),
  backend: z.string().nullable(),
  epochs: z.number().int(),
  bestEpoch: z.number().int().nullable(),
  accuracy: z.number().nullable(),
  macroF1: z.number().nullable(),
  weightedF1: z.number().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type ExperimentSummary = z.infer<typeof ExperimentSummarySchema>;

export const ExperimentDetailSchema = ExperimentSummarySchema.extend({
  config: z.record(z.string(), z.unknown()),
  featureConfigHash: z.string(),
  datasetHash: z.string(),
  versions: z.record(z.string(), z.string()),
  epochsLog: z.array(z.object({ epoch: z.number().int(), loss: z.number(), acc: z.number(), valLoss: z.number().nullable(), valAcc: z.number().nullable(), ms: z.number() })),
  perClass: z.array(z.object({ label: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() })),
  confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(z.number().int())) }),
  summary: z.unknown(),
  split: z.unknown(),
  timings: z.unknown(),
  modelPath: z.string().nullable(),
  children: z.array(ExperimentSummarySchema),
});
export type ExperimentDetail = z.infer<typeof ExperimentDetailSchema>;
