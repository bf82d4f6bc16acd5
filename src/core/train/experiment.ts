/**
 * One training run from raw feature rows to everything an experiment records: standardise on the training
 * rows, build the seeded MLP, train, evaluate on the validation rows. The caller (job, CLI) adds storage.
 */
import type { Matrix } from './matrix';
import { classificationReport, summarizeRun, type ClassificationReport, type RunSummary } from './metrics';
import { buildMlp, countParams, modelSummary, type MlpConfig } from './model';
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

export type TrainConfig = Pick<MlpConfig, 'hidden' | 'dropout'> &
  Pick<TrainOptions, 'epochs' | 'batchSize' | 'learningRate' | 'patience'> & { seed: number };

export interface TrainOutcome {
  result: TrainResult;
  report: ClassificationReport;
  /** Null when no epoch completed (cancelled in the first epoch). */
  summary: RunSummary | null;
  standardizer: Standardizer;
  modelSummary: string;
  params: number;
}

export async function trainAndEvaluate(
  input: TrainInput,
  config: TrainConfig,
  hooks: { onEpoch?: (log: EpochLog) => void | Promise<void>; signal?: AbortSignal } = {},
): Promise<TrainOutcome> {
  const standardizer = fitStandardizer(input.xTrain);
  const model = buildMlp({ inputDim: input.xTrain.cols, nClasses: input.labels.length, hidden: config.hidden, dropout: config.dropout, seed: config.seed });
  const result = await trainModel(
    model,
    {
      xTrain: applyStandardizer(standardizer, input.xTrain),
      yTrain: input.yTrain,
      xVal: applyStandardizer(standardizer, input.xVal),
      yVal: input.yVal,
      nClasses: input.labels.length,
    },
    { ...config, ...hooks },
  );
  const report = classificationReport(input.yVal, result.valPredictions.predicted, input.labels);
  const h = result.history;
  const summary = h.length
    ? summarizeRun({ loss: h.map((e) => e.loss), acc: h.map((e) => e.acc), valLoss: h.map((e) => e.valLoss), valAcc: h.map((e) => e.valAcc) }, report)
    : null;
  return { result, report, summary, standardizer, modelSummary: modelSummary(model), params: countParams(model) };
}
