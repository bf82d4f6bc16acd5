import type { Migration } from './index';

/**
 * What a researcher adds to a run and what the run measured per speaker:
 * - `name` and `notes`, set from the window or left null;
 * - `speaker_scores` (JSON [{speaker, clips, correct}]): the validation clips of each held-out speaker and how
 *   many the model got right, recorded by speaker-independent runs from now on (null on older runs: not recorded).
 */
export const migration0006: Migration = {
  version: 6,
  name: 'experiment-notes',
  up: `
    ALTER TABLE experiments ADD COLUMN name TEXT;
    ALTER TABLE experiments ADD COLUMN notes TEXT;
    ALTER TABLE experiments ADD COLUMN speaker_scores TEXT;
  `,
};
