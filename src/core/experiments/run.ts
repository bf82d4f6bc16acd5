/**
 * One experiment, as the reference runs it but honestly: plan the protocol (split the clips first), extract
 * features (augmenting training clips only), train each fold through the one train-and-evaluate path, and
 * record everything (config, seed, hashes, versions, epochs, metrics, model). The pieces live beside this
 * file: plan.ts (protocol), fold.ts (training one fold), assemble.ts (the result).
 */
import { ANALYSIS_FRAME_SAMPLES } from '../../shared/classify-params';
import { ApiError } from '../../shared/errors';
import { TrainRequestSchema, type SkippedClip, type TrainConfig, type TrainProgress, type TrainRequest, type TrainResult } from '../../shared/experiment';
import { describeProtocol } from '../../shared/protocol';
import { findDataset } from '../dataset/queries';
import { FEATURE_ALGORITHM_VERSION, featureConfigHash, resolveFeatureConfig, type FeatureConfig } from '../features/config';
import { FRAME_SETTINGS } from '../features/presets';
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
import { datasetSamples, type SampleRecord } from './samples';
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
  if (cfg.normalize === 'speaker') refuseClipsWithoutSpeaker(samples, dataset.name);
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
    // Clips too short for one analysis frame or longer than the run takes are left out before any work, and listed.
    const skipped: SkippedClip[] = [];
    const requests: ClipRequest[] = [];
    samples.forEach((s, i) => {
      const unfit = unfitClip(s, cfg, featureConfig);
      if (unfit) skipped.push(unfit);
      else {
        requests.push({
          key: String(i),
          path: s.absPath,
          sha256: s.sha256,
          durationSec: s.durationSec,
          variants: [{ augId: '' }, ...plan.copies[i].map((c) => ({ augId: c.augId, params: c.params }))],
        });
      }
    });
    let features: FeatureTable;
    try {
      features = new FeatureTable(
        await extractMany(ws.db, requests, {
          config: featureConfig,
          workers: cfg.workers,
          signal: opts.signal,
          maxSamples: Math.ceil(cfg.maxDurationSec * featureConfig.sampleRate),
          onProgress: (p) => {
            tracker.features(p.done, p.total, p.cached);
            progress({ phase: 'features', done: p.done, total: p.total, cached: p.cached });
          },
          onError: (e) => {
            const s = samples[Number(e.key)];
            // the worker names the file by its absolute path; the run lists it as the dataset does
            const message = e.message.startsWith(`${s.absPath}: `) ? `${s.relPath}${e.message.slice(s.absPath.length)}` : e.message;
            skipped.push({ file: s.relPath, label: s.label, code: e.code, message: message.startsWith(s.relPath) ? message : `${s.relPath}: ${message}` });
          },
        }),
      );
      if (opts.signal?.aborted) throw Object.assign(new Error('feature extraction cancelled'), { code: 'cancelled' });
    } catch (err) {
      if (!opts.signal?.aborted) throw err;
      // Cancelled before training: recorded as such, at the stage it reached (what was extracted stays cached).
      tracker.flush();
      const timings = { featuresMs: Math.round(performance.now() - t0), trainMs: 0, msPerEpoch: 0 };
      const protocol = describeProtocol(crossValidation || cfg.leaky ? plan.outline : plan.splits[0].protocol);
      if (crossValidation) return { ...finishCrossValidation(store, runId, [], plan.folds, labels, { backend: '', leaky: cfg.leaky, timings, protocol }), skipped };
      const split = { trainClips: planned.splits[0]?.trainClips ?? 0, valClips: planned.splits[0]?.valClips ?? 0, trainRows: 0, valRows: 0 };
      store.finish(runId, { status: 'cancelled', timings, split, error: 'cancelled by the user' });
      return { ...cancelledBeforeTraining(runId, cfg.leaky, protocol, split, timings), skipped };
    }
    const featuresMs = performance.now() - t0;
    // Every clip left out is recorded with the run (its pages, the CLI and --json list them); --on-error fail stops here.
    skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    store.setSkipped(runId, skipped);
    if (skipped.length) {
      progress({ phase: 'status', message: `${skipped.length} clip(s) left out (listed with the run): ${skipped.slice(0, 3).map((s) => s.message).join('; ')}${skipped.length > 3 ? '; …' : ''}` });
      if (cfg.onError === 'fail') {
        const listed = skipped.slice(0, 20).map((s) => s.message);
        if (skipped.length > 20) listed.push(`and ${skipped.length - 20} more`);
        throw new ApiError('clips_failed', `${skipped.length} clip(s) of '${dataset.name}' could not be used, and the run stops on such clips (--on-error fail): ${listed.join('; ')}`, { skipped });
      }
    }
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
  const result = crossValidation ? finishCrossValidation(store, runId, outcomes, plan.folds, labels, facts) : holdoutResult(outcomes[0], facts);
  return { ...result, skipped: store.skipped(runId) ?? [] };
}

/** Per-speaker normalisation needs every clip's speaker: refused before anything is recorded, naming the clips. */
function refuseClipsWithoutSpeaker(samples: readonly SampleRecord[], dataset: string): void {
  const without = samples.filter((s) => !s.speaker).map((s) => s.relPath);
  if (!without.length) return;
  const listed = without.slice(0, 10).join(', ') + (without.length > 10 ? ` and ${without.length - 10} more` : '');
  throw new ApiError(
    'no_speakers',
    `Per-speaker normalisation (--normalize speaker) needs the speaker of every clip; ${without.length} of ${samples.length} clip(s) of '${dataset}' have none: ${listed}. ` +
      'Import the dataset from a manifest with a speaker column, or normalise globally (--normalize global).',
  );
}

/**
 * A clip the run cannot take, decided from what import probed: shorter than one analysis frame once resampled (its
 * features would describe padding), or longer than the run's maximum duration (augmenting it would take memory in
 * proportion to its length). Null when it is fit.
 */
function unfitClip(s: SampleRecord, cfg: TrainConfig, features: FeatureConfig): SkippedClip | null {
  const sampleRate = features.sampleRate;
  if (s.durationSec > cfg.maxDurationSec) {
    return {
      file: s.relPath,
      label: s.label,
      code: 'too_long',
      message: `${s.relPath}: ${durationText(s.durationSec)} of audio is longer than this run's longest clip (${durationText(cfg.maxDurationSec)}; train --max-duration)`,
    };
  }
  const resampled = Math.ceil((s.frames * sampleRate) / s.sampleRate);
  // the extended preset's MFCC deltas need as many frames as their width (librosa's delta refuses fewer)
  const deltaSamples = (FRAME_SETTINGS.deltaWidth - 1) * FRAME_SETTINGS.hop;
  if (features.preset && resampled < deltaSamples) {
    return {
      file: s.relPath,
      label: s.label,
      code: 'too_short',
      message:
        `${s.relPath}: ${(s.durationSec * 1000).toFixed(0)} ms of audio is shorter than the ${features.preset} preset takes ` +
        `(${deltaSamples} samples = ${(deltaSamples / sampleRate).toFixed(3)} s at ${sampleRate} Hz: ${FRAME_SETTINGS.deltaWidth} frames for the MFCC deltas)`,
    };
  }
  if (resampled < ANALYSIS_FRAME_SAMPLES) {
    return {
      file: s.relPath,
      label: s.label,
      code: 'too_short',
      message:
        `${s.relPath}: ${s.frames} sample${s.frames === 1 ? '' : 's'} (${(s.durationSec * 1000).toFixed(s.durationSec < 0.01 ? 2 : 0)} ms) of audio is shorter than one analysis frame ` +
        `(${ANALYSIS_FRAME_SAMPLES} samples = ${(ANALYSIS_FRAME_SAMPLES / sampleRate).toFixed(3)} s at ${sampleRate} Hz)`,
    };
  }
  return null;
}

function durationText(sec: number): string {
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const m = Math.floor(sec / 60);
  return m < 60 ? `${m} min ${String(Math.round(sec - 60 * m)).padStart(2, '0')} s` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A hold-out run cancelled before its first epoch. */
function cancelledBeforeTraining(
  experimentId: number,
  leaky: boolean,
  protocol: string,
  split: TrainResult['split'],
  timings: TrainResult['timings'],
): Omit<TrainResult, 'skipped'> {
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
