import type { Migration } from './index';

/**
 * Feature vectors keyed by what determines them: the audio's content hash, the feature
 * configuration's hash and the augmentation applied ('' for the original clip).
 */
export const migration0002: Migration = {
  version: 2,
  name: 'feature-cache',
  up: `
    CREATE TABLE feature_cache (
      sha256        TEXT NOT NULL,
      config_hash   TEXT NOT NULL,
      aug_id        TEXT NOT NULL DEFAULT '',
      dims          INTEGER NOT NULL,
      vector        BLOB NOT NULL,
      n_frames      INTEGER NOT NULL,
      tuning_chroma REAL,
      tuning_cqt    REAL,
      aug_params    TEXT,
      created_at    TEXT NOT NULL,
      PRIMARY KEY (sha256, config_hash, aug_id)
    ) WITHOUT ROWID;
  `,
};
