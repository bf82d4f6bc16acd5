/**
 * Classify runs as the contract shows them, read back from the store (the list, and one run in full with its
 * predictions). Stored JSON is parsed with the contract's schemas, so a reader never guesses a shape.
 */
import {
  ClassifyCountsSchema,
  ClassifySourceSchema,
  ClassifyTimingsSchema,
  CorpusSchema,
  EvaluationSchema,
  ModelIdentitySchema,
  SkippedFileSchema,
  type ClassifyResult,
  type ClassifyRunDetail,
  type ClassifyRunSummary,
  type ClassifySource,
  type Corpus,
  type Prediction,
  type PredictionPage,
} from '../../shared/classify';
import { isErrorCode } from '../../shared/errors';
import type { Db } from '../store/db';
import { ClassifyRunStore, type ClassifyRunRow, type PredictionQuery, type PredictionRow } from '../store/classify-runs';
import { experimentDetail } from '../experiments/queries';
import { parseJson, readJson } from '../store/json';
import { z } from 'zod';


const MetricsSchema = z.object({
  evaluation: EvaluationSchema.nullable(),
  corpus: CorpusSchema,
  predictedCounts: z.record(z.string(), z.number().int()),
});

function metricsOf(row: ClassifyRunRow) {
  return readJson(MetricsSchema, row.metrics);
}

/** "folder /data/emodb", "manifest /tmp/x.csv", "3 files". */
export function sourceText(source: ClassifySource): string {
  return source.kind === 'files' ? `${source.paths.length} file(s)` : `${source.kind} ${source.path}`;
}

function modelText(row: ClassifyRunRow): string {
  const m = readJson(ModelIdentitySchema, row.model);
  if (row.experiment_id !== null) return `experiment ${row.experiment_id}${m ? ` (${m.origin.dataset})` : ''}`;
  return m ? `${row.model_path} (experiment ${m.origin.experimentId} of another workspace, ${m.origin.dataset})` : row.model_path;
}

function summaryOf(row: ClassifyRunRow): ClassifyRunSummary {
  const metrics = metricsOf(row);
  const source = readJson(ClassifySourceSchema, row.source);
  const model = readJson(ModelIdentitySchema, row.model);
  return {
    id: row.id,
    status: row.status,
    experimentId: row.experiment_id,
    modelPath: row.model_path,
    model: modelText(row),
    modelDataset: model?.origin.dataset ?? null,
    sourceKind: row.source_kind,
    source: source ? sourceText(source) : row.source,
    sourcePath: source && source.kind !== 'files' ? source.path : null,
    backend: row.backend,
    files: row.files_total,
    classified: row.files_classified,
    failed: row.files_failed,
    skipped: row.files_skipped,
    accuracy: metrics?.evaluation?.known?.accuracy ?? null,
    macroF1: metrics?.evaluation?.known?.macroF1 ?? null,
    corpus: metrics?.corpus.relation ?? null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

/** Newest first. */
export function listClassifyRuns(db: Db): ClassifyRunSummary[] {
  return new ClassifyRunStore(db).list().map(summaryOf).reverse();
}

function predictionOf(p: PredictionRow): Prediction {
  return {
    file: p.file,
    path: p.abs_path,
    sha256: p.sha256,
    labelTrue: p.label_true,
    labelPred: p.label_pred,
    confidence: p.confidence,
    probabilities: p.probabilities ? (JSON.parse(p.probabilities) as number[]) : null,
    durationSec: p.duration_sec,
    sampleRate: p.sample_rate,
    error: p.error_code !== null ? { code: isErrorCode(p.error_code) ? p.error_code : 'internal', message: p.error_message ?? '' } : null,
  };
}

/** A recorded run in full, as classifyFiles returned it (null if there is no such run). */
export function classifyRunResult(db: Db, id: number): ClassifyResult | null {
  const store = new ClassifyRunStore(db);
  const row = store.get(id);
  if (!row) return null;
  const metrics = metricsOf(row);
  const predictions: Prediction[] = store.predictions(id).map(predictionOf);
  const model = ModelIdentitySchema.parse(parseJson(row.model));
  const counts = ClassifyCountsSchema.parse({
    files: row.files_total,
    classified: row.files_classified,
    failed: row.files_failed,
    skipped: row.files_skipped,
    notReached: row.status === 'running' ? 0 : Math.max(0, row.files_total - row.files_classified - row.files_failed),
  });
  const timings = readJson(ClassifyTimingsSchema, row.timings);
  const skipped = readJson(z.array(SkippedFileSchema), row.skipped);
  const unknownCorpus: Corpus = {
    relation: 'unknown',
    dataset: { name: model.origin.dataset, hash: model.origin.datasetHash },
    inDataset: 0,
    inTraining: 0,
    message: 'the run did not finish, so its files were not compared with the model\'s dataset',
  };
  return {
    runId: row.id,
    status: row.status,
    model,
    source: ClassifySourceSchema.parse(parseJson(row.source)),
    backend: row.backend,
    workers: row.workers,
    labels: JSON.parse(row.labels) as string[],
    counts,
    predictedCounts: metrics?.predictedCounts ?? {},
    predictions,
    skipped: skipped ?? [],
    evaluation: metrics?.evaluation ?? null,
    corpus: metrics?.corpus ?? unknownCorpus,
    notices: (parseJson(row.notices) as string[] | null) ?? [],
    timings,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

/** A run for the window: everything but its per-file rows, which it pages (null if there is no such run). */
export function classifyRunDetail(db: Db, id: number): ClassifyRunDetail | null {
  const result = classifyRunResult(db, id);
  if (!result) return null;
  const { predictions: _rows, ...rest } = result;
  const experiment = result.model.experimentId !== null ? experimentDetail(db, result.model.experimentId) : undefined;
  return {
    ...rest,
    trueLabels: new ClassifyRunStore(db).trueLabels(id),
    modelValidation: experiment
      ? { accuracy: experiment.accuracy, macroF1: experiment.macroF1, protocol: experiment.protocol, protocolOutline: experiment.protocolOutline }
      : null,
  };
}

export function predictionsPage(db: Db, q: PredictionQuery): PredictionPage {
  const page = new ClassifyRunStore(db).predictionPage(q);
  return { total: page.total, rows: page.rows.map((r) => ({ idx: r.idx, ...predictionOf(r) })) };
}

/**
 * The file behind a prediction, for playback: only a file the run classified (decoded as audio, so a path a
 * request named that was not audio is never served), looked up by run and index.
 */
export function classifiedFile(db: Db, runId: number, idx: number): string | null {
  const row = new ClassifyRunStore(db).prediction(runId, idx);
  return row && row.label_pred !== null && row.error_code === null ? row.abs_path : null;
}
