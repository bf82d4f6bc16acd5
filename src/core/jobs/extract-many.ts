import type { ErrorInfo } from '../../shared/experiment';
import { AUGMENT_ALGO_VERSION, type AugParams } from '../augment';
import { ApiError } from '../../shared/errors';
import { FEATURE_PRESET_INFO } from '../../shared/params';
import { featureConfigHash, type FeatureConfig } from '../features/config';
import { FeatureCache, type CachedFeatures } from '../store/feature-cache';
import type { Db } from '../store/db';
import { runPool } from './pool';
import type { FeatureTask, FeatureTaskOutput } from './feature-task';
import { FILE_BUDGET_UNKNOWN_MS, featureTaskBudgetMs } from './task-budget';

export { FILE_BUDGET_UNKNOWN_MS, featureTaskBudgetMs };

export interface ClipRequest {
  /** Caller's key, returned with each result. */
  key: string;
  path: string;
  sha256: string;
  variants: { augId: string; params?: AugParams }[];
  /** The clip's duration as probed (sets its time budget; unknown: FILE_BUDGET_UNKNOWN_MS). */
  durationSec?: number;
}

export interface ClipFeatures {
  key: string;
  augId: string;
  features: CachedFeatures;
}

export interface ExtractManyOptions {
  config: FeatureConfig;
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; cached: number; file?: string }) => void;
  onError?: (e: { key: string; path: string } & ErrorInfo) => void;
  /** Longest signal a task takes (samples at the config's rate); longer clips fail with too_long. */
  maxSamples?: number;
  /** Time budget of one clip's task (default featureTaskBudgetMs): past it the worker is stopped, the clip fails with timeout. */
  taskTimeoutMs?: number;
}

/** Cache key of an augmented copy: the algorithm version is part of it so a changed augmentation is recomputed. */
export function cacheAugId(augId: string): string {
  return augId ? `${augId}/a${AUGMENT_ALGO_VERSION}` : '';
}

/**
 * Features for many clips (and their augmented copies): cached vectors are read from the
 * workspace, the rest are computed on a worker pool and stored as they arrive.
 */
export async function extractMany(db: Db, clips: ClipRequest[], opts: ExtractManyOptions): Promise<ClipFeatures[]> {
  const cache = new FeatureCache(db);
  const configHash = featureConfigHash(opts.config);
  // the workers compute a preset's current version: vectors of another would be cached under the wrong hash
  const preset = opts.config.preset;
  if (preset && opts.config.presetVersion !== FEATURE_PRESET_INFO[preset].version) {
    throw new ApiError(
      'unsupported_model',
      `vectors of the ${preset} feature preset version ${opts.config.presetVersion} are asked for; this SER Studio computes version ` +
        `${FEATURE_PRESET_INFO[preset].version} (${FEATURE_PRESET_INFO[preset].dimension} values) only: train again with the ${preset} preset ` +
        `(a model or run of version ${opts.config.presetVersion} cannot be used or repeated)`,
    );
  }
  const out: ClipFeatures[] = [];
  const todo: { clip: ClipRequest; task: FeatureTask }[] = [];
  let cached = 0;
  for (const clip of clips) {
    const missing: ClipRequest['variants'] = [];
    for (const v of clip.variants) {
      const hit = cache.get({ sha256: clip.sha256, configHash, augId: cacheAugId(v.augId) });
      if (hit) {
        out.push({ key: clip.key, augId: v.augId, features: hit });
        cached++;
      } else missing.push(v);
    }
    if (missing.length) {
      const task: FeatureTask = { path: clip.path, config: opts.config, variants: missing, ...(preset ? { preset } : {}), ...(opts.maxSamples ? { maxSamples: opts.maxSamples } : {}) };
      todo.push({ clip, task });
    }
  }
  const total = clips.reduce((n, c) => n + c.variants.length, 0);
  let done = cached;
  opts.onProgress?.({ done, total, cached });
  if (!todo.length) return out;

  const clipOf = new Map<FeatureTask, ClipRequest>(todo.map((t) => [t.task, t.clip]));
  const insert = db.transaction((clip: ClipRequest, output: FeatureTaskOutput) => {
    for (const item of output.items) {
      const features: CachedFeatures = { vector: item.vector, nFrames: item.nFrames, tuning: item.tuning, augParams: item.augParams };
      cache.put({ sha256: clip.sha256, configHash, augId: cacheAugId(item.augId) }, features);
      out.push({ key: clip.key, augId: item.augId, features });
    }
  });
  for await (const r of runPool<FeatureTask, FeatureTaskOutput>(
    { callerUrl: import.meta.url, name: 'feature-worker', source: './feature-worker.ts' },
    todo.map((t) => t.task),
    {
      size: opts.workers,
      signal: opts.signal,
      taskTimeoutMs: (task) => opts.taskTimeoutMs ?? featureTaskBudgetMs(clipOf.get(task)!.durationSec, task.variants.length),
    },
  )) {
    const clip = clipOf.get(r.input)!;
    if (r.ok) insert(clip, r.output);
    else {
      // the pool's own errors (a time budget, a crashed worker) do not name the file: every error here does
      const message = r.error.message.startsWith(clip.path) ? r.error.message : `${clip.path}: ${r.error.message}`;
      opts.onError?.({ key: clip.key, path: clip.path, ...r.error, message });
    }
    done += r.input.variants.length;
    opts.onProgress?.({ done, total, cached, file: clip.path });
  }
  if (opts.signal?.aborted) throw Object.assign(new Error('feature extraction cancelled'), { code: 'cancelled' });
  return out;
}
