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
import { finishCrossValidation, holdoutResult } from './assemble';
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

  // Features of every clip and planned copy (cached in the workspace; computed in worker processes otherwise).
  progress({ phase: 'status', message: `extracting features for ${samples.length} clips` });
  const t0 = performance.now();
  const requests: ClipRequest[] = samples.map((s, i) => ({
    key: String(i),
    path: s.absPath,
    sha256: s.sha256,
    variants: [{ augId: '' }, ...plan.copies[i].map((c) => ({ augId: c.augId, params: c.params }))],
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
  const folds = foldPlans(plan, samples, features, cfg);

  const backend = await selectBackend(cfg.backend);
  const store = new ExperimentStore(ws.db);
  const record = {
    datasetId: dataset.id,
    leaky: cfg.leaky,
    config: { ...cfg, features: featureConfig, dataset: dataset.name },
    seed: cfg.seed,
    featureConfigHash: featureConfigHash(featureConfig),
    datasetHash: dataset.content_hash,
    versions: versionsOf(backend),
  };
  const crossValidation = plan.folds > 1;
  const parentId = crossValidation ? store.create({ ...record, protocol: plan.outline }) : null;
  if (parentId) store.setBackend(parentId, backend.name);

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
    progress,
    signal: opts.signal,
  };
  const outcomes: FoldOutcome[] = [];
  try {
    for (const fold of folds) {
      const outcome = await trainFold(ctx, fold, { ...record, parentId });
      outcomes.push(outcome);
      if (outcome.status !== 'completed') break;
    }
  } catch (err) {
    if (parentId) store.finish(parentId, { status: 'failed', error: (err as Error).message });
    throw err;
  }

  const trainMs = outcomes.reduce((a, o) => a + o.trainMs, 0);
  const epochs = outcomes.reduce((a, o) => a + o.history.loss.length, 0);
  const facts = {
    backend: backend.name,
    leaky: cfg.leaky,
    timings: { featuresMs: Math.round(featuresMs), trainMs: Math.round(trainMs), msPerEpoch: epochs ? trainMs / epochs : 0 },
    protocol: crossValidation ? describeProtocol(plan.outline) : describeProtocol(folds[0].protocol),
  };
  return parentId ? finishCrossValidation(store, parentId, outcomes, plan.folds, labels, facts) : holdoutResult(outcomes[0], facts);
}

function versionsOf(backend: BackendInfo): Record<string, string> {
  return {
    app: APP_VERSION,
    node: process.versions.node,
    tfjs: backend.tfjs,
    backend: backend.name,
    ...(backend.backendPackage ? { backendPackage: backend.backendPackage } : {}),
    ...(backend.tensorflow ? { tensorflow: backend.tensorflow } : {}),
    features: FEATURE_ALGORITHM_VERSION,
  };
}
