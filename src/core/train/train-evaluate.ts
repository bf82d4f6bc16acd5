/**
 * The one path from raw feature rows to a trained, evaluated model: standardise on the training rows only,
 * build the seeded MLP from its spec, train, evaluate on the validation rows. Every caller (an experiment's
 * folds, the tests, the benches) goes through here; the caller adds storage.
 */
import type { RunSummary, Weights } from '../../shared/experiment';
import type { Activation } from '../../shared/params';
import type { Matrix } from './matrix';
import { classificationReport, summarizeRun, type ClassificationReport } from './metrics';
import { mlpSpec, type MlpSpec } from './mlp-spec';
import { buildMlp } from './model';
import { applyStandardizer, fitStandardizer, type Standardizer } from './standardize';
import { trainModel, type EpochLog, type TrainOptions, type TrainResult } from './trainer';

export interface TrainInput {
  xTrain: Matrix;
  yTrain: Int32Array;
  xVal: Matrix;
  yVal: Int32Array;
  /** Class names by index. */
  labels: string[];
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
  const standardizer = fitStandardizer(input.xTrain);
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
      xTrain: applyStandardizer(standardizer, input.xTrain),
      yTrain: input.yTrain,
      xVal: applyStandardizer(standardizer, input.xVal),
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
