/**
 * Batch classification with a trained model: check the model (model.ts), list the inputs (inputs.ts), hash
 * and probe every file once (read.ts), extract features through the worker pool and the feature cache with
 * exactly the model's feature configuration, normalise per speaker group when the model was trained so (groups.ts),
 * standardise with its stored mean/std, run the network in
 * batches (infer.ts), score against known labels (evaluate.ts), and record the run and every file's row.
 * A file that cannot be used gets a code and a sentence and never stops the others; cancel keeps what was
 * classified before it.
 */
import { ANALYSIS_FRAME_SAMPLES } from '../../shared/classify-params';
import {
  ClassifyRequestSchema,
  type ClassifyProgress,
  type ClassifyRequest,
  type ClassifyResult,
  type Prediction,
} from '../../shared/classify';
import { ApiError, errorInfo, type ErrorCode } from '../../shared/errors';
import { formatZod } from '../api/service';
import { featureConfigHash, resolveFeatureConfig } from '../features/config';
import { extractMany, type ClipRequest } from '../jobs/extract-many';
import { defaultPoolSize } from '../jobs/pool';
import { ClassifyRunStore } from '../store/classify-runs';
import { FeatureCache } from '../store/feature-cache';
import { selectBackend, type BackendInfo } from '../train/backend';
import { normalizePerGroup } from '../train/speaker-normalize';
import { applyStandardizer } from '../train/standardize';
import { groupNotices, inputGroups } from './groups';
import type { Matrix } from '../train/matrix';
import type { Workspace } from '../workspace/workspace';
import type { LayersModel } from '@tensorflow/tfjs';
import { corpusOf, countPredicted, evaluate } from './evaluate';
import { loadNetwork, predictProbabilities } from './infer';
import { collectInputs } from './inputs';
import { resolveModel } from './model';
import { readAudioFile } from './read';

export interface ClassifyOptions {
  onProgress?: (p: ClassifyProgress) => void;
  signal?: AbortSignal;
}

/** Files hashed and probed at once: I/O bound, a few in flight keep the disk busy. */
const READ_CONCURRENCY = 4;

export async function classifyFiles(ws: Workspace, request: ClassifyRequest, opts: ClassifyOptions = {}): Promise<ClassifyResult> {
  const parsed = ClassifyRequestSchema.safeParse(request);
  if (!parsed.success) throw new ApiError('invalid_input', formatZod(parsed.error));
  const cfg = parsed.data;
  const progress = opts.onProgress ?? (() => {});
  const signal = opts.signal;
  const t0 = performance.now();

  const model = await resolveModel(ws, cfg.model);
  const { card } = model;
  const labels = card.labels;
  const featureConfig = resolveFeatureConfig(card.features.config);
  const inputs = collectInputs(cfg.source, labels);
  // The backend loads (tfjs-node takes a while) and the network is built while the files are read and their
  // features extracted; whatever happens, the network is disposed at the end.
  const networkReady: Promise<{ backend: BackendInfo; net: LayersModel } | Error> = selectBackend(cfg.backend)
    .then(async (backend) => ({ backend, net: await loadNetwork(model) }))
    .catch((err: Error) => err);
  const disposeNetwork = () => void networkReady.then((n) => !(n instanceof Error) && n.net.dispose());

  const store = new ClassifyRunStore(ws.db);
  const workers = cfg.workers ?? defaultPoolSize();
  const runId = store.create({
    experimentId: model.experimentId,
    modelPath: model.dir,
    model: model.identity,
    sourceKind: cfg.source.kind,
    source: cfg.source,
    labels,
    workers,
  });
  progress({ phase: 'started', runId });
  const notices = [...model.notices];
  const rows: Prediction[] = inputs.files.map((f) => ({
    file: f.file,
    path: f.absPath,
    sha256: null,
    labelTrue: f.labelTrue,
    labelPred: null,
    confidence: null,
    probabilities: null,
    durationSec: null,
    sampleRate: null,
    error: null,
  }));
  const total = rows.length;

  try {
    // 1. Hash and probe each file (one read); empty, truncated, non-audio and too-short files stop here.
    const minSec = ANALYSIS_FRAME_SAMPLES / featureConfig.sampleRate;
    let read = 0;
    let next = 0;
    const reader = async () => {
      for (let i = next++; i < total && !signal?.aborted; i = next++) {
        const row = rows[i];
        try {
          const { sha256, probe } = await readAudioFile(row.path, row.file);
          row.sha256 = sha256;
          row.durationSec = probe.durationSec;
          row.sampleRate = probe.sampleRate;
          if (probe.frames === 0) row.error = { code: 'empty', message: `${row.file}: holds no audio samples (a header only)` };
          else if (probe.durationSec < minSec) {
            row.error = {
              code: 'too_short',
              message:
                `${row.file}: ${probe.durationSec.toFixed(3)} s of audio is shorter than one analysis frame ` +
                `(${ANALYSIS_FRAME_SAMPLES} samples = ${minSec.toFixed(3)} s at ${featureConfig.sampleRate} Hz)`,
            };
          }
        } catch (err) {
          row.error = errorInfo(err, 'unreadable');
        }
        progress({ phase: 'reading', done: ++read, total });
      }
    };
    const tRead = performance.now();
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, total) }, reader));
    const readMs = performance.now() - tRead;
    // A backend that cannot load (an explicit --backend tensorflow without tfjs-node) fails the run now if it
    // already has, rather than after every feature is extracted.
    const early = await Promise.race([networkReady, Promise.resolve(null)]);
    if (early instanceof Error) throw early;

    // 2. Features with the model's configuration: each distinct clip once, cached in the workspace.
    const tFeatures = performance.now();
    const vectors = new Map<string, Float64Array>();
    const failedBySha = new Map<string, { code: ErrorCode; message: string; path: string }>();
    const firstBySha = new Map<string, Prediction>();
    for (const r of rows) if (r.sha256 && !r.error && !firstBySha.has(r.sha256)) firstBySha.set(r.sha256, r);
    let cancelled = Boolean(signal?.aborted);
    if (!cancelled && firstBySha.size) {
      const requests: ClipRequest[] = [...firstBySha.values()].map((r) => ({
        key: r.sha256!,
        path: r.path,
        sha256: r.sha256!,
        variants: [{ augId: '' }],
        durationSec: r.durationSec ?? undefined,
      }));
      let startDone = -1;
      try {
        const results = await extractMany(ws.db, requests, {
          config: featureConfig,
          workers,
          signal,
          onProgress: (p) => {
            if (startDone < 0) startDone = p.done;
            const sec = (performance.now() - tFeatures) / 1000;
            const rate = sec > 0 ? (p.done - startDone) / sec : 0;
            progress({ phase: 'features', done: p.done, total: p.total, cached: p.cached, clipsPerSec: rate, etaSec: rate > 0 ? (p.total - p.done) / rate : null });
          },
          onError: (e) => failedBySha.set(e.key, { code: e.code, message: e.message, path: e.path }),
        });
        for (const r of results) vectors.set(r.key, r.features.vector);
      } catch (err) {
        if (!signal?.aborted) throw err;
        cancelled = true;
        // What the workers finished before the cancel is in the feature cache: classify those.
        const cache = new FeatureCache(ws.db);
        const configHash = featureConfigHash(featureConfig);
        for (const sha of firstBySha.keys()) {
          const hit = cache.get({ sha256: sha, configHash });
          if (hit) vectors.set(sha, hit.vector);
        }
      }
    }
    for (const r of rows) {
      const failed = r.sha256 && !r.error ? failedBySha.get(r.sha256) : undefined;
      // The worker names the file by its absolute path; rows name it as the user knows it.
      if (failed) r.error = { code: failed.code, message: failed.message.startsWith(`${failed.path}: `) ? `${r.file}: ${failed.message.slice(failed.path.length + 2)}` : failed.message };
    }
    const featuresMs = performance.now() - tFeatures;

    // 3. Standardise with the model's own mean/std and run the network in batches.
    const tInfer = performance.now();
    const network = await networkReady;
    if (network instanceof Error) throw network;
    const { backend, net } = network;
    store.setBackend(runId, backend.name);
    const todo = rows.filter((r) => r.sha256 && !r.error && vectors.has(r.sha256));
    if (todo.length) {
      const dims = card.features.dims;
      const data = new Float32Array(todo.length * dims);
      todo.forEach((r, i) => {
        const v = vectors.get(r.sha256!)!;
        if (v.length !== dims) throw new ApiError('internal', `${r.file}: ${v.length} features where the model takes ${dims}`);
        data.set(v, i * dims);
      });
      let raw: Matrix = { rows: todo.length, cols: dims, data };
      if (card.normalize === 'speaker') {
        // Trained on rows z-scored per speaker: the inputs are too, per group, before the model's standardiser.
        const speakerOf = new Map(inputs.files.map((f) => [f.file, f.speaker ?? null]));
        const grouped = inputGroups(todo.map((r) => ({ file: r.file, speaker: speakerOf.get(r.file) })));
        raw = normalizePerGroup(raw, { groups: grouped.groups });
        notices.push(...groupNotices(grouped));
      }
      const x = applyStandardizer(card.standardizer, raw);
      progress({ phase: 'inference', done: 0, total: todo.length });
      const probs = predictProbabilities(net, x, cfg.batchSize, (done) => progress({ phase: 'inference', done, total: todo.length }));
      const k = labels.length;
      todo.forEach((r, i) => {
        const p = Array.from(probs.subarray(i * k, (i + 1) * k));
        let best = 0;
        for (let c = 1; c < k; c++) if (p[c] > p[best]) best = c;
        r.probabilities = p;
        r.labelPred = labels[best];
        r.confidence = p[best];
      });
    }
    const inferenceMs = performance.now() - tInfer;

    // 4. Score, compare with the training dataset, record.
    const trainingClips = card.dataset.trainingClips ? new Set(card.dataset.trainingClips) : null;
    const evaluation = evaluate(rows, labels, inputs.labelSource, trainingClips);
    const corpus = corpusOf(rows, card);
    if (corpus.inTraining > 0) {
      const honest = evaluation?.excludingTrainingClips;
      notices.push(
        `${corpus.inTraining} file(s) are clips this model was trained on (same sha256): their predictions are not an honest test` +
          (honest ? `; without them, accuracy ${honest.accuracy.toFixed(3)} and macro F1 ${honest.macroF1.toFixed(3)} over ${honest.files} file(s).` : '.'),
      );
    }
    const stored = rows.filter((r) => r.labelPred !== null || r.error !== null);
    const counts = {
      files: total,
      classified: stored.filter((r) => r.labelPred !== null).length,
      failed: stored.filter((r) => r.error !== null).length,
      skipped: inputs.skipped.length,
      notReached: total - stored.length,
    };
    if (cancelled) notices.push(`Cancelled: ${counts.notReached} of ${total} file(s) were not classified.`);
    const predictedCounts = countPredicted(rows, labels);
    const totalMs = performance.now() - t0;
    const timings = { readMs, featuresMs, inferenceMs, totalMs, clipsPerSec: (counts.classified + counts.failed) / (totalMs / 1000) };
    const status = cancelled ? 'cancelled' : 'completed';
    store.finish(
      runId,
      {
        status,
        backend: backend.name,
        counts,
        skipped: inputs.skipped,
        metrics: { evaluation, corpus, predictedCounts },
        notices,
        timings,
        error: cancelled ? 'cancelled by the user' : null,
      },
      rows.flatMap((r, idx) => (r.labelPred !== null || r.error !== null ? [{ idx, ...r, absPath: r.path }] : [])),
    );
    disposeNetwork();
    const row = store.get(runId)!;
    return {
      runId,
      status,
      model: model.identity,
      source: cfg.source,
      backend: backend.name,
      workers,
      labels,
      counts,
      predictedCounts,
      predictions: stored,
      skipped: inputs.skipped,
      evaluation,
      corpus,
      notices,
      timings,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      error: row.error,
    };
  } catch (err) {
    disposeNetwork();
    const info = errorInfo(err, 'classify_failed');
    store.finish(runId, { status: 'failed', counts: { files: total, classified: 0, failed: 0, skipped: inputs.skipped.length }, skipped: inputs.skipped, notices, error: info.message });
    throw err;
  }
}
