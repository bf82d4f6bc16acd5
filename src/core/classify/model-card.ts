/**
 * ser-model.json, the card beside a tfjs model (model.json + weights.bin) that makes the folder a portable
 * model: written when a run completes (experiments/fold.ts), backfilled for older models on first use, copied
 * by export-model. Classification reads labels, features and standardisation from it and nothing else, and
 * refuses a folder whose files no longer have the sha256 it records. No tfjs here: the CLI loads this module.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MODEL_FILES, SER_MODEL_FORMAT, SER_MODEL_VERSION } from '../../shared/classify-params';
import { SerModelSchema, type SerModel } from '../../shared/classify';
import type { Weights } from '../../shared/experiment';
import type { Normalize } from '../../shared/params';
import { describeProtocol, type ProtocolOutline, type SplitProtocol } from '../../shared/protocol';
import { FEATURE_ALGORITHM_VERSION, featureConfigHash, featureDims, type FeatureConfig } from '../features/config';
import type { ClassificationReport } from '../train/metrics';
import type { MlpSpec } from '../train/mlp-spec';
import type { Standardizer } from '../train/standardize';
import { writeFileAtomically } from '../workspace/atomic-dir';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export { featureDims };

export type CardMetrics = SerModel['metrics'];

/** A run's validation report as the card records it. */
export function metricsFromReport(r: ClassificationReport): NonNullable<CardMetrics> {
  return {
    accuracy: r.accuracy,
    macroF1: r.macro.f1,
    weightedF1: r.weighted.f1,
    perClass: Object.fromEntries(r.labels.map((l) => [l, { ...r.perClass[l] }])),
    confusion: { labels: [...r.labels], matrix: r.confusion.map((row) => [...row]) },
  };
}

export interface CardInput {
  labels: readonly string[];
  featureConfig: FeatureConfig;
  standardizer: Standardizer;
  /** How the training rows were scaled before the standardiser (global when omitted). */
  normalize?: Normalize;
  spec: MlpSpec;
  protocol: SplitProtocol | ProtocolOutline;
  /** The protocol in words when the record's own text must be kept (older runs); else describeProtocol's. */
  protocolDescription?: string;
  leaky: boolean;
  weights: Weights | null;
  metrics: CardMetrics;
  config: Record<string, unknown>;
  versions: Record<string, string>;
  experiment: { id: number; parentId: number | null; fold: number | null; seed: number };
  dataset: { name: string; hash: string };
  /** sha256 of the clips of each side (repeats and augmented copies collapse); null when unknown. */
  clips: { train: readonly string[]; validation: readonly string[] } | null;
}

const uniqueSorted = (xs: readonly string[]) => [...new Set(xs)].sort();

export interface ModelFileHashes {
  modelJson: string;
  weights: string;
}

/** The card for the model in `dir` as it is now (its files are hashed here). */
export async function buildModelCard(
  dir: string,
  input: CardInput,
  hashesRecorded: SerModel['hashesRecorded'],
  files?: { modelJson: Uint8Array; weights: Uint8Array },
): Promise<SerModel> {
  const modelJson = files?.modelJson ?? (await readFile(path.join(dir, MODEL_FILES.modelJson)));
  const weights = files?.weights ?? (await readFile(path.join(dir, MODEL_FILES.weights)));
  const card: SerModel = {
    format: SER_MODEL_FORMAT,
    formatVersion: SER_MODEL_VERSION,
    createdAt: new Date().toISOString(),
    labels: [...input.labels],
    features: {
      config: {
        blocks: [...input.featureConfig.blocks],
        nMfcc: input.featureConfig.nMfcc,
        sampleRate: input.featureConfig.sampleRate,
        // a preset other than reference-166 and its version: classification computes that vector, read from here
        ...(input.featureConfig.preset ? { preset: input.featureConfig.preset, presetVersion: input.featureConfig.presetVersion } : {}),
      },
      hash: featureConfigHash(input.featureConfig),
      algorithm: FEATURE_ALGORITHM_VERSION,
      dims: featureDims(input.featureConfig),
    },
    standardizer: { mean: [...input.standardizer.mean], std: [...input.standardizer.std] },
    normalize: input.normalize ?? 'global',
    mlp: { inputDim: input.spec.inputDim, layers: input.spec.layers.map((l) => ({ ...l })), seed: input.spec.seed },
    training: {
      protocol: { description: input.protocolDescription ?? describeProtocol(input.protocol), structured: { ...input.protocol } },
      leaky: input.leaky,
      weights: input.weights,
      config: input.config,
    },
    metrics: input.metrics,
    versions: input.versions,
    experiment: input.experiment,
    dataset: {
      name: input.dataset.name,
      hash: input.dataset.hash,
      trainingClips: input.clips ? uniqueSorted(input.clips.train) : null,
      validationClips: input.clips ? uniqueSorted(input.clips.validation) : null,
    },
    files: {
      'model.json': { sha256: sha256Hex(modelJson), bytes: modelJson.byteLength },
      'weights.bin': { sha256: sha256Hex(weights), bytes: weights.byteLength },
    },
    hashesRecorded,
  };
  return SerModelSchema.parse(card);
}

/** JSON a person can read: one key per line, arrays of plain values (means, clip hashes) on one line each. */
export function formatCard(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + ' ';
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
    return value.length ? `[\n${value.map((v) => inner + formatCard(v, inner)).join(',\n')}\n${indent}]` : '[]';
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length ? `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatCard(v, inner)}`).join(',\n')}\n${indent}}` : '{}';
}

/** Written whole (a temporary file renamed over it): a process killed half-way never leaves half a card. */
export async function writeModelCardFile(dir: string, card: SerModel): Promise<void> {
  writeFileAtomically(path.join(dir, MODEL_FILES.card), formatCard(card) + '\n');
}

/**
 * Writes `dir`/ser-model.json for the model a run just saved there; returns the files' hashes (the caller
 * records them in the workspace).
 */
export async function writeModelCard(dir: string, input: CardInput): Promise<ModelFileHashes> {
  const card = await buildModelCard(dir, input, 'training');
  await writeModelCardFile(dir, card);
  return { modelJson: card.files['model.json'].sha256, weights: card.files['weights.bin'].sha256 };
}
