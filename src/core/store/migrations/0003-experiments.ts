import type { Migration } from './index';

/** Every training run, with all it needs to be re-run bit for bit and everything it measured. */
export const migration0003: Migration = {
  version: 3,
  name: 'experiments',
  up: `
    CREATE TABLE experiments (
      id                  INTEGER PRIMARY KEY,
      dataset_id          INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      parent_id           INTEGER REFERENCES experiments(id) ON DELETE CASCADE,
      fold                INTEGER,
      status              TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'interrupted', 'failed')),
      protocol            TEXT NOT NULL,
      leaky               INTEGER NOT NULL DEFAULT 0,
      config              TEXT NOT NULL,
      seed                INTEGER NOT NULL,
      feature_config_hash TEXT NOT NULL,
      dataset_hash        TEXT NOT NULL,
      backend             TEXT,
      versions            TEXT NOT NULL,
      pid                 INTEGER,
      started_at          TEXT NOT NULL,
      finished_at         TEXT,
      epochs_completed    INTEGER NOT NULL DEFAULT 0,
      best_epoch          INTEGER,
      accuracy            REAL,
      macro_f1            REAL,
      weighted_f1         REAL,
      summary             TEXT,
      timings             TEXT,
      split               TEXT,
      error               TEXT
    );
    CREATE INDEX experiments_dataset ON experiments(dataset_id);
    CREATE INDEX experiments_parent ON experiments(parent_id);
    CREATE TABLE epochs (
      experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      epoch         INTEGER NOT NULL,
      loss          REAL NOT NULL,
      acc           REAL NOT NULL,
      val_loss      REAL,
      val_acc       REAL,
      ms            REAL NOT NULL,
      PRIMARY KEY (experiment_id, epoch)
    ) WITHOUT ROWID;
    CREATE TABLE class_metrics (
      experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      label         TEXT NOT NULL,
      precision     REAL NOT NULL,
      recall        REAL NOT NULL,
      f1            REAL NOT NULL,
      support       INTEGER NOT NULL,
      PRIMARY KEY (experiment_id, label)
    ) WITHOUT ROWID;
    CREATE TABLE confusion (
      experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
      true_label    TEXT NOT NULL,
      pred_label    TEXT NOT NULL,
      count         INTEGER NOT NULL,
      PRIMARY KEY (experiment_id, true_label, pred_label)
    ) WITHOUT ROWID;
    CREATE TABLE models (
      id            INTEGER PRIMARY KEY,
      experiment_id INTEGER NOT NULL UNIQUE REFERENCES experiments(id) ON DELETE CASCADE,
      path          TEXT NOT NULL,
      format        TEXT NOT NULL,
      labels        TEXT NOT NULL,
      input_dims    INTEGER NOT NULL,
      feature_config TEXT NOT NULL,
      standardizer  TEXT NOT NULL,
      created_at    TEXT NOT NULL
    );
  `,
};
