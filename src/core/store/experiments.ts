import type { Db } from './db';
import { z } from 'zod';
import { SkippedClipSchema, type SetScores, type FoldsSummary, type RunProgress, type RunSummary, type SkippedClip, type SpeakerScore, type SplitSizes, type Timings, type Weights } from '../../shared/experiment';
import { readJson } from './json';
import { processAlive } from '../workspace/process-alive';
import type { ExperimentStatus, RunStage } from '../../shared/outcome';
import type { ProtocolOutline, ScoreSet, SplitProtocol } from '../../shared/protocol';

/** What a run's `protocol` column holds: a fold's split as drawn, or a whole cross-validation's outline. */
export type StoredProtocol = SplitProtocol | ProtocolOutline;

export interface NewExperiment {
  datasetId: number;
  parentId?: number | null;
  fold?: number | null;
  protocol: StoredProtocol;
  leaky: boolean;
  config: Record<string, unknown>;
  seed: number;
  featureConfigHash: string;
  datasetHash: string;
  versions: Record<string, string>;
  /** Where the run starts (a fold row is created when it trains; a whole run when it is planned). */
  stage?: RunStage;
}

export interface EpochRow {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number | null;
  valAcc: number | null;
  ms: number;
}

export interface ClassMetricRow {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ExperimentOutcome {
  status: Exclude<ExperimentStatus, 'running'>;
  backend?: string | null;
  bestEpoch?: number | null;
  weights?: Weights | null;
  accuracy?: number | null;
  macroF1?: number | null;
  weightedF1?: number | null;
  /** Which clips the numbers above come from (absent: validation); beside a test headline, the validation clips' numbers. */
  scoreSet?: ScoreSet;
  validation?: SetScores | null;
  /** A trained model's summary, or a cross-validation's aggregate over its completed folds. */
  summary?: RunSummary | FoldsSummary | null;
  timings?: Timings;
  split?: SplitSizes;
  error?: string | null;
}

/** Experiments and what they measured (epochs, class metrics, confusion, model). */
export class ExperimentStore {
  constructor(private readonly db: Db) {}

  /** Runs `fn` in one transaction (nested calls become savepoints): what it writes is recorded whole or not at all. */
  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  create(e: NewExperiment): number {
    const id = this.insert(e);
    if (e.stage) this.setStage(id, e.stage);
    return id;
  }

  private insert(e: NewExperiment): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO experiments (dataset_id, parent_id, fold, status, protocol, leaky, config, seed, feature_config_hash,
             dataset_hash, versions, pid, started_at)
           VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          e.datasetId,
          e.parentId ?? null,
          e.fold ?? null,
          JSON.stringify(e.protocol),
          e.leaky ? 1 : 0,
          JSON.stringify(e.config),
          e.seed,
          e.featureConfigHash,
          e.datasetHash,
          JSON.stringify(e.versions),
          process.pid,
          new Date().toISOString(),
        ).lastInsertRowid,
    );
  }

  setBackend(id: number, backend: string): void {
    this.db.prepare('UPDATE experiments SET backend = ? WHERE id = ?').run(backend, id);
  }

  /** The backend chosen once features exist, and the versions that come with it. */
  setRuntime(id: number, backend: string, versions: Record<string, string>): void {
    this.db.prepare('UPDATE experiments SET backend = ?, versions = ? WHERE id = ?').run(backend, JSON.stringify(versions), id);
  }

  /** A split drawn after the row was created (a leaky run's, drawn over rows once features exist). */
  setProtocol(id: number, protocol: StoredProtocol): void {
    this.db.prepare('UPDATE experiments SET protocol = ? WHERE id = ?').run(JSON.stringify(protocol), id);
  }

  /** Where a running run is and how far (progress undefined leaves the recorded one). */
  setStage(id: number, stage: RunStage, progress?: RunProgress): void {
    if (progress === undefined) this.db.prepare('UPDATE experiments SET stage = ? WHERE id = ?').run(stage, id);
    else this.db.prepare('UPDATE experiments SET stage = ?, progress = ? WHERE id = ?').run(stage, JSON.stringify(progress), id);
  }

  /** One row per epoch as it finishes, so a crash keeps everything completed before it. */
  addEpoch(id: number, e: EpochRow): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT OR REPLACE INTO epochs (experiment_id, epoch, loss, acc, val_loss, val_acc, ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, e.epoch, e.loss, e.acc, e.valLoss, e.valAcc, e.ms);
      this.db.prepare('UPDATE experiments SET epochs_completed = MAX(epochs_completed, ?) WHERE id = ?').run(e.epoch, id);
    })();
  }

  finish(id: number, o: ExperimentOutcome, metrics?: { perClass: ClassMetricRow[]; confusion: { labels: string[]; matrix: number[][] } }): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE experiments SET status = ?, backend = COALESCE(?, backend), best_epoch = ?, weights = ?, accuracy = ?, macro_f1 = ?,
             weighted_f1 = ?, score_set = ?, validation_scores = ?, summary = ?, timings = ?, split = COALESCE(?, split), error = ?, finished_at = ?, pid = NULL
           WHERE id = ?`,
        )
        .run(
          o.status,
          o.backend ?? null,
          o.bestEpoch ?? null,
          o.weights ? JSON.stringify(o.weights) : null,
          o.accuracy ?? null,
          o.macroF1 ?? null,
          o.weightedF1 ?? null,
          o.scoreSet ?? 'validation',
          o.validation ? JSON.stringify(o.validation) : null,
          o.summary ? JSON.stringify(o.summary) : null,
          o.timings === undefined ? null : JSON.stringify(o.timings),
          o.split === undefined ? null : JSON.stringify(o.split),
          o.error ?? null,
          new Date().toISOString(),
          id,
        );
      if (metrics) {
        const cm = this.db.prepare('INSERT OR REPLACE INTO class_metrics (experiment_id, label, precision, recall, f1, support) VALUES (?, ?, ?, ?, ?, ?)');
        for (const m of metrics.perClass) cm.run(id, m.label, m.precision, m.recall, m.f1, m.support);
        const cf = this.db.prepare('INSERT OR REPLACE INTO confusion (experiment_id, true_label, pred_label, count) VALUES (?, ?, ?, ?)');
        const { labels, matrix } = metrics.confusion;
        labels.forEach((t, i) => labels.forEach((p, j) => matrix[i][j] && cf.run(id, t, p, matrix[i][j])));
      }
    })();
  }

  /** The researcher's name and notes of a run (null clears one). */
  annotate(id: number, name: string | null, notes: string | null): void {
    this.db.prepare('UPDATE experiments SET name = ?, notes = ? WHERE id = ?').run(name, notes, id);
  }

  /** The clips a run left out and why (written once its features are known). */
  setSkipped(id: number, skipped: SkippedClip[]): void {
    this.db.prepare('UPDATE experiments SET skipped = ? WHERE id = ?').run(JSON.stringify(skipped), id);
  }

  /** A run's left-out clips; null when not recorded (runs before migration 8, or stopped before its features). */
  skipped(id: number): SkippedClip[] | null {
    const row = this.db.prepare('SELECT skipped FROM experiments WHERE id = ?').get(id) as { skipped: string | null } | undefined;
    return readJson(SkippedClipsSchema, row?.skipped ?? null);
  }

  /** A speaker-independent run's validation clips per held-out speaker and how many were right. */
  setSpeakerScores(id: number, scores: SpeakerScore[]): void {
    this.db.prepare('UPDATE experiments SET speaker_scores = ? WHERE id = ?').run(JSON.stringify(scores), id);
  }

  /** `files`: sha256 of model.json and weights.bin as written, so classification can refuse a changed file. */
  saveModel(
    experimentId: number,
    m: { path: string; format: string; labels: string[]; inputDims: number; featureConfig: unknown; standardizer: unknown; files?: { modelJson: string; weights: string } },
  ): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO models (experiment_id, path, format, labels, input_dims, feature_config, standardizer, created_at,
           model_json_sha256, weights_sha256, hashes_recorded)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        experimentId,
        m.path,
        m.format,
        JSON.stringify(m.labels),
        m.inputDims,
        JSON.stringify(m.featureConfig),
        JSON.stringify(m.standardizer),
        new Date().toISOString(),
        m.files?.modelJson ?? null,
        m.files?.weights ?? null,
        m.files ? 'training' : null,
      );
  }

  /**
   * Runs left 'running' by a process that no longer exists (killed, crashed, power loss) are
   * marked 'interrupted', keeping the epochs they completed.
   */
  markOrphansInterrupted(isAlive: (pid: number) => boolean = pidAlive): number {
    const rows = this.db.prepare("SELECT id, pid FROM experiments WHERE status = 'running'").all() as { id: number; pid: number | null }[];
    let n = 0;
    for (const r of rows) {
      if (r.pid !== null && r.pid !== process.pid && isAlive(r.pid)) continue;
      if (r.pid === process.pid) continue;
      this.db
        .prepare("UPDATE experiments SET status = 'interrupted', finished_at = ?, pid = NULL, error = COALESCE(error, 'the training process ended unexpectedly') WHERE id = ?")
        .run(new Date().toISOString(), r.id);
      n++;
    }
    return n;
  }

  epochs(id: number): EpochRow[] {
    return (
      this.db.prepare('SELECT epoch, loss, acc, val_loss, val_acc, ms FROM epochs WHERE experiment_id = ? ORDER BY epoch').all(id) as {
        epoch: number;
        loss: number;
        acc: number;
        val_loss: number | null;
        val_acc: number | null;
        ms: number;
      }[]
    ).map((r) => ({ epoch: r.epoch, loss: r.loss, acc: r.acc, valLoss: r.val_loss, valAcc: r.val_acc, ms: r.ms }));
  }

  get(id: number): ExperimentRow | undefined {
    return this.db.prepare('SELECT * FROM experiments WHERE id = ?').get(id) as ExperimentRow | undefined;
  }

  list(datasetId?: number): ExperimentRow[] {
    return (
      datasetId === undefined
        ? this.db.prepare('SELECT * FROM experiments ORDER BY id').all()
        : this.db.prepare('SELECT * FROM experiments WHERE dataset_id = ? ORDER BY id').all(datasetId)
    ) as ExperimentRow[];
  }

  /** A cross-validation's folds, in fold order. */
  children(id: number): ExperimentRow[] {
    return this.db.prepare('SELECT * FROM experiments WHERE parent_id = ? ORDER BY fold, id').all(id) as ExperimentRow[];
  }

  classMetrics(id: number): ClassMetricRow[] {
    return this.db.prepare('SELECT label, precision, recall, f1, support FROM class_metrics WHERE experiment_id = ? ORDER BY label').all(id) as ClassMetricRow[];
  }

  confusion(id: number): { true_label: string; pred_label: string; count: number }[] {
    return this.db.prepare('SELECT true_label, pred_label, count FROM confusion WHERE experiment_id = ?').all(id) as {
      true_label: string;
      pred_label: string;
      count: number;
    }[];
  }
}

export interface ExperimentRow {
  id: number;
  dataset_id: number;
  parent_id: number | null;
  fold: number | null;
  status: ExperimentStatus;
  protocol: string;
  leaky: number;
  config: string;
  seed: number;
  feature_config_hash: string;
  dataset_hash: string;
  backend: string | null;
  versions: string;
  pid: number | null;
  started_at: string;
  finished_at: string | null;
  epochs_completed: number;
  best_epoch: number | null;
  weights: string | null;
  accuracy: number | null;
  macro_f1: number | null;
  weighted_f1: number | null;
  summary: string | null;
  timings: string | null;
  split: string | null;
  error: string | null;
  name: string | null;
  notes: string | null;
  /** JSON SpeakerScore[] (speaker-independent runs since migration 6). */
  speaker_scores: string | null;
  /** Since migration 7: the stage a run is in (or ended in), and its progress as JSON RunProgress. */
  stage: RunStage | null;
  progress: string | null;
  /** Since migration 8: JSON SkippedClip[], the clips the run left out (null: not recorded). */
  skipped: string | null;
  /** Since migration 9: which clips the headline comes from ('test' | 'validation'; null before: validation), and JSON SetScores of the validation clips beside a test headline. */
  score_set: ScoreSet | null;
  validation_scores: string | null;
}

const SkippedClipsSchema = z.array(SkippedClipSchema);

/** Whether a run's recorded process still runs (a zombie does not). */
export const pidAlive: (pid: number) => boolean = processAlive;
