/**
 * Experiments as the contract shows them, read from the store. Stored JSON is parsed with the contract's
 * schemas, so a page never guesses a shape; rows written by older versions are read into today's shapes.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  FoldsSummarySchema,
  ProtocolOutlineSchema,
  SpeakerScoreSchema,
  TrainRequestSchema,
  type SpeakerScore,
  RunProgressSchema,
  RunSummarySchema,
  SetScoresSchema,
  SplitSizesSchema,
  TimingsSchema,
  WeightsSchema,
  type ExperimentDetail,
  type ExperimentSummary,
  type FoldsSummary,
} from '../../shared/experiment';
import { PROTOCOL_KINDS, describeProtocol, type ProtocolKind, type ProtocolOutline } from '../../shared/protocol';
import { canonicalJson, requestFromConfig, seedFreeConfig } from '../../shared/run-config';
import type { Db } from '../store/db';
import { ExperimentStore, type ExperimentRow } from '../store/experiments';
import { parseJson, readJson } from '../store/json';

const SpeakerScoresSchema = z.array(SpeakerScoreSchema);

/** The run's protocol as data (leaky hold-outs of older rows were stored as stratified + leaky), or null. */
function protocolOutlineOf(row: ExperimentRow): ProtocolOutline | null {
  const p = parseJson(row.protocol) as (Partial<ProtocolOutline> & { text?: string; leaky?: boolean }) | null;
  if (!p || typeof p !== 'object') return null;
  const kind = p.leaky ? 'leaky' : p.kind;
  const valid =
    typeof p.seed === 'number' &&
    (((kind === 'stratified' || kind === 'leaky' || kind === 'speaker') && typeof (p as { valFraction?: unknown }).valFraction === 'number') ||
      ((kind === 'kfold' || kind === 'speaker-kfold') && typeof (p as { k?: unknown }).k === 'number'));
  if (!valid) return null;
  const parsed = ProtocolOutlineSchema.safeParse({ ...p, kind });
  return parsed.success ? parsed.data : null;
}

/** The run's protocol in words; older rows stored their own `text`. */
function protocolText(row: ExperimentRow, outline: ProtocolOutline | null): string {
  if (outline) return describeProtocol(outline);
  const p = parseJson(row.protocol) as { text?: string; kind?: string } | null;
  return p && typeof p === 'object' ? (p.text ?? p.kind ?? '') : '';
}

/** A cross-validation's aggregate; older parents stored {folds: {folds: n, accuracy, ...}, pooledAccuracy}. */
function foldsSummaryOf(row: ExperimentRow): FoldsSummary | null {
  const value = parseJson(row.summary) as { folds?: Record<string, unknown> & { folds?: number }; pooledAccuracy?: number } | null;
  const current = FoldsSummarySchema.safeParse(value);
  if (current.success) return current.data;
  if (!value?.folds || typeof value.folds.folds !== 'number') return null;
  const n = value.folds.folds;
  const k = (parseJson(row.protocol) as { k?: number } | null)?.k ?? n;
  // Their sd of a single fold was 0: there is none.
  const sdOf = (m: unknown) => (m && typeof m === 'object' ? { ...m, sd: n > 1 ? (m as { sd: number }).sd : null } : m);
  const perClassF1 = Object.fromEntries(Object.entries((value.folds.perClassF1 as Record<string, unknown>) ?? {}).map(([l, m]) => [l, sdOf(m)]));
  const legacy = FoldsSummarySchema.safeParse({
    ...value.folds,
    accuracy: sdOf(value.folds.accuracy),
    macroF1: sdOf(value.folds.macroF1),
    weightedF1: sdOf(value.folds.weightedF1),
    perClassF1,
    k,
    completed: n,
    experimentIds: [],
    pooledAccuracy: value.pooledAccuracy ?? Number.NaN,
  });
  return legacy.success ? legacy.data : null;
}

function protocolKindOf(row: ExperimentRow): ProtocolKind | null {
  const p = parseJson(row.protocol) as { kind?: unknown; leaky?: unknown } | null;
  const kind = p?.leaky ? 'leaky' : p?.kind;
  return (PROTOCOL_KINDS as readonly unknown[]).includes(kind) ? (kind as ProtocolKind) : null;
}

/**
 * Equal for runs whose configuration is equal but for the seed, on the same dataset content. The stored config
 * is read with today's defaults first, so a run recorded before a setting existed matches one that has its default.
 */
export function configKeyOf(row: Pick<ExperimentRow, 'config' | 'dataset_id' | 'dataset_hash'>): string {
  const config = (parseJson(row.config) as Record<string, unknown> | null) ?? {};
  const parsed = TrainRequestSchema.safeParse(requestFromConfig(config, row.dataset_id));
  const normal: Record<string, unknown> = parsed.success ? parsed.data : config;
  const text = canonicalJson({ dataset: row.dataset_id, datasetHash: row.dataset_hash, config: seedFreeConfig(normal) });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A speaker-independent run's per-speaker scores; a cross-validation's from its completed folds (null if one lacks them). */
function perSpeakerOf(row: ExperimentRow, children: readonly ExperimentRow[]): SpeakerScore[] | null {
  const own = readJson(SpeakerScoresSchema, row.speaker_scores);
  if (own || !children.length) return own;
  const completed = children.filter((c) => c.status === 'completed');
  const scores = completed.map((c) => readJson(SpeakerScoresSchema, c.speaker_scores));
  if (!completed.length || scores.some((s) => s === null)) return null;
  return scores.flatMap((s) => s!).sort((a, b) => a.speaker.localeCompare(b.speaker, 'en', { numeric: true }));
}

function toSummary(row: ExperimentRow, datasetName: string): ExperimentSummary {
  const folds = foldsSummaryOf(row);
  const outline = protocolOutlineOf(row);
  return {
    id: row.id,
    datasetId: row.dataset_id,
    dataset: datasetName,
    parentId: row.parent_id,
    fold: row.fold,
    status: row.status,
    folds: folds ? { k: folds.k, completed: folds.completed } : null,
    protocol: protocolText(row, outline),
    protocolOutline: outline,
    leaky: Boolean(row.leaky),
    seed: row.seed,
    backend: row.backend,
    epochs: row.epochs_completed,
    bestEpoch: row.best_epoch,
    accuracy: row.accuracy,
    macroF1: row.macro_f1,
    weightedF1: row.weighted_f1,
    accuracySd: folds?.accuracy.sd ?? null,
    macroF1Sd: folds?.macroF1.sd ?? null,
    scoreSet: row.score_set ?? 'validation',
    validation: readJson(SetScoresSchema, row.validation_scores),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    name: row.name ?? null,
    notes: row.notes ?? null,
    protocolKind: protocolKindOf(row),
    configKey: configKeyOf(row),
    stage: row.stage ?? null,
    progress: row.parent_id === null ? readJson(RunProgressSchema, row.progress) : null,
  };
}

function datasetNames(db: Db): Map<number, string> {
  return new Map((db.prepare('SELECT id, name FROM datasets').all() as { id: number; name: string }[]).map((d) => [d.id, d.name]));
}

/** Newest first. */
export function listExperiments(db: Db, datasetId?: number): ExperimentSummary[] {
  const names = datasetNames(db);
  return new ExperimentStore(db)
    .list(datasetId)
    .map((r) => toSummary(r, names.get(r.dataset_id) ?? String(r.dataset_id)))
    .reverse();
}

export function experimentDetail(db: Db, id: number): ExperimentDetail | undefined {
  const store = new ExperimentStore(db);
  const row = store.get(id);
  if (!row) return undefined;
  const name = datasetNames(db).get(row.dataset_id) ?? String(row.dataset_id);
  const perClass = store.classMetrics(id);
  const labels = perClass.map((c) => c.label);
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const c of store.confusion(id)) {
    const t = index.get(c.true_label);
    const p = index.get(c.pred_label);
    if (t !== undefined && p !== undefined) matrix[t][p] = c.count;
  }
  const model = db.prepare('SELECT path FROM models WHERE experiment_id = ?').get(id) as { path: string } | undefined;
  const summary = toSummary(row, name);
  const children = store.children(id);
  // the dataset as it is now: a run trained on other content says so on its pages and in its report
  const current = db.prepare('SELECT content_hash FROM datasets WHERE id = ?').get(row.dataset_id) as { content_hash: string } | undefined;
  return {
    ...summary,
    config: (parseJson(row.config) as Record<string, unknown> | null) ?? {},
    featureConfigHash: row.feature_config_hash,
    datasetHash: row.dataset_hash,
    versions: (parseJson(row.versions) as Record<string, string> | null) ?? {},
    epochsLog: store.epochs(id),
    perClass,
    confusion: { labels, matrix },
    summary: readJson(RunSummarySchema, row.summary),
    foldsSummary: foldsSummaryOf(row),
    split: readJson(SplitSizesSchema, row.split),
    timings: readJson(TimingsSchema, row.timings),
    weights: readJson(WeightsSchema, row.weights),
    modelPath: model?.path ?? null,
    children: children.map((c) => toSummary(c, name)),
    perSpeaker: perSpeakerOf(row, children),
    // a fold's clips are its cross-validation's: the parent records what the run left out
    skipped: store.skipped(id) ?? (row.parent_id !== null ? store.skipped(row.parent_id) : null),
    currentDatasetHash: current?.content_hash ?? null,
    datasetChanged: current !== undefined && current.content_hash !== row.dataset_hash,
  };
}
