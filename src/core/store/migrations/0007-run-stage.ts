import type { Migration } from './index';

/**
 * A run is recorded from the moment it is planned, before its features exist, so every window can list and
 * follow it: `stage` (queued, features, training, finishing; kept when the run ends, so a run cancelled while
 * extracting features says so) and `progress` (JSON: the plan, features done of total, fold, epoch), written by
 * the engine a few times a second at most. Older rows keep both null.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'run-stage',
  up: `
    ALTER TABLE experiments ADD COLUMN stage TEXT;
    ALTER TABLE experiments ADD COLUMN progress TEXT;
  `,
};
