import type { ExperimentDetail, ExperimentSummary } from '../../shared/experiment';
import type { Db } from '../store/db';
import { ExperimentStore, type ExperimentRow } from '../store/experiments';

function protocolText(row: ExperimentRow): string {
  try {
    const p = JSON.parse(row.protocol) as { text?: string; kind?: string };
    return p.text ?? p.kind ?? '';
  } catch {
    return '';
  }
}

export function toSummary(row: ExperimentRow, datasetName: string): ExperimentSummary {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    dataset: datasetName,
    parentId: row.parent_id,
    fold: row.fold,
    status: row.status,
    protocol: protocolText(row),
    leaky: Boolean(row.leaky),
    seed: row.seed,
    backend: row.backend,
    epochs: row.epochs_completed,
    bestEpoch: row.best_epoch,
    accuracy: row.accuracy,
    macroF1: row.macro_f1,
    weightedF1: row.weighted_f1,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

function datasetNames(db: Db): Map<number, string> {
  return new Map((db.prepare('SELECT id, name FROM datasets').all() as { id: number; name: string }[]).map((d) => [d.id, d.name]));
}

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
  const names = datasetNames(db);
  const name = names.get(row.dataset_id) ?? String(row.dataset_id);
  const perClass = store.classMetrics(id);
  const labels = perClass.length ? perClass.map((c) => c.label) : [];
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const c of store.confusion(id)) {
    const t = index.get(c.true_label);
    const p = index.get(c.pred_label);
    if (t !== undefined && p !== undefined) matrix[t][p] = c.count;
  }
  const model = db.prepare('SELECT path FROM models WHERE experiment_id = ?').get(id) as { path: string } | undefined;
  const parse = (s: string | null) => (s ? JSON.parse(s) : null);
  return {
    ...toSummary(row, name),
    config: parse(row.config) ?? {},
    featureConfigHash: row.feature_config_hash,
    datasetHash: row.dataset_hash,
    versions: parse(row.versions) ?? {},
    epochsLog: store.epochs(id),
    perClass,
    confusion: { labels, matrix },
    summary: parse(row.summary),
    split: parse(row.split),
    timings: parse(row.timings),
    modelPath: model?.path ?? null,
    children: store
      .list()
      .filter((c) => c.parent_id === id)
      .map((c) => toSummary(c, name)),
  };
}
