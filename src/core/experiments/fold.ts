/**
 * Training one fold (or the one hold-out split) through the one train-and-evaluate path, recording it as
 * it goes: the experiment row first, every epoch as it finishes, then metrics and the model on disk.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { RunSummary, SetScores, SplitSizes, TrainConfig, TrainProgress, Weights } from '../../shared/experiment';
import type { ScoreSet } from '../../shared/protocol';
import type { FeatureConfig } from '../features/config';
import type { ExperimentStore, NewExperiment } from '../store/experiments';
import { metricsFromReport, writeModelCard } from '../classify/model-card';
import { modelToArtifacts, writeModelDir } from '../train/artifacts';
import { writeDirAtomically } from '../workspace/atomic-dir';
import type { ClassificationReport } from '../train/metrics';
import { modelSummary } from '../train/model';
import { trainAndEvaluate } from '../train/train-evaluate';
import type { FoldPlan } from './plan';
import { speakerScores } from './speakers';
import { isSpeakerSplit } from '../../shared/params';
import { ApiError } from '../../shared/errors';
import type { RowGroups } from '../train/speaker-normalize';
import type { FeatureTable, RowRef } from './rows';

export interface FoldContext {
  store: ExperimentStore;
  modelsDir: string;
  cfg: TrainConfig;
  backend: string;
  featureConfig: FeatureConfig;
  features: FeatureTable;
  /** Label of every clip (by clip index), and the class names in model output order. */
  clipLabels: readonly string[];
  labels: string[];
  /** sha256 of every clip (by clip index): ser-model.json records which clips trained and validated the model. */
  clipHashes?: readonly string[];
  /** Speaker of every clip (by clip index): a speaker-independent run records its accuracy per held-out speaker. */
  clipSpeakers?: readonly (string | null)[];
  progress: (p: TrainProgress) => void;
  signal?: AbortSignal;
  /** Called when a fold's training completed, before its model and numbers are saved. */
  onTrained?: (fold: number | null) => void;
}

export interface FoldOutcome {
  experimentId: number;
  fold: number | null;
  status: 'completed' | 'cancelled';
  history: { loss: number[]; acc: number[]; valLoss: number[]; valAcc: number[] };
  bestEpoch: number;
  weights: Weights | null;
  /** Present when the fold completed: the headline's (the test part's when there is one). */
  report?: ClassificationReport;
  /** Which clips `report` comes from, and the validation clips' numbers beside a test headline. */
  scoreSet: ScoreSet;
  validation: SetScores | null;
  summary: RunSummary | null;
  split: SplitSizes;
  trainMs: number;
}

/**
 * Trains `plan` and records it: on `runId`, the row of a hold-out run recorded when it was planned, or on a new
 * row (a fold of `record.parentId` in a cross-validation).
 */
export async function trainFold(ctx: FoldContext, plan: FoldPlan, record: Omit<NewExperiment, 'protocol' | 'fold'>, runId?: number): Promise<FoldOutcome> {
  const { store, cfg } = ctx;
  const experimentId = runId ?? store.create({ ...record, fold: plan.fold, protocol: plan.protocol, stage: 'training' });
  // A leaky split is drawn over the rows, once their features exist.
  if (runId !== undefined && plan.protocol.kind === 'leaky') store.setProtocol(experimentId, plan.protocol);
  store.setBackend(experimentId, ctx.backend);
  const history = { loss: [] as number[], acc: [] as number[], valLoss: [] as number[], valAcc: [] as number[] };
  const split: SplitSizes = {
    trainClips: plan.trainClips,
    valClips: plan.valClips,
    trainRows: plan.train.length,
    valRows: plan.val.length,
    ...(plan.protocol.kind === 'leaky' ? { leakage: plan.protocol.leakage } : {}),
    ...(plan.test.length ? { testClips: plan.testClips, testRows: plan.test.length } : {}),
  };
  const labelIndex = new Map(ctx.labels.map((l, i) => [l, i]));
  const yOf = (rows: RowRef[]) => Int32Array.from(rows.map((r) => labelIndex.get(ctx.clipLabels[r.clip])!));
  try {
    const started = performance.now();
    const out = await trainAndEvaluate(
      {
        xTrain: ctx.features.matrix(plan.train),
        yTrain: yOf(plan.train),
        xVal: ctx.features.matrix(plan.val),
        yVal: yOf(plan.val),
        ...(plan.test.length ? { xTest: ctx.features.matrix(plan.test), yTest: yOf(plan.test) } : {}),
        labels: ctx.labels,
        ...(cfg.normalize === 'speaker'
          ? {
              speakers: {
                train: speakerGroups(plan.train, ctx.clipSpeakers),
                val: speakerGroups(plan.val, ctx.clipSpeakers),
                ...(plan.test.length ? { test: speakerGroups(plan.test, ctx.clipSpeakers) } : {}),
              },
            }
          : {}),
      },
      cfg,
      {
        signal: ctx.signal,
        onEpoch: (e) => {
          history.loss.push(e.loss);
          history.acc.push(e.acc);
          history.valLoss.push(e.valLoss);
          history.valAcc.push(e.valAcc);
          store.addEpoch(experimentId, { epoch: e.epoch, loss: e.loss, acc: e.acc, valLoss: e.valLoss, valAcc: e.valAcc, ms: e.ms });
          const msPerEpoch = (performance.now() - started) / e.epoch;
          ctx.progress({
            phase: 'epoch',
            experimentId,
            fold: plan.fold,
            epoch: e.epoch,
            maxEpochs: cfg.epochs,
            loss: e.loss,
            acc: e.acc,
            valLoss: e.valLoss,
            valAcc: e.valAcc,
            ms: e.ms,
            etaSec: ((cfg.epochs - e.epoch) * msPerEpoch) / 1000,
          });
        },
      },
    );
    const { result, report, summary, weights, scoreSet } = out;
    // the validation clips' numbers stay visible beside a test headline: they also chose the epoch
    const validation = scoreSet === 'test' ? setScores(out.valReport) : null;
    const base = { experimentId, fold: plan.fold, history, bestEpoch: result.bestEpoch, weights, split, trainMs: result.trainMs, scoreSet, validation };
    const timings = { trainMs: result.trainMs, msPerEpoch: result.trainMs / Math.max(1, history.loss.length) };
    if (result.status === 'cancelled') {
      store.finish(experimentId, { status: 'cancelled', bestEpoch: result.bestEpoch, weights, timings, split, error: 'cancelled by the user' });
      result.model.dispose();
      return { ...base, status: 'cancelled', summary: null };
    }
    ctx.onTrained?.(plan.fold);
    const modelDir = path.join(ctx.modelsDir, `experiment-${experimentId}`);
    const artifacts = await modelToArtifacts(result.model, {
      serStudio: { labels: ctx.labels, standardizer: out.standardizer, featureConfig: ctx.featureConfig, experimentId, spec: out.spec, summary: modelSummary(result.model) },
    });
    // ser-model.json beside it makes the folder a portable model; the files' hashes go to the workspace too. The
    // folder is written whole in a temporary sibling and renamed into place: a process killed half-way leaves no
    // model folder with half its files, and the row below is written only once the folder is complete.
    const hashOf = (rows: RowRef[]) => rows.map((r) => ctx.clipHashes![r.clip]);
    const files = await writeDirAtomically(modelDir, async (tmp) => {
      await writeModelDir(tmp, artifacts);
      return writeModelCard(tmp, {
        labels: ctx.labels,
        featureConfig: ctx.featureConfig,
        standardizer: out.standardizer,
        normalize: cfg.normalize,
        spec: out.spec,
        protocol: plan.protocol,
        leaky: record.leaky,
        weights,
        // the card's metrics are the validation clips' as it says (the test part's are the run's headline, in the workspace)
        metrics: metricsFromReport(out.valReport),
        config: record.config,
        versions: record.versions,
        experiment: { id: experimentId, parentId: record.parentId ?? null, fold: plan.fold, seed: record.seed },
        dataset: { name: String(record.config.dataset ?? ''), hash: record.datasetHash },
        clips: ctx.clipHashes ? { train: hashOf(plan.train), validation: hashOf(plan.val) } : null,
      });
    });
    // The model's row, the speakers' scores and the completed status in one transaction: a run reads as completed
    // exactly when its model is recorded.
    store.atomically(() => {
      store.saveModel(experimentId, {
        path: modelDir,
        format: 'tfjs-layers',
        labels: ctx.labels,
        inputDims: out.spec.inputDim,
        featureConfig: ctx.featureConfig,
        standardizer: out.standardizer,
        files,
      });
      if (ctx.clipSpeakers && isSpeakerSplit(plan.protocol.kind)) {
        // per speaker of the set the headline comes from: the test part's speakers when there is one
        const scored = out.testPredicted ? { rows: plan.test, predicted: out.testPredicted } : { rows: plan.val, predicted: result.valPredictions.predicted };
        store.setSpeakerScores(experimentId, speakerScores(scored.rows, yOf(scored.rows), scored.predicted, ctx.clipSpeakers));
      }
      store.finish(
        experimentId,
        {
          status: 'completed',
          bestEpoch: result.bestEpoch,
          weights,
          accuracy: report.accuracy,
          macroF1: report.macro.f1,
          weightedF1: report.weighted.f1,
          scoreSet,
          validation,
          summary,
          timings,
          split,
        },
        { perClass: ctx.labels.map((l) => ({ label: l, ...report.perClass[l] })), confusion: { labels: ctx.labels, matrix: report.confusion } },
      );
    });
    result.model.dispose();
    return { ...base, status: 'completed', report, summary };
  } catch (err) {
    store.finish(experimentId, { status: 'failed', error: (err as Error).message });
    throw err;
  } finally {
    tf.disposeVariables();
  }
}

/** A report's numbers as the run records them beside its headline (the model card's shape: one conversion). */
export function setScores(r: ClassificationReport): SetScores {
  return metricsFromReport(r);
}

/**
 * Each row's speaker and whether it is an original clip, for per-speaker normalisation (its statistics come from
 * the originals; augmented copies take their source's). A clip without a speaker cannot be normalised by one.
 */
export function speakerGroups(rows: readonly RowRef[], clipSpeakers: readonly (string | null)[] | undefined): RowGroups {
  const groups = rows.map((r) => {
    const speaker = clipSpeakers?.[r.clip];
    if (speaker === null || speaker === undefined || speaker === '') {
      throw new ApiError('no_speakers', 'Per-speaker normalisation needs the speaker of every clip, and some clips have none (import a manifest with a speaker column).');
    }
    return speaker;
  });
  return { groups, original: rows.map((r) => r.augId === '') };
}
