/**
 * A running run's stage and progress on its row, so every window (and `experiments` in a terminal) can list and
 * follow it: stage changes are written at once, counters at most every few hundred milliseconds (a cached
 * feature or a small epoch takes a millisecond; the engine must not spend its time writing progress).
 */
import type { PlannedRun, RunProgress } from '../../shared/experiment';
import type { RunStage } from '../../shared/outcome';
import type { ExperimentStore } from '../store/experiments';
import type { RunPlan } from './plan';
import type { SampleRecord } from './samples';

const WRITE_EVERY_MS = 250;

/** The plan as the windows show it: features to extract, and each fold's split. */
export function plannedRun(plan: RunPlan, samples: readonly SampleRecord[]): PlannedRun {
  return {
    clips: samples.length,
    copies: plan.copies.reduce((a, c) => a + c.length, 0),
    folds: plan.folds,
    splits: plan.splits.map((s) => ({
      trainClips: s.train.length,
      valClips: s.val.length,
      heldOutSpeakers: 'heldOutSpeakers' in s.protocol ? [...s.protocol.heldOutSpeakers] : null,
    })),
  };
}

export class RunTracker {
  private readonly progress: RunProgress;
  private stage: RunStage = 'queued';
  private lastWrite = 0;
  private pending = false;

  constructor(
    private readonly store: ExperimentStore,
    readonly experimentId: number,
    plan: PlannedRun,
    maxEpochs: number,
  ) {
    this.progress = { plan, features: null, fold: null, epoch: 0, maxEpochs };
    this.write();
  }

  get current(): RunStage {
    return this.stage;
  }

  to(stage: RunStage): void {
    if (stage === this.stage) return;
    this.stage = stage;
    this.write();
  }

  features(done: number, total: number, cached: number): void {
    this.progress.features = { done, total, cached };
    this.soon(done === total);
  }

  epoch(fold: number | null, epoch: number): void {
    const newFold = fold !== this.progress.fold;
    this.progress.fold = fold;
    this.progress.epoch = epoch;
    this.soon(newFold);
  }

  /** Writes what is pending (before the run's row is finished). */
  flush(): void {
    if (this.pending) this.write();
  }

  private soon(now: boolean): void {
    if (now || performance.now() - this.lastWrite >= WRITE_EVERY_MS) this.write();
    else this.pending = true;
  }

  private write(): void {
    this.store.setStage(this.experimentId, this.stage, this.progress);
    this.lastWrite = performance.now();
    this.pending = false;
  }
}
