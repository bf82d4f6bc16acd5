// Time budgets of feature tasks (the pool stops a worker whose task runs past its budget). Kept apart from
// extract-many.ts so that the `features` command's parent process loads neither the store nor the DSP code.

/** A file's time budget when its duration is not known (the features command): ten minutes. */
export const FILE_BUDGET_UNKNOWN_MS = 10 * 60_000;

/**
 * How long one clip's task may take before its worker is stopped (a decoder hanging on the file): a minute, plus
 * 3 s per second of audio for the clip and each augmented copy (pitch shift and time stretch are the slow ones;
 * generous on a loaded machine, where a 3 s clip with 5 copies takes well under a second).
 */
export function featureTaskBudgetMs(durationSec: number | undefined, variants: number): number {
  if (durationSec === undefined || !Number.isFinite(durationSec)) return FILE_BUDGET_UNKNOWN_MS;
  return 60_000 + 3_000 * Math.max(1, durationSec) * Math.max(1, variants);
}
