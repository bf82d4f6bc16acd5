import type { Migration } from './index';

/**
 * Batch classification. A model's files are hashed (sha256 of model.json and weights.bin) so a changed file is
 * refused; models trained before this migration get their hashes on first use ('first-use'). Each classify
 * run and its per-file predictions are recorded; a run from a model folder exported elsewhere has no
 * experiment here and is known by its path and its ser-model.json identity (`model`).
 */
export const migration0005: Migration = {
  version: 5,
  name: 'classify',
  up: `
    ALTER TABLE models ADD COLUMN model_json_sha256 TEXT;
    ALTER TABLE models ADD COLUMN weights_sha256 TEXT;
    ALTER TABLE models ADD COLUMN hashes_recorded TEXT CHECK (hashes_recorded IN ('training', 'first-use'));
    CREATE TABLE classify_runs (
      id               INTEGER PRIMARY KEY,
      experiment_id    INTEGER REFERENCES experiments(id) ON DELETE CASCADE,
      model_path       TEXT NOT NULL,
      model            TEXT NOT NULL,
      source_kind      TEXT NOT NULL CHECK (source_kind IN ('folder', 'manifest', 'files')),
      source           TEXT NOT NULL,
      status           TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'interrupted', 'failed')),
      backend          TEXT,
      workers          INTEGER,
      labels           TEXT NOT NULL,
      files_total      INTEGER NOT NULL DEFAULT 0,
      files_classified INTEGER NOT NULL DEFAULT 0,
      files_failed     INTEGER NOT NULL DEFAULT 0,
      files_skipped    INTEGER NOT NULL DEFAULT 0,
      skipped          TEXT,
      metrics          TEXT,
      notices          TEXT,
      timings          TEXT,
      pid              INTEGER,
      error            TEXT,
      started_at       TEXT NOT NULL,
      finished_at      TEXT
    );
    CREATE INDEX classify_runs_experiment ON classify_runs(experiment_id);
    CREATE TABLE predictions (
      run_id        INTEGER NOT NULL REFERENCES classify_runs(id) ON DELETE CASCADE,
      idx           INTEGER NOT NULL,
      file          TEXT NOT NULL,
      abs_path      TEXT NOT NULL,
      sha256        TEXT,
      label_true    TEXT,
      label_pred    TEXT,
      confidence    REAL,
      probabilities TEXT,
      duration_sec  REAL,
      sample_rate   INTEGER,
      error_code    TEXT,
      error_message TEXT,
      PRIMARY KEY (run_id, idx)
    ) WITHOUT ROWID;
  `,
};
