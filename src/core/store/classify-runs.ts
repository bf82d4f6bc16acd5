import type { Db } from './db';
import type { ExperimentStatus } from '../../shared/outcome';
import { pidAlive } from './experiments';

export interface NewClassifyRun {
  experimentId: number | null;
  modelPath: string;
  /** ModelIdentity (JSON): the model's origin and file hashes. */
  model: unknown;
  sourceKind: 'folder' | 'manifest' | 'files';
  source: unknown;
  labels: string[];
  workers: number | null;
}

export interface ClassifyRunOutcome {
  status: Exclude<ExperimentStatus, 'running'>;
  backend?: string | null;
  counts: { files: number; classified: number; failed: number; skipped: number };
  skipped?: unknown;
  metrics?: unknown;
  notices?: string[];
  timings?: unknown;
  error?: string | null;
}

export interface PredictionRowInput {
  idx: number;
  file: string;
  absPath: string;
  sha256: string | null;
  labelTrue: string | null;
  labelPred: string | null;
  confidence: number | null;
  probabilities: number[] | null;
  durationSec: number | null;
  sampleRate: number | null;
  error: { code: string; message: string } | null;
}

export interface ClassifyRunRow {
  id: number;
  experiment_id: number | null;
  model_path: string;
  model: string;
  source_kind: 'folder' | 'manifest' | 'files';
  source: string;
  status: ExperimentStatus;
  backend: string | null;
  workers: number | null;
  labels: string;
  files_total: number;
  files_classified: number;
  files_failed: number;
  files_skipped: number;
  skipped: string | null;
  metrics: string | null;
  notices: string | null;
  timings: string | null;
  pid: number | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface PredictionRow {
  run_id: number;
  idx: number;
  file: string;
  abs_path: string;
  sha256: string | null;
  label_true: string | null;
  label_pred: string | null;
  confidence: number | null;
  probabilities: string | null;
  duration_sec: number | null;
  sample_rate: number | null;
  error_code: string | null;
  error_message: string | null;
}

/** Classify runs and their per-file predictions. */
export class ClassifyRunStore {
  constructor(private readonly db: Db) {}

  create(r: NewClassifyRun): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO classify_runs (experiment_id, model_path, model, source_kind, source, status, labels, workers, pid, started_at)
           VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
        )
        .run(r.experimentId, r.modelPath, JSON.stringify(r.model), r.sourceKind, JSON.stringify(r.source), JSON.stringify(r.labels), r.workers, process.pid, new Date().toISOString())
        .lastInsertRowid,
    );
  }

  setBackend(id: number, backend: string): void {
    this.db.prepare('UPDATE classify_runs SET backend = ? WHERE id = ?').run(backend, id);
  }

  /** Records how the run ended, with its predictions, in one transaction. */
  finish(id: number, o: ClassifyRunOutcome, predictions: readonly PredictionRowInput[] = []): void {
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    this.db.transaction(() => {
      const ins = this.db.prepare(
        `INSERT OR REPLACE INTO predictions (run_id, idx, file, abs_path, sha256, label_true, label_pred, confidence, probabilities, duration_sec,
           sample_rate, error_code, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const p of predictions) {
        ins.run(
          id,
          p.idx,
          p.file,
          p.absPath,
          p.sha256,
          p.labelTrue,
          p.labelPred,
          p.confidence,
          p.probabilities ? JSON.stringify(p.probabilities) : null,
          p.durationSec,
          p.sampleRate,
          p.error?.code ?? null,
          p.error?.message ?? null,
        );
      }
      this.db
        .prepare(
          `UPDATE classify_runs SET status = ?, backend = COALESCE(?, backend), files_total = ?, files_classified = ?, files_failed = ?,
             files_skipped = ?, skipped = ?, metrics = ?, notices = ?, timings = ?, error = ?, finished_at = ?, pid = NULL WHERE id = ?`,
        )
        .run(
          o.status,
          o.backend ?? null,
          o.counts.files,
          o.counts.classified,
          o.counts.failed,
          o.counts.skipped,
          json(o.skipped),
          json(o.metrics),
          json(o.notices),
          json(o.timings),
          o.error ?? null,
          new Date().toISOString(),
          id,
        );
    })();
  }

  /** Runs left 'running' by a process that no longer exists are marked 'interrupted' (as experiments are). */
  markOrphansInterrupted(isAlive: (pid: number) => boolean = pidAlive): number {
    const rows = this.db.prepare("SELECT id, pid FROM classify_runs WHERE status = 'running'").all() as { id: number; pid: number | null }[];
    let n = 0;
    for (const r of rows) {
      if (r.pid === process.pid || (r.pid !== null && isAlive(r.pid))) continue;
      this.db
        .prepare("UPDATE classify_runs SET status = 'interrupted', finished_at = ?, pid = NULL, error = COALESCE(error, 'the classification process ended unexpectedly') WHERE id = ?")
        .run(new Date().toISOString(), r.id);
      n++;
    }
    return n;
  }

  get(id: number): ClassifyRunRow | undefined {
    return this.db.prepare('SELECT * FROM classify_runs WHERE id = ?').get(id) as ClassifyRunRow | undefined;
  }

  list(): ClassifyRunRow[] {
    return this.db.prepare('SELECT * FROM classify_runs ORDER BY id').all() as ClassifyRunRow[];
  }

  predictions(id: number): PredictionRow[] {
    return this.db.prepare('SELECT * FROM predictions WHERE run_id = ? ORDER BY idx').all(id) as PredictionRow[];
  }

  prediction(runId: number, idx: number): PredictionRow | undefined {
    return this.db.prepare('SELECT * FROM predictions WHERE run_id = ? AND idx = ?').get(runId, idx) as PredictionRow | undefined;
  }

  /** The distinct true labels of a run's files, in name order. */
  trueLabels(runId: number): string[] {
    const rows = this.db.prepare('SELECT DISTINCT label_true FROM predictions WHERE run_id = ? AND label_true IS NOT NULL ORDER BY label_true').all(runId) as { label_true: string }[];
    return rows.map((r) => r.label_true);
  }

  /** One page of a run's rows, filtered and sorted in SQL; rows without the sort value (failed files) come last. */
  predictionPage(q: PredictionQuery): { total: number; rows: PredictionRow[] } {
    const where = ['run_id = ?'];
    const params: (string | number)[] = [q.runId];
    if (q.outcome === 'classified') where.push('label_pred IS NOT NULL');
    if (q.outcome === 'failed') where.push('error_code IS NOT NULL');
    const filter = (sql: string, value: string | number) => {
      where.push(sql);
      params.push(value);
    };
    if (q.predicted !== undefined) filter('label_pred = ?', q.predicted);
    if (q.trueLabel !== undefined) filter('label_true = ?', q.trueLabel);
    if (q.minConfidence !== undefined && q.minConfidence > 0) filter('confidence >= ?', q.minConfidence);
    const clause = where.join(' AND ');
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM predictions WHERE ${clause}`).get(...params) as { n: number }).n;
    const column = SORT_COLUMNS[q.sort];
    const dir = q.order === 'desc' ? 'DESC' : 'ASC';
    const order = column === 'idx' ? `idx ${dir}` : `(${column} IS NULL), ${column} ${dir}, idx ASC`;
    const rows = this.db
      .prepare(`SELECT * FROM predictions WHERE ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as PredictionRow[];
    return { total, rows };
  }
}

export interface PredictionQuery {
  runId: number;
  offset: number;
  limit: number;
  outcome: 'all' | 'classified' | 'failed';
  predicted?: string;
  trueLabel?: string;
  minConfidence?: number;
  sort: keyof typeof SORT_COLUMNS;
  order: 'asc' | 'desc';
}

/** Sort keys to columns: a fixed map, so no caller's text reaches the SQL. */
const SORT_COLUMNS = { input: 'idx', file: 'file', predicted: 'label_pred', true: 'label_true', confidence: 'confidence' } as const;
