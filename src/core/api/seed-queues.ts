/**
 * The window's seed queues ("Repeat with N seeds"): each repeats a recorded run's configuration with other
 * seeds, one training job after another, and streams its snapshot as 'train-queue' events (its runs' own
 * 'train'/'train-end' events come with each run's request id). Finished queues stay readable for a while, so
 * a reloaded page can still show how its queue ended.
 */
import type { ProgressEvent } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import { TrainRequestSchema, type SeedQueue } from '../../shared/experiment';
import { requestFromConfig } from '../../shared/run-config';
import { experimentDetail } from '../experiments/queries';
import { startTrainingJob } from '../jobs/job-host';
import { TrainQueue } from '../jobs/train-queue';
import type { Workspace } from '../workspace/workspace';
import { formatZod } from './service';

/** How many finished queues are kept for experiments:queue. */
const KEEP_FINISHED = 20;

export class SeedQueues {
  private readonly queues = new Map<string, TrainQueue>();

  constructor(
    private readonly ws: Workspace,
    private readonly emit: (event: ProgressEvent) => void,
  ) {}

  /** A queue that is still running under this id. */
  has(requestId: string): boolean {
    const q = this.queues.get(requestId);
    return Boolean(q && !q.snapshot().done);
  }

  /** Repeats experiment `experimentId`'s configuration once per seed, in the given order. */
  repeat(experimentId: number, seeds: readonly number[], requestId: string): SeedQueue {
    const source = experimentDetail(this.ws.db, experimentId);
    if (!source) throw new ApiError('not_found', `No experiment with id ${experimentId} in this workspace.`);
    if (source.parentId !== null) {
      throw new ApiError('bad_request', `Experiment #${experimentId} is fold ${(source.fold ?? 0) + 1} of #${source.parentId}: repeat the cross-validation #${source.parentId} instead.`);
    }
    const requests = seeds.map((seed) => {
      const parsed = TrainRequestSchema.safeParse(requestFromConfig(source.config, source.datasetId, seed));
      if (!parsed.success) throw new ApiError('invalid_input', `The configuration of #${experimentId} cannot be run again: ${formatZod(parsed.error)}`);
      return parsed.data;
    });
    const queue = new TrainQueue({
      requestId,
      sourceId: experimentId,
      requests,
      start: (request, onProgress) => startTrainingJob(this.ws.dir, request, onProgress),
      onProgress: (runId, progress) => this.emit({ kind: 'train', requestId: runId, progress }),
      onRunEnd: (runId, end) => this.emit({ kind: 'train-end', requestId: runId, ...end }),
      onChange: (snapshot) => this.emit({ kind: 'train-queue', requestId, queue: snapshot }),
    });
    this.queues.set(requestId, queue);
    void queue.result.then(() => this.forgetOld());
    return queue.snapshot();
  }

  get(requestId: string): SeedQueue {
    const q = this.queues.get(requestId);
    if (!q) throw new ApiError('not_found', `No seed queue ${requestId} in this session (queues are kept while the engine runs).`);
    return q.snapshot();
  }

  /** Cancels a running queue as a whole; false when there is none under this id. */
  cancel(requestId: string): boolean {
    const q = this.queues.get(requestId);
    if (!q || q.snapshot().done) return false;
    q.cancel();
    return true;
  }

  private forgetOld(): void {
    const finished = [...this.queues].filter(([, q]) => q.snapshot().done);
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.queues.delete(id);
  }
}
