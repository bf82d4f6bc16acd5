import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../shared/contract';
import { TrainRequestSchema, type TrainConfig, type TrainProgress, type TrainRequest, type TrainResult } from '../../shared/experiment';
import { planClip, type PlannedCopy } from '../augment';
import { describeProtocol, speakerHoldout, speakerKFold, stratifiedHoldout, stratifiedKFold, type Split, type SplitItem } from '../dataset/splits';
import { findDataset } from '../dataset/queries';
import { FEATURE_ALGORITHM_VERSION, featureConfigHash, resolveFeatureConfig } from '../features/config';
import { extractMany, type ClipRequest } from '../jobs/extract-many';
import { ExperimentStore } from '../store/experiments';
import { modelToArtifacts, writeModelDir } from '../train/artifacts';
import { selectBackend, type BackendInfo } from '../train/backend';
import { aggregateFolds, classificationReport, summarizeRun, type ClassificationReport } from '../train/metrics';
import { buildMlp, modelSummary } from '../train/model';
import { applyStandardizer, fitStandardizer } from '../train/standardize';
import { trainModel } from '../train/trainer';
import { APP_VERSION } from '../version';
import type { Workspace } from '../workspace/workspace';
import { FeatureTable, type RowRef } from './rows';
import { datasetSamples, type SampleRecord } from './samples';

export interface RunOptions {
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

interface FoldPlan {
  fold: number | null;
  train: RowRef[];
  val: RowRef[];
  protocol: unknown;
  protocolText: string;
  trainClips: number;
  valClips: number;
  leakage?: number;
}

/**
 * One experiment, as the reference runs it but honestly: split the clips first, augment the
 * training clips only, standardise on training rows, train the MLP, evaluate on untouched
 * originals, and record everything (config, seed, hashes, versions, epochs, metrics, model).
 */
export async function runExperiment(ws: Workspace, request: TrainRequest, opts: RunOptions = {}): Promise<TrainResult> {
  const parsed = TrainRequestSchema.safeParse(request);
  if (!parsed.success) throw new ApiError('invalid_input', parsed.error.issues.map((i) => i.message).join('; '));
  const cfg = parsed.data;
  const progress = opts.onProgress ?? (() => {});
  const dataset = findDataset(ws.db, cfg.dataset);
  if (!dataset) throw new ApiError('not_found', `No dataset '${cfg.dataset}' in this workspace (see: ser-studio datasets).`);
  const samples = datasetSamples(ws.db, dataset.id);
  const labels = [...new Set(samples.map((s) => s.label))].sort();
  if (labels.length < 2) throw new ApiError('too_few_classes', `Dataset '${dataset.name}' has ${labels.length} class(es); training needs at least 2.`);
  const featureConfig = resolveFeatureConfig(cfg.features);
  const configHash = featureConfigHash(featureConfig);

  // 1. Which clips get augmented copies: the training clips of every fold (all clips when leaky).
  const items: SplitItem[] = samples.map((s) => ({ id: String(s.id), label: s.label, speaker: s.speaker, sha256: s.sha256 }));
  const splits = cfg.leaky ? [] : makeSplits(items, cfg);
  const augmented = new Set<number>();
  if (cfg.leaky) samples.forEach((_, i) => augmented.add(i));
  else for (const s of splits) for (const i of s.train) augmented.add(i);
  const plan = { policy: cfg.copyPolicy, copies: cfg.augment.length ? cfg.copies : 0, names: cfg.augment };
  const copies: PlannedCopy[][] = samples.map((s, i) => (augmented.has(i) && plan.copies ? planClip(plan, cfg.seed, s.sha256) : []));

  // 2. Features (cached in the workspace; computed on worker threads otherwise).
  progress({ phase: 'status', message: `extracting features for ${samples.length} clips` });
  const t0 = performance.now();
  const requests: ClipRequest[] = samples.map((s, i) => ({
    key: String(i),
    path: s.absPath,
    sha256: s.sha256,
    variants: [{ augId: '' }, ...copies[i].map((c) => ({ augId: c.augId, params: c.params }))],
  }));
  const failed: string[] = [];
  const features = new FeatureTable(
    await extractMany(ws.db, requests, {
      config: featureConfig,
      workers: cfg.workers,
      signal: opts.signal,
      onProgress: (p) => progress({ phase: 'features', done: p.done, total: p.total, cached: p.cached }),
      onError: (e) => failed.push(`${samples[Number(e.key)].relPath}: ${e.message}`),
    }),
  );
  const featuresMs = performance.now() - t0;
  if (failed.length) progress({ phase: 'status', message: `${failed.length} clip(s) could not be read and are left out: ${failed.slice(0, 3).join('; ')}` });

  // 3. Rows per fold.
  const folds = cfg.leaky ? [leakyPlan(samples, copies, features, cfg)] : splits.map((s, f) => foldPlan(s, f, splits.length, copies, features));

  // 4. Train each fold.
  const backend = await selectBackend(cfg.backend);
  const store = new ExperimentStore(ws.db);
  const versions = {
    app: APP_VERSION,
    node: process.versions.node,
    tfjs: backend.tfjs,
    backend: backend.name,
    ...(backend.backendPackage ? { backendPackage: backend.backendPackage } : {}),
    ...(backend.tensorflow ? { tensorflow: backend.tensorflow } : {}),
    features: FEATURE_ALGORITHM_VERSION,
  };
  const base = {
    datasetId: dataset.id,
    leaky: cfg.leaky,
    config: { ...cfg, features: featureConfig, dataset: dataset.name },
    seed: cfg.seed,
    featureConfigHash: configHash,
    datasetHash: dataset.content_hash,
    versions,
  };
  const kfold = folds.length > 1;
  const parentId = kfold
    ? store.create({ ...base, protocol: { kind: cfg.split.kind, k: folds.length, seed: cfg.seed, text: protocolHeadline(cfg) } })
    : null;
  if (parentId) store.setBackend(parentId, backend.name);

  const clipLabels = samples.map((s) => s.label);
  const outcomes: FoldOutcome[] = [];
  try {
    for (const fold of folds) {
      const outcome = await trainFold(
        ws,
        store,
        { ...base, parentId, fold: kfold ? fold.fold : null, protocol: { ...(fold.protocol as object), text: fold.protocolText } },
        fold,
        { features, clipLabels },
        labels,
        cfg,
        backend,
        featureConfig,
        progress,
        opts.signal,
      );
      outcomes.push(outcome);
      if (outcome.status !== 'completed') break;
    }
  } catch (err) {
    if (parentId) store.finish(parentId, { status: 'failed', error: (err as Error).message });
    throw err;
  }

  const last = outcomes[outcomes.length - 1];
  const status = outcomes.every((o) => o.status === 'completed') ? 'completed' : last.status;
  const trainMs = outcomes.reduce((a, o) => a + o.trainMs, 0);
  const epochs = outcomes.reduce((a, o) => a + o.history.loss.length, 0);
  const timings = { featuresMs: Math.round(featuresMs), trainMs: Math.round(trainMs), msPerEpoch: epochs ? trainMs / epochs : 0 };
  const completed = outcomes.filter((o) => o.report);
  if (!kfold) {
    return resultFor(last, { status, backend: backend.name, leaky: cfg.leaky, timings, fold: folds[0] });
  }
  // k-fold: pooled predictions for the per-class table and confusion, mean ± sd over folds.
  const pooled = completed.length ? poolReports(completed.map((o) => o.report!), labels) : undefined;
  const agg = completed.length ? aggregateFolds(completed.map((o) => o.report!)) : undefined;
  const parentSummary = agg && { folds: agg, pooledAccuracy: pooled?.accuracy };
  store.finish(
    parentId!,
    {
      status,
      accuracy: agg?.accuracy.mean ?? null,
      macroF1: agg?.macroF1.mean ?? null,
      weightedF1: agg?.weightedF1.mean ?? null,
      summary: parentSummary,
      timings,
    },
    pooled && {
      perClass: labels.map((l) => ({ label: l, ...pooled.perClass[l] })),
      confusion: { labels, matrix: pooled.confusion },
    },
  );
  const first = outcomes[0];
  return {
    ...resultFor(first, { status, backend: backend.name, leaky: false, timings, fold: folds[0] }),
    experimentId: parentId!,
    protocol: protocolHeadline(cfg),
    accuracy: agg?.accuracy.mean ?? 0,
    macroF1: agg?.macroF1.mean ?? 0,
    weightedF1: agg?.weightedF1.mean ?? 0,
    perClass: pooled ? perClassOut(pooled) : {},
    confusion: { labels, matrix: pooled?.confusion ?? [] },
    epochs,
    folds: agg && {
      k: folds.length,
      experimentIds: outcomes.map((o) => o.experimentId),
      accuracy: agg.accuracy,
      macroF1: agg.macroF1,
      weightedF1: agg.weightedF1,
      perClassF1: agg.perClassF1,
    },
  };
}

function makeSplits(items: SplitItem[], cfg: TrainConfig): Split[] {
  const s = cfg.split;
  switch (s.kind) {
    case 'stratified':
      return [stratifiedHoldout(items, { valFraction: s.valFraction, seed: cfg.seed })];
    case 'speaker':
      requireSpeakers(items);
      return [speakerHoldout(items, { valFraction: s.valFraction, seed: cfg.seed })];
    case 'kfold':
      return stratifiedKFold(items, { k: s.k, seed: cfg.seed });
    case 'speaker-kfold':
      requireSpeakers(items);
      return speakerKFold(items, { k: s.k, seed: cfg.seed });
  }
}

function requireSpeakers(items: SplitItem[]) {
  const missing = items.filter((i) => !i.speaker).length;
  if (missing) throw new ApiError('no_speakers', `A speaker-independent split needs a speaker for every clip; ${missing} clip(s) have none (import with a CSV manifest that has a speaker column).`);
}

/** The leaky mode splits pooled rows with the stratified hold-out (the request schema allows no other split). */
function leakyValFraction(cfg: TrainConfig): number {
  if (cfg.split.kind !== 'stratified') throw new ApiError('invalid_input', '--leaky needs the stratified hold-out split');
  return cfg.split.valFraction;
}

function protocolHeadline(cfg: TrainConfig): string {
  if (cfg.leaky) {
    const v = leakyValFraction(cfg);
    return `LEAKY (augmented before the split; for demonstration only) stratified ${Math.round((1 - v) * 100)}/${Math.round(v * 100)}, seed ${cfg.seed}`;
  }
  switch (cfg.split.kind) {
    case 'kfold':
      return `stratified ${cfg.split.k}-fold cross-validation, seed ${cfg.seed}`;
    case 'speaker-kfold':
      return `leave-speakers-out ${cfg.split.k}-fold cross-validation, seed ${cfg.seed}`;
    default:
      return '';
  }
}

function rowsOf(clips: number[], copies: PlannedCopy[][], withCopies: boolean, features: FeatureTable): RowRef[] {
  const rows: RowRef[] = [];
  for (const c of clips) if (features.has({ clip: c, augId: '' })) rows.push({ clip: c, augId: '' });
  if (withCopies) for (const c of clips) for (const copy of copies[c]) if (features.has({ clip: c, augId: copy.augId })) rows.push({ clip: c, augId: copy.augId });
  return rows;
}

function foldPlan(split: Split, fold: number, k: number, copies: PlannedCopy[][], features: FeatureTable): FoldPlan {
  return {
    fold: k > 1 ? fold : null,
    train: rowsOf(split.train, copies, true, features),
    val: rowsOf(split.val, copies, false, features),
    protocol: split.protocol,
    protocolText: describeProtocol(split.protocol),
    trainClips: split.train.length,
    valClips: split.val.length,
  };
}

/** The classic mistake, reproduced only to show its effect: pool originals and copies, then split the rows. */
function leakyPlan(samples: SampleRecord[], copies: PlannedCopy[][], features: FeatureTable, cfg: TrainConfig): FoldPlan {
  const pool = rowsOf(samples.map((_, i) => i), copies, true, features);
  const valFraction = leakyValFraction(cfg);
  const split = stratifiedHoldout(
    pool.map((r, i) => ({ id: String(i), label: samples[r.clip].label })),
    { valFraction, seed: cfg.seed },
  );
  const train = split.train.map((i) => pool[i]);
  const val = split.val.map((i) => pool[i]);
  const trainSources = new Set(train.map((r) => r.clip));
  const leakage = val.filter((r) => trainSources.has(r.clip)).length / Math.max(1, val.length);
  return {
    fold: null,
    train,
    val,
    protocol: { kind: 'leaky', valFraction, seed: cfg.seed, poolRows: pool.length, leakage },
    protocolText: protocolHeadline(cfg),
    trainClips: trainSources.size,
    valClips: new Set(val.map((r) => r.clip)).size,
    leakage,
  };
}

interface FoldOutcome {
  experimentId: number;
  status: 'completed' | 'cancelled' | 'failed';
  protocolText: string;
  history: { loss: number[]; acc: number[]; valLoss: number[]; valAcc: number[] };
  bestEpoch: number;
  report?: ClassificationReport;
  summary?: unknown;
  trainMs: number;
  rows: { train: number; val: number };
}

async function trainFold(
  ws: Workspace,
  store: ExperimentStore,
  record: Parameters<ExperimentStore['create']>[0],
  fold: FoldPlan,
  data: { features: FeatureTable; clipLabels: string[] },
  labels: string[],
  cfg: TrainConfig,
  backend: BackendInfo,
  featureConfig: unknown,
  progress: (p: TrainProgress) => void,
  signal?: AbortSignal,
): Promise<FoldOutcome> {
  const experimentId = store.create(record);
  store.setBackend(experimentId, backend.name);
  const history = { loss: [] as number[], acc: [] as number[], valLoss: [] as number[], valAcc: [] as number[] };
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  try {
    // Standardisation is fitted on the training rows only.
    const xTrainRaw = data.features.matrix(fold.train);
    const standardizer = fitStandardizer(xTrainRaw);
    const xTrain = applyStandardizer(standardizer, xTrainRaw);
    const xVal = applyStandardizer(standardizer, data.features.matrix(fold.val));
    const yOf = (rows: RowRef[]) => Int32Array.from(rows.map((r) => labelIndex.get(data.clipLabels[r.clip])!));
    const yTrain = yOf(fold.train);
    const yVal = yOf(fold.val);
    const model = buildMlp({ inputDim: xTrain.cols, nClasses: labels.length, hidden: cfg.hidden, dropout: cfg.dropout, seed: cfg.seed });
    const started = performance.now();
    const result = await trainModel(
      model,
      { xTrain, yTrain, xVal, yVal, nClasses: labels.length },
      {
        epochs: cfg.epochs,
        batchSize: cfg.batchSize,
        learningRate: cfg.learningRate,
        patience: cfg.patience,
        seed: cfg.seed,
        signal,
        onEpoch: (e) => {
          history.loss.push(e.loss);
          history.acc.push(e.acc);
          history.valLoss.push(e.valLoss);
          history.valAcc.push(e.valAcc);
          store.addEpoch(experimentId, { epoch: e.epoch, loss: e.loss, acc: e.acc, valLoss: e.valLoss, valAcc: e.valAcc, ms: e.ms });
          const msPerEpoch = (performance.now() - started) / e.epoch;
          progress({
            phase: 'epoch',
            experimentId,
            fold: fold.fold,
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
    const split = { trainClips: fold.trainClips, valClips: fold.valClips, trainRows: fold.train.length, valRows: fold.val.length, leakage: fold.leakage };
    if (result.status === 'cancelled') {
      store.finish(experimentId, { status: 'cancelled', bestEpoch: result.bestEpoch, split, error: 'cancelled by the user' });
      model.dispose();
      return { experimentId, status: 'cancelled', protocolText: fold.protocolText, history, bestEpoch: result.bestEpoch, trainMs: result.trainMs, rows: { train: fold.train.length, val: fold.val.length } };
    }
    const report = classificationReport(yVal, result.valPredictions.predicted, labels);
    const summary = summarizeRun(history, report);
    const modelDir = path.join(ws.modelsDir, `experiment-${experimentId}`);
    const artifacts = await modelToArtifacts(result.model, {
      serStudio: { labels, standardizer, featureConfig: featureConfig as object, experimentId, summary: modelSummary(result.model) },
    });
    await writeModelDir(modelDir, artifacts);
    store.saveModel(experimentId, { path: modelDir, format: 'tfjs-layers', labels, inputDims: xTrain.cols, featureConfig, standardizer });
    store.finish(
      experimentId,
      {
        status: 'completed',
        bestEpoch: result.bestEpoch,
        accuracy: report.accuracy,
        macroF1: report.macro.f1,
        weightedF1: report.weighted.f1,
        summary: { ...summary, protocol: fold.protocolText, modelSummary: modelSummary(result.model) },
        timings: { trainMs: result.trainMs, msPerEpoch: result.trainMs / Math.max(1, history.loss.length) },
        split,
      },
      { perClass: labels.map((l) => ({ label: l, ...report.perClass[l] })), confusion: { labels, matrix: report.confusion } },
    );
    result.model.dispose();
    return { experimentId, status: 'completed', protocolText: fold.protocolText, history, bestEpoch: result.bestEpoch, report, summary, trainMs: result.trainMs, rows: { train: fold.train.length, val: fold.val.length } };
  } catch (err) {
    store.finish(experimentId, { status: 'failed', error: (err as Error).message });
    throw err;
  } finally {
    tf.disposeVariables();
  }
}

function perClassOut(r: ClassificationReport): TrainResult['perClass'] {
  return Object.fromEntries(r.labels.map((l) => [l, { ...r.perClass[l] }]));
}

/** k-fold: the classification report of all folds' validation predictions together. */
function poolReports(reports: ClassificationReport[], labels: string[]): ClassificationReport {
  const yTrue: number[] = [];
  const yPred: number[] = [];
  for (const r of reports) r.confusion.forEach((row, t) => row.forEach((n, p) => { for (let i = 0; i < n; i++) { yTrue.push(t); yPred.push(p); } }));
  return classificationReport(yTrue, yPred, labels);
}

function resultFor(
  o: FoldOutcome,
  extra: { status: TrainResult['status']; backend: string; leaky: boolean; timings: TrainResult['timings']; fold: FoldPlan },
): TrainResult {
  const r = o.report;
  return {
    experimentId: o.experimentId,
    status: extra.status,
    backend: extra.backend,
    protocol: o.protocolText,
    leaky: extra.leaky,
    accuracy: r?.accuracy ?? 0,
    macroF1: r?.macro.f1 ?? 0,
    weightedF1: r?.weighted.f1 ?? 0,
    perClass: r ? perClassOut(r) : {},
    confusion: { labels: r?.labels ?? [], matrix: r?.confusion ?? [] },
    history: o.history,
    epochs: o.history.loss.length,
    bestEpoch: o.bestEpoch,
    summary: o.summary ?? null,
    split: { trainClips: extra.fold.trainClips, valClips: extra.fold.valClips, trainRows: extra.fold.train.length, valRows: extra.fold.val.length, ...(extra.fold.leakage !== undefined ? { leakage: extra.fold.leakage } : {}) },
    timings: extra.timings,
  };
}
