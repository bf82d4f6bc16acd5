/**
 * The one path from raw feature rows to a trained, evaluated model: normalise per speaker when asked (each side
 * with its own speakers' statistics, speaker-normalize.ts), standardise on the training rows only, build the seeded MLP from its spec, train, evaluate on the validation rows. Every caller (an experiment's
 * folds, the tests, the benches) goes through here; the caller adds storage.
 */
import type { RunSummary, Weights } from '../../shared/experiment';
import type { Activation } from '../../shared/params';
import type { ScoreSet } from '../../shared/protocol';
import * as tf from '@tensorflow/tfjs';
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
  /**
   * A test part (absent: none): standardised with the training rows' statistics and scored once the weights are
   * chosen; it takes no part in training or early stopping. Its score is then the headline report.
   */
  xTest?: Matrix;
  yTest?: Int32Array;
  /** Class names by index. */
  labels: string[];
  /**
   * Per-speaker normalisation (normalize: speaker): each row's speaker and whether it is an original clip, for each
   * side. Training rows get their speakers' training statistics, validation rows their speakers' validation ones.
   */
  speakers?: { train: RowGroups; val: RowGroups; test?: RowGroups };
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
  /** The headline: the test part's report when there is one, else the validation clips' (which also chose the epoch). */
  report: ClassificationReport;
  scoreSet: ScoreSet;
  /** The validation clips' report (the same object as `report` when there is no test part). */
  valReport: ClassificationReport;
  /** The test part's predicted class per row (null when there is none). */
  testPredicted: Int32Array | null;
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
  const { xTrain, xVal, xTest, standardizer } = prepareInputs(input);
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
  const valReport = classificationReport(input.yVal, result.valPredictions.predicted, input.labels);
  // The test part is scored with the weights early stopping chose (or the final ones), after training: never before.
  const testPredicted = xTest && input.yTest && result.history.length ? predictClasses(result.model, xTest) : null;
  const report = testPredicted ? classificationReport(input.yTest!, testPredicted, input.labels) : valReport;
  const h = result.history;
  const summary = h.length
    ? summarizeRun({ loss: h.map((e) => e.loss), acc: h.map((e) => e.acc), valLoss: h.map((e) => e.valLoss), valAcc: h.map((e) => e.valAcc) }, report)
    : null;
  return { result, spec, report, scoreSet: testPredicted ? 'test' : 'validation', valReport, testPredicted, summary, weights: result.weights, standardizer };
}

/** The class the model predicts for each (standardised) row, in inference mode (no dropout). */
function predictClasses(model: tf.LayersModel, x: Matrix): Int32Array {
  return tf.tidy(() => {
    const probs = model.predict(tf.tensor2d(x.data, [x.rows, x.cols])) as tf.Tensor;
    return Int32Array.from(tf.argMax(probs, 1).dataSync());
  });
}

/**
 * The network's inputs from raw feature rows: per-speaker normalisation first (when asked), then the global
 * standardiser fitted on the (normalised) training rows. Reads no label.
 */
export function prepareInputs(input: Pick<TrainInput, 'xTrain' | 'xVal' | 'xTest' | 'speakers'>): { xTrain: Matrix; xVal: Matrix; xTest: Matrix | null; standardizer: Standardizer } {
  const train = input.speakers ? normalizePerGroup(input.xTrain, input.speakers.train) : input.xTrain;
  const val = input.speakers ? normalizePerGroup(input.xVal, input.speakers.val) : input.xVal;
  const test = input.xTest && input.xTest.rows ? (input.speakers?.test ? normalizePerGroup(input.xTest, input.speakers.test) : input.xTest) : null;
  const standardizer = fitStandardizer(train);
  return {
    xTrain: applyStandardizer(standardizer, train),
    xVal: applyStandardizer(standardizer, val),
    xTest: test ? applyStandardizer(standardizer, test) : null,
    standardizer,
  };
}
