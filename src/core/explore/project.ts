/**
 * A dataset's feature vectors on their two principal components (pca.ts), for the feature explorer. Vectors come
 * from the feature cache; missing ones are extracted by extractMany (in a job: explore-job.ts). The projection
 * itself is not stored: reading 535 cached vectors and the PCA take ~60-100 ms for EmoDB (~250 ms the first time in
 * a fresh engine, ~20 ms for the demo set; bench/explore/run.ts), not worth a table that could go stale.
 */
import { ApiError } from '../../shared/errors';
import type { ExploreProgress, Projection } from '../../shared/explore';
import { FEATURE_BLOCKS, FIXED_BLOCK_ROWS, type FeatureBlock } from '../../shared/params';
import { datasetSamples, type SampleRecord } from '../experiments/samples';
import { findDataset } from '../dataset/queries';
import { featureConfigHash, resolveFeatureConfig, type FeatureConfig, type FeatureConfigInput } from '../features/config';
import { extractMany } from '../jobs/extract-many';
import { FeatureCache } from '../store/feature-cache';
import type { Db } from '../store/db';
import { pca } from './pca';

export interface ExploreRequest {
  datasetId: number;
  features: FeatureConfig;
  blocks: FeatureBlock[];
}

/** Fills the defaults (the reference vector, all its blocks) and checks the blocks belong to the configuration. */
export function exploreRequest(datasetId: number, features?: FeatureConfigInput, blocks?: readonly FeatureBlock[]): ExploreRequest {
  let config: FeatureConfig;
  try {
    config = resolveFeatureConfig(features);
  } catch (err) {
    throw new ApiError('invalid_input', (err as Error).message);
  }
  // its columns are the reference blocks' means: another preset's vector is not laid out by block
  if (config.preset) throw new ApiError('invalid_input', `The explorer projects reference-166 vectors, not the ${config.preset} preset's.`);
  const wanted = blocks ?? config.blocks;
  const outside = wanted.filter((b) => !config.blocks.includes(b));
  if (outside.length) throw new ApiError('invalid_input', `The feature configuration has no ${outside.join(', ')} block to project.`);
  return { datasetId, features: config, blocks: FEATURE_BLOCKS.filter((b) => wanted.includes(b)) };
}

/** Indices of `blocks`' rows in a vector of `config` (blocks in FEATURE_BLOCKS order, MFCC has nMfcc rows). */
export function blockColumns(config: FeatureConfig, blocks: readonly FeatureBlock[]): number[] {
  const out: number[] = [];
  let offset = 0;
  for (const b of FEATURE_BLOCKS) {
    if (!config.blocks.includes(b)) continue;
    const rows = b === 'mfcc' ? config.nMfcc : FIXED_BLOCK_ROWS[b];
    if (blocks.includes(b)) for (let i = 0; i < rows; i++) out.push(offset + i);
    offset += rows;
  }
  return out;
}

export type ExploreFailure = Projection['failed'][number];

/** What an extraction for the explorer did: vectors computed (the others were cached) and the clips that failed. */
export interface ExtractionSummary {
  extracted: number;
  failed: ExploreFailure[];
}

function dataset(db: Db, id: number) {
  const d = findDataset(db, id);
  if (!d) throw new ApiError('not_found', `No dataset with id ${id} in this workspace.`);
  return d;
}

/**
 * The projection from the feature cache. A clip without a cached vector is listed as failed with the reason
 * `known` gives for it; when it has none, the answer is null (its vector is yet to be extracted), or, with
 * `missing: 'list'`, it is listed as not extracted.
 */
export function cachedProjection(
  db: Db,
  req: ExploreRequest,
  opts: { known?: readonly ExploreFailure[]; extracted?: number; missing?: 'null' | 'list'; started?: number } = {},
): Projection | null {
  const started = opts.started ?? performance.now();
  const d = dataset(db, req.datasetId);
  const samples = datasetSamples(db, req.datasetId);
  const cache = new FeatureCache(db);
  const configHash = featureConfigHash(req.features);
  const known = new Map((opts.known ?? []).map((f) => [f.clipId, f]));
  const columns = blockColumns(req.features, req.blocks);
  const kept: SampleRecord[] = [];
  const rows: Float64Array[] = [];
  const failed: ExploreFailure[] = [];
  for (const s of samples) {
    const hit = cache.get({ sha256: s.sha256, configHash });
    if (hit) {
      kept.push(s);
      rows.push(Float64Array.from(columns, (c) => hit.vector[c]));
      continue;
    }
    const why = known.get(s.id);
    if (why) failed.push({ ...why, path: s.relPath });
    else if (opts.missing === 'list') failed.push({ clipId: s.id, path: s.relPath, code: 'extract_failed', message: 'its features were not extracted (the dataset changed meanwhile?)' });
    else return null;
  }
  if (rows.length < 3) {
    throw new ApiError('too_few_items', `A projection needs the features of at least 3 clips; ${rows.length} of ${samples.length} could be read.`);
  }
  const t0 = performance.now();
  const p = pca(rows, 2);
  const now = performance.now();
  return {
    datasetId: req.datasetId,
    datasetHash: d.content_hash,
    configHash,
    features: { blocks: [...req.features.blocks], nMfcc: req.features.nMfcc, sampleRate: req.features.sampleRate },
    blocks: [...req.blocks],
    dims: columns.length,
    constantDims: p.constant.length,
    clips: samples.length,
    explained: [p.explainedVarianceRatio[0] ?? 0, p.explainedVarianceRatio[1] ?? 0],
    points: kept.map((s, r) => ({ clipId: s.id, path: s.relPath, label: s.label, speaker: s.speaker, x: p.scores[0][r], y: p.scores[1]?.[r] ?? 0 })),
    failed,
    extracted: opts.extracted ?? 0,
    ms: now - started,
    pcaMs: now - t0,
  };
}

export interface ExploreContext {
  signal?: AbortSignal;
  onProgress?: (p: ExploreProgress) => void;
  workers?: number;
}

/** Extracts every clip's vector the cache lacks (originals only, no augmented copies); what failed is listed. */
export async function extractForExplorer(db: Db, req: ExploreRequest, ctx: ExploreContext = {}): Promise<ExtractionSummary> {
  dataset(db, req.datasetId);
  const samples = datasetSamples(db, req.datasetId);
  const failed: ExploreFailure[] = [];
  let cached = 0;
  const features = await extractMany(
    db,
    samples.map((s, i) => ({ key: String(i), path: s.absPath, sha256: s.sha256, variants: [{ augId: '' }] })),
    {
      config: req.features,
      workers: ctx.workers,
      signal: ctx.signal,
      onProgress: (p) => {
        cached = p.cached;
        ctx.onProgress?.({ done: p.done, total: p.total, cached: p.cached, ...(p.file ? { file: p.file } : {}) });
      },
      onError: (e) => {
        const s = samples[Number(e.key)];
        failed.push({ clipId: s.id, path: s.relPath, code: e.code, message: e.message });
      },
    },
  );
  return { extracted: features.length - cached, failed };
}

/** In one process: extract what is missing, then project (the CLI's and the tests' way; the window's goes through a job). */
export async function exploreDataset(db: Db, req: ExploreRequest, ctx: ExploreContext = {}): Promise<Projection> {
  const started = performance.now();
  const summary = await extractForExplorer(db, req, ctx);
  return cachedProjection(db, req, { known: summary.failed, extracted: summary.extracted, missing: 'list', started })!;
}
