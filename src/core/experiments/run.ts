/**
 * One experiment, as the reference runs it but honestly: plan the protocol (split the clips first), extract
 * features (augmenting training clips only), train each fold through the one train-and-evaluate path, and
 * record everything (config, seed, hashes, versions, epochs, metrics, model). The pieces live beside this
 * file: plan.ts (protocol), fold.ts (training one fold), assemble.ts (the result).
 */
import { ApiError } from '../../shared/errors';
import { TrainRequestSchema, type TrainProgress, type TrainRequest, type TrainResult } from '../../shared/experiment';
import { describeProtocol } from '../../shared/protocol';
import { findDataset } from '../dataset/queries';
import { FEATURE_ALGORITHM_VERSION, featureConfigHash, resolveFeatureConfig } from '../features/config';
import { extractMany, type ClipRequest } from '../jobs/extract-many';
import { ExperimentStore } from '../store/experiments';
import { selectBackend, type BackendInfo } from '../train/backend';
import { APP_VERSION } from '../version';
import type { Workspace } from '../workspace/workspace';
import { finishCrossValidation, holdoutResult, type RunFacts } from './assemble';
import { RunTracker, plannedRun } from './tracker';
import { trainFold, type FoldOutcome } from './fold';
import { foldPlans, planRun } from './plan';
import { FeatureTable } from './rows';
import { datasetSamples } from './samples';
import { formatZod } from '../api/service';

export interface RunOptions {
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

export async function runExperiment(ws: Workspace, request: TrainRequest, opts: RunOptions = {}): Promise<TrainResult> {
  const parsed = TrainRequestSchema.safeParse(request);
  if (!parsed.success) throw new ApiError('invalid_input', formatZod(parsed.error));
  const cfg = parsed.data;
  const progress = opts.onProgress ?? (() => {});
  const dataset = findDataset(ws.db, cfg.dataset);
  if (!dataset) throw new ApiError('not_found', `No dataset '${cfg.dataset}' in this workspace (see: ser-studio datasets).`);
  const samples = datasetSamples(ws.db, dataset.id);
  const labels = [...new Set(samples.map((s) => s.label))].sort();
  if (labels.length < 2) throw new ApiError('too_few_classes', `Dataset '${dataset.name}' has ${labels.length} class(es); training needs at least 2.`);
  const featureConfig = resolveFeatureConfig(cfg.features);
  const plan = planRun(samples, cfg);
  const crossValidation = plan.folds > 1;

  // The run is recorded as soon as it is planned, before its features: every window lists it, follows it and can
  // cancel it from now on. A hold-out run is its one row; a cross-validation is a parent with a row per fold.
  const store = new ExperimentStore(ws.db);
  const record = {
    datasetId: dataset.id,
    leaky: cfg.leaky,
    config: { ...cfg, features: featureConfig, dataset: dataset.name },
    seed: cfg.seed,
    featureConfigHash: featureConfigHash(featureConfig),
    datasetHash: dataset.content_hash,
    versions: versionsOf(null),
  };
  const planned = plannedRun(plan, samples);
  const runId = store.create({ ...record, protocol: crossValidation || cfg.leaky ? plan.outline : plan.splits[0].protocol, stage: 'queued' });
  const tracker = new RunTracker(store, runId, planned, cfg.epochs);
  progress({ phase: 'started', experimentId: runId, plan: planned });
  const report = (p: TrainProgress) => {
    if (p.phase === 'epoch') tracker.epoch(p.fold, p.epoch);
    progress(p);
  };

  const t0 = performance.now();
  const outcomes: FoldOutcome[] = [];
  let facts: RunFacts;
  try {
    // Features of every clip and planned copy (cached in the workspace; computed in worker processes otherwise).
    tracker.to('features');
    progress({ phase: 'status', message: `extracting features for ${samples.length} clips${planned.copies ? ` and ${planned.copies} augmented copies` : ''}` });
    const requests: ClipRequest[] = samples.map((s, i) => ({
      key: String(i),
      path: s.absPath,
      sha256: s.sha256,
      variants: [{ augId: '' }, ...plan.copies[i].map((c) => ({ augId: c.augId, params: c.params }))],
    }));
    const failed: string[] = [];
    let features: FeatureTable;
    try {
      features = new FeatureTable(
        await extractMany(ws.db, requests, {
          config: featureConfig,
          workers: cfg.workers,
          signal: opts.signal,
          onProgress: (p) => {
            tracker.features(p.done, p.total, p.cached);
            progress({ phase: 'features', done: p.done, total: p.total, cached: p.cached });
          },
          onError: (e) => failed.push(`${samples[Number(e.key)].relPath}: ${e.message}`),
        }),
      );
      if (opts.signal?.aborted) throw Object.assign(new Error('feature extraction cancelled'), { code: 'cancelled' });
    } catch (err) {
      if (!opts.signal?.aborted) throw err;
      // Cancelled before training: recorded as such, at the stage it reached (what was extracted stays cached).
      tracker.flush();
      const timings = { featuresMs: Math.round(performance.now() - t0), trainMs: 0, msPerEpoch: 0 };
      const protocol = describeProtocol(crossValidation || cfg.leaky ? plan.outline : plan.splits[0].protocol);
      if (crossValidation) return finishCrossValidation(store, runId, [], plan.folds, labels, { backend: '', leaky: cfg.leaky, timings, protocol });
      const split = { trainClips: planned.splits[0]?.trainClips ?? 0, valClips: planned.splits[0]?.valClips ?? 0, trainRows: 0, valRows: 0 };
      store.finish(runId, { status: 'cancelled', timings, split, error: 'cancelled by the user' });
      return cancelledBeforeTraining(runId, cfg.leaky, protocol, split, timings);
    }
    const featuresMs = performance.now() - t0;
    if (failed.length) progress({ phase: 'status', message: `${failed.length} clip(s) could not be read and are left out: ${failed.slice(0, 3).join('; ')}` });
    const folds = foldPlans(plan, samples, features, cfg);

    const backend = await selectBackend(cfg.backend);
    record.versions = versionsOf(backend);
    store.setRuntime(runId, backend.name, record.versions);
    tracker.to('training');
    const ctx = {
      store,
      modelsDir: ws.modelsDir,
      cfg,
      backend: backend.name,
      featureConfig,
      features,
      clipLabels: samples.map((s) => s.label),
      labels,
      clipHashes: samples.map((s) => s.sha256),
      clipSpeakers: samples.map((s) => s.speaker),
      progress: report,
      signal: opts.signal,
      // The last fold trained: what is left is saving its model and the run's numbers.
      onTrained: (fold: number | null) => (fold === null || fold === folds.length - 1) && tracker.to('finishing'),
    };
    const parentId = crossValidation ? runId : null;
    for (const fold of folds) {
      const outcome = await trainFold(ctx, fold, { ...record, parentId }, crossValidation ? undefined : runId);
      outcomes.push(outcome);
      if (outcome.status !== 'completed') break;
    }
    const trainMs = outcomes.reduce((a, o) => a + o.trainMs, 0);
    const epochs = outcomes.reduce((a, o) => a + o.history.loss.length, 0);
    facts = {
      backend: backend.name,
      leaky: cfg.leaky,
      timings: { featuresMs: Math.round(featuresMs), trainMs: Math.round(trainMs), msPerEpoch: epochs ? trainMs / epochs : 0 },
      protocol: crossValidation ? describeProtocol(plan.outline) : describeProtocol(folds[0].protocol),
    };
  } catch (err) {
    tracker.flush();
    if (store.get(runId)?.status === 'running') store.finish(runId, { status: 'failed', error: (err as Error).message });
    throw err;
  }
  tracker.flush();
  return crossValidation ? finishCrossValidation(store, runId, outcomes, plan.folds, labels, facts) : holdoutResult(outcomes[0], facts);
}

/** A hold-out run cancelled before its first epoch. */
function cancelledBeforeTraining(experimentId: number, leaky: boolean, protocol: string, split: TrainResult['split'], timings: TrainResult['timings']): TrainResult {
  return {
    experimentId,
    status: 'cancelled',
    backend: '',
    protocol,
    leaky,
    accuracy: null,
    macroF1: null,
    weightedF1: null,
    perClass: {},
    confusion: { labels: [], matrix: [] },
    history: { loss: [], valLoss: [], acc: [], valAcc: [] },
    epochs: 0,
    bestEpoch: 0,
    weights: null,
    summary: null,
    split,
    timings,
  };
}

/** Versions recorded with a run; the backend's are known once it is chosen (after the features). */
function versionsOf(backend: BackendInfo | null): Record<string, string> {
  return {
    app: APP_VERSION,
    node: process.versions.node,
    ...(backend
      ? {
          tfjs: backend.tfjs,
          backend: backend.name,
          ...(backend.backendPackage ? { backendPackage: backend.backendPackage } : {}),
          ...(backend.tensorflow ? { tensorflow: backend.tensorflow } : {}),
        }
      : {}),
    features: FEATURE_ALGORITHM_VERSION,
  };
}
