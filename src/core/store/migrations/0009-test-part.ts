import type { Migration } from './index';

/**
 * Which clips a run's headline (accuracy, macro F1, weighted F1, class metrics, confusion) comes from: 'test', a part
 * held out before the train/validation split that early stopping never saw, or 'validation', the clips that also
 * chose the epoch (null on runs recorded before: validation). Beside a test headline, the validation clips' numbers
 * as JSON SetScores.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'test-part',
  up: `
    ALTER TABLE experiments ADD COLUMN score_set TEXT;
    ALTER TABLE experiments ADD COLUMN validation_scores TEXT;
  `,
};
