/**
 * The one path from raw feature rows to a trained, evaluated model: normalise per speaker when asked (each side
 * with its own speakers' statistics, speaker-normalize.ts), standardise on the training rows only, build the seeded MLP from its spec, train, evaluate on the validation rows. Every caller (an experiment's
 * folds, the tests, the benches) goes through here; the caller adds storage.
 */
import type { RunSummary, Weights } from '../../shared/experiment';
import type { Activation } from '../../shared/params';
import type { Matrix } from './matrix';
import { classificationReport, summarizeRun, type ClassificationReport } from './metrics';
import { mlpSpec, type MlpSpec } from './mlp-spec';
import { buildMlp } from './model';
import { normalizePerGroup, type RowGroups } from './speaker-normalize';
import { applyStandardizer, fitStandardizer, type Standardizer } from './standardize';
import { trainModel, type EpochLog, type TrainOptions, type TrainResult } from './trainer';

export interface TrainInput {
  xTrain: Matrix;
  yTrain: Int32Array;
  xVal: Matrix;
  yVal: Int32Array;
  /** Class names by index. */
  labels: string[];
  /**
   * Per-speaker normalisation (normalize: speaker): each row's speaker and whether it is an original clip, for each
   * side. Training rows get their speakers' training statistics, validation rows their speakers' validation ones.
   */
  speakers?: { train: RowGroups; val: RowGroups };
}

export interface TrainSettings extends Pick<TrainOptions, 'epochs' | 'batchSize' | 'learningRate' | 'patience'> {
  seed: number;
  hidden?: readonly number[];
  activation?: Activation;
  dropout?: number;
}

export interface TrainOutcome {
  result: TrainResult;
  spec: MlpSpec;
  report: ClassificationReport;
  /** Null when no epoch completed (cancelled in the first epoch). */
  summary: RunSummary | null;
  weights: Weights | null;
  standardizer: Standardizer;
}

export async function trainAndEvaluate(
  input: TrainInput,
  settings: TrainSettings,
  hooks: { onEpoch?: (log: EpochLog) => void | Promise<void>; signal?: AbortSignal } = {},
): Promise<TrainOutcome> {
  const { xTrain, xVal, standardizer } = prepareInputs(input);
  const spec = mlpSpec({
    inputDim: input.xTrain.cols,
    nClasses: input.labels.length,
    hidden: settings.hidden,
    activation: settings.activation,
    dropout: settings.dropout,
    seed: settings.seed,
  });
  const result = await trainModel(
    buildMlp(spec),
    {
      xTrain,
      yTrain: input.yTrain,
      xVal,
      yVal: input.yVal,
      nClasses: input.labels.length,
    },
    { epochs: settings.epochs, batchSize: settings.batchSize, learningRate: settings.learningRate, patience: settings.patience, seed: settings.seed, ...hooks },
  );
  const report = classificationReport(input.yVal, result.valPredictions.predicted, input.labels);
  const h = result.history;
  const summary = h.length
    ? summarizeRun({ loss: h.map((e) => e.loss), acc: h.map((e) => e.acc), valLoss: h.map((e) => e.valLoss), valAcc: h.map((e) => e.valAcc) }, report)
    : null;
  return { result, spec, report, summary, weights: result.weights, standardizer };
}

/**
 * The network's inputs from raw feature rows: per-speaker normalisation first (when asked), then the global
 * standardiser fitted on the (normalised) training rows. Reads no label.
 */
export function prepareInputs(input: Pick<TrainInput, 'xTrain' | 'xVal' | 'speakers'>): { xTrain: Matrix; xVal: Matrix; standardizer: Standardizer } {
  const train = input.speakers ? normalizePerGroup(input.xTrain, input.speakers.train) : input.xTrain;
  const val = input.speakers ? normalizePerGroup(input.xVal, input.speakers.val) : input.xVal;
  const standardizer = fitStandardizer(train);
  return { xTrain: applyStandardizer(standardizer, train), xVal: applyStandardizer(standardizer, val), standardizer };
}
