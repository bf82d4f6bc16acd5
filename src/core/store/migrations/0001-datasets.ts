import type { Migration } from './index';

export const migration0001: Migration = {
  version: 1,
  name: 'datasets',
  up: `
    CREATE TABLE datasets (
      id           INTEGER PRIMARY KEY,
      name         TEXT NOT NULL UNIQUE,
      source       TEXT NOT NULL,
      source_kind  TEXT NOT NULL CHECK (source_kind IN ('folder', 'csv')),
      naming       TEXT NOT NULL DEFAULT 'folder',
      content_hash TEXT NOT NULL DEFAULT '',
      created_at   TEXT NOT NULL,
      updated_at   TEXT NOT NULL
    );
    CREATE TABLE samples (
      id           INTEGER PRIMARY KEY,
      dataset_id   INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      rel_path     TEXT NOT NULL,
      abs_path     TEXT NOT NULL,
      label        TEXT NOT NULL,
      speaker      TEXT,
      container    TEXT NOT NULL,
      codec        TEXT NOT NULL,
      sample_rate  INTEGER NOT NULL,
      channels     INTEGER NOT NULL,
      frames       INTEGER NOT NULL,
      duration_sec REAL NOT NULL,
      sha256       TEXT NOT NULL,
      size_bytes   INTEGER NOT NULL,
      mtime_ms     REAL NOT NULL,
      UNIQUE (dataset_id, rel_path)
    );
    CREATE INDEX samples_dataset_label ON samples(dataset_id, label);
    CREATE INDEX samples_sha256 ON samples(sha256);
    CREATE INDEX samples_abs_path ON samples(abs_path);
    CREATE TABLE import_errors (
      id         INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      rel_path   TEXT NOT NULL,
      code       TEXT NOT NULL,
      message    TEXT NOT NULL
    );
    CREATE INDEX import_errors_dataset ON import_errors(dataset_id);
  `,
};
