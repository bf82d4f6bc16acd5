import type { Migration } from './index';

/**
 * The clips a run left out and why (JSON [{file, label, code, message}]): features that failed (a decoder error,
 * NaN samples, a file gone since the import), clips shorter than one analysis frame or longer than the run's
 * maximum duration. Written once the features are known, so every page, the CLI and the report can say what the
 * numbers are missing; null on runs recorded before it was kept (not recorded).
 */
export const migration0008: Migration = {
  version: 8,
  name: 'skipped-clips',
  up: `
    ALTER TABLE experiments ADD COLUMN skipped TEXT;
  `,
};
