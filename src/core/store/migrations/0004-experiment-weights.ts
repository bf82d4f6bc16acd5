import type { Migration } from './index';

/**
 * Which epoch's weights a run's model holds and by which rule (JSON {epoch, rule}): the best validation
 * loss under early stopping, the final epoch without it. Older runs always restored the best epoch.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'experiment-weights',
  up: `
    ALTER TABLE experiments ADD COLUMN weights TEXT;
    UPDATE experiments SET weights = json_object('epoch', best_epoch, 'rule', 'best-val-loss') WHERE best_epoch IS NOT NULL AND best_epoch > 0;
  `,
};
