// How a run ended and how its numbers aggregate, as data and in words. No zod here (the renderer imports it).

export const EXPERIMENT_STATUSES = ['running', 'completed', 'cancelled', 'interrupted', 'failed'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/** A run of a seed queue waits ('queued') until the one before it ends; it never starts once the queue is cancelled. */
export const QUEUED_RUN_STATUSES = ['queued', ...EXPERIMENT_STATUSES] as const;
export type QueuedRunStatus = (typeof QUEUED_RUN_STATUSES)[number];

export interface MeanSd {
  mean: number;
  /** Sample standard deviation (n - 1); null from a single value, where it does not exist. */
  sd: number | null;
  n: number;
}

export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  if (n === 0) throw new RangeError('no values');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : null;
  return { mean, sd, n };
}

/** "0.652 ± 0.031" with `format` for both numbers; the mean alone when there is no sd. */
export function formatMeanSd(m: MeanSd, format: (v: number) => string): string {
  return m.sd === null ? format(m.mean) : `${format(m.mean)} ± ${format(m.sd)}`;
}

/** How far a cross-validation got: `completed` of `k` folds trained to the end. */
export interface FoldCount {
  k: number;
  completed: number;
}

/**
 * A run's outcome in words. A cross-validation stopped part-way is "incomplete: 1 of 3 folds (cancelled)":
 * its numbers come from the completed folds only.
 */
export function outcomeText(status: ExperimentStatus, folds: FoldCount | null): string {
  if (folds && status !== 'running' && folds.completed < folds.k) {
    return `incomplete: ${folds.completed} of ${folds.k} folds (${status})`;
  }
  return status;
}

/** "over 3 folds", "over 1 of 3 folds": what a k-fold number was computed on. */
export function foldsText(folds: FoldCount): string {
  return folds.completed === folds.k ? `over ${folds.k} folds` : `over ${folds.completed} of ${folds.k} folds`;
}

/**
 * Where a run is while it runs: recorded and about to start, extracting features, training, saving its model and
 * numbers. A run keeps the stage it ended in, so one cancelled while extracting features says so.
 */
export const RUN_STAGES = ['queued', 'features', 'training', 'finishing'] as const;
export type RunStage = (typeof RUN_STAGES)[number];

const STAGE_TEXT: Record<RunStage, string> = {
  queued: 'starting',
  features: 'extracting features',
  training: 'training',
  finishing: 'saving the model',
};

/** "starting", "extracting features", "training", "saving the model". */
export function stageText(stage: RunStage): string {
  return STAGE_TEXT[stage];
}

/** How a run that did not complete ended, with the stage it reached: "cancelled while extracting features". */
export function endedText(status: ExperimentStatus, stage: RunStage | null): string {
  if (status === 'running' || status === 'completed' || !stage || stage === 'training' || stage === 'finishing') return status;
  return `${status} while ${STAGE_TEXT[stage]}`;
}
