/**
 * Runs of one configuration with several seeds, trained one after another as ordinary training jobs: what
 * "Repeat with N seeds" starts in the window and `train --seeds` in a terminal. The queue is one unit: it has
 * its own request id, a snapshot of every run (queued, running, how it ended) sent on each change, and it is
 * cancelled as a whole (the running run stops after its batch and is recorded cancelled; the queued ones never start).
 */
import type { ErrorInfo, SeedQueue, TrainProgress, TrainRequest, TrainResult } from '../../shared/experiment';
import { errorInfo } from '../../shared/errors';
import type { TrainingJob } from './job-host';

export interface TrainQueueOptions {
  requestId: string;
  /** The experiment it repeats, if any (shown by the window). */
  sourceId?: number | null;
  /** One request per run, in the order they run. */
  requests: readonly TrainRequest[];
  /** Starts one run as a training job (startTrainingJob on a workspace). */
  start: (request: TrainRequest, onProgress: (p: TrainProgress) => void) => TrainingJob;
  /** Each run's progress, under the run's own request id. */
  onProgress?: (runRequestId: string, p: TrainProgress) => void;
  /** Each run's end, under the run's own request id. */
  onRunEnd?: (runRequestId: string, end: { result?: TrainResult; error?: ErrorInfo }) => void;
  /** The whole queue after every change. */
  onChange?: (queue: SeedQueue) => void;
}

export interface QueueOutcome {
  queue: SeedQueue;
  /** The results of the runs that ended with one, in run order. */
  results: TrainResult[];
}

/** The request id of a queue's i-th run (0-based). */
export const queuedRunId = (queueId: string, i: number): string => `${queueId}.${i + 1}`;

export class TrainQueue {
  private readonly state: SeedQueue;
  private readonly results: TrainResult[] = [];
  private job: TrainingJob | null = null;
  /** Settles once every run has ended or the queue was cancelled. */
  readonly result: Promise<QueueOutcome>;

  constructor(private readonly opts: TrainQueueOptions) {
    if (!opts.requests.length) throw new RangeError('a seed queue needs at least one run');
    this.state = {
      requestId: opts.requestId,
      sourceId: opts.sourceId ?? null,
      runs: opts.requests.map((r, i) => ({
        seed: r.seed ?? 0,
        requestId: queuedRunId(opts.requestId, i),
        status: 'queued',
        experimentId: null,
        accuracy: null,
        macroF1: null,
        weightedF1: null,
        error: null,
      })),
      current: null,
      done: false,
      cancelled: false,
    };
    this.result = this.runAll();
  }

  snapshot(): SeedQueue {
    return structuredClone(this.state);
  }

  /** Stops the running run after its batch and starts no other. */
  cancel(): void {
    if (this.state.done || this.state.cancelled) return;
    this.state.cancelled = true;
    for (const run of this.state.runs) if (run.status === 'queued') run.status = 'cancelled';
    this.job?.cancel();
    this.changed();
  }

  /** Ends the running job at once (a second Ctrl-C); its run is recorded as interrupted. */
  kill(): void {
    this.cancel();
    this.job?.kill();
  }

  private changed(): void {
    this.opts.onChange?.(this.snapshot());
  }

  private async runAll(): Promise<QueueOutcome> {
    for (let i = 0; i < this.opts.requests.length && !this.state.cancelled; i++) {
      const run = this.state.runs[i];
      this.state.current = i;
      run.status = 'running';
      this.changed();
      try {
        this.job = this.opts.start(this.opts.requests[i], (p) => {
          // A run is recorded (a cross-validation as its parent) as soon as it is planned.
          if (p.phase === 'started' && run.experimentId === null) {
            run.experimentId = p.experimentId;
            this.changed();
          }
          this.opts.onProgress?.(run.requestId, p);
        });
        const result = await this.job.result;
        this.results.push(result);
        Object.assign(run, {
          status: result.status,
          experimentId: result.experimentId,
          accuracy: result.accuracy,
          macroF1: result.macroF1,
          weightedF1: result.weightedF1,
        });
        this.opts.onRunEnd?.(run.requestId, { result });
        // A run stopped on its own (not by this queue) stops the queue too: the user asked to stop.
        if (result.status === 'cancelled' && !this.state.cancelled) this.cancel();
      } catch (err) {
        const error = errorInfo(err, 'train_failed');
        run.status = error.code === 'job_crashed' ? 'interrupted' : 'failed';
        run.error = error.message;
        this.opts.onRunEnd?.(run.requestId, { error });
      } finally {
        this.job = null;
      }
      this.changed();
    }
    this.state.current = null;
    this.state.done = true;
    this.changed();
    return { queue: this.snapshot(), results: [...this.results] };
  }
}
