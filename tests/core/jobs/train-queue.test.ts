import { describe, expect, it } from 'vitest';
import { JobError, type TrainingJob } from '../../../src/core/jobs/job-host';
import { TrainQueue } from '../../../src/core/jobs/train-queue';
import type { SeedQueue, TrainProgress, TrainRequest, TrainResult } from '../../../src/shared/experiment';

/** A training job the test ends by hand. */
interface FakeJob {
  request: TrainRequest;
  onProgress: (p: TrainProgress) => void;
  cancelled: boolean;
  finish(r: Partial<TrainResult>): void;
  fail(err: Error): void;
}

function fakeStarter() {
  const started: FakeJob[] = [];
  let nextId = 10;
  const start = (request: TrainRequest, onProgress: (p: TrainProgress) => void): TrainingJob => {
    let resolve!: (r: TrainResult) => void;
    let reject!: (e: Error) => void;
    const result = new Promise<TrainResult>((res, rej) => ((resolve = res), (reject = rej)));
    const id = nextId++;
    const job: FakeJob = {
      request,
      onProgress,
      cancelled: false,
      finish: (r) => resolve({ experimentId: id, status: 'completed', accuracy: 0.5, macroF1: 0.4, weightedF1: 0.45, ...r } as TrainResult),
      fail: (e) => reject(e),
    };
    started.push(job);
    return {
      pid: undefined,
      result,
      cancel: () => {
        job.cancelled = true;
        // A job stops after its batch and records the run as cancelled.
        setTimeout(() => resolve({ experimentId: id, status: 'cancelled', accuracy: null, macroF1: null, weightedF1: null } as TrainResult), 1);
      },
      kill: () => reject(new JobError('job_crashed', 'killed')),
    };
  };
  return { started, start };
}

const tick = () => new Promise((r) => setTimeout(r, 5));
const requests = (seeds: number[]): TrainRequest[] => seeds.map((seed) => ({ dataset: 'demo', seed }));

describe('TrainQueue', () => {
  it('runs one job at a time, in the order given, and reports every change', async () => {
    const { started, start } = fakeStarter();
    const snapshots: SeedQueue[] = [];
    const ends: string[] = [];
    const queue = new TrainQueue({
      requestId: 'q1',
      sourceId: 7,
      requests: requests([42, 0, 1]),
      start,
      onChange: (s) => snapshots.push(s),
      onRunEnd: (id, end) => ends.push(`${id}:${end.result?.status ?? end.error?.code}`),
    });
    expect(started.map((j) => j.request.seed)).toEqual([42]);
    expect(queue.snapshot()).toMatchObject({ requestId: 'q1', sourceId: 7, current: 0, done: false, runs: [{ seed: 42, status: 'running' }, { seed: 0, status: 'queued' }, { seed: 1, status: 'queued' }] });
    // A run is known by its record as soon as its job planned it (before its features and epochs).
    started[0].onProgress({ phase: 'started', experimentId: 10, plan: { clips: 98, copies: 0, folds: 1, splits: [{ trainClips: 78, valClips: 20, heldOutSpeakers: null }] } });
    expect(queue.snapshot().runs[0].experimentId).toBe(10);
    started[0].finish({ accuracy: 0.6 });
    await tick();
    expect(started.map((j) => j.request.seed)).toEqual([42, 0]);
    started[1].finish({ accuracy: 0.7 });
    await tick();
    started[2].finish({ accuracy: 0.8 });
    const { queue: done, results } = await queue.result;
    expect(done).toMatchObject({ done: true, cancelled: false, current: null });
    expect(done.runs.map((r) => [r.seed, r.status, r.experimentId, r.accuracy])).toEqual([
      [42, 'completed', 10, 0.6],
      [0, 'completed', 11, 0.7],
      [1, 'completed', 12, 0.8],
    ]);
    expect(results.map((r) => r.experimentId)).toEqual([10, 11, 12]);
    expect(ends).toEqual(['q1.1:completed', 'q1.2:completed', 'q1.3:completed']);
    expect(snapshots[snapshots.length - 1]).toEqual(done);
    // Never two runs at once: each snapshot has at most one running.
    expect(snapshots.every((s) => s.runs.filter((r) => r.status === 'running').length <= 1)).toBe(true);
  });

  it('is cancelled as a whole: the running run stops, the queued ones never start', async () => {
    const { started, start } = fakeStarter();
    const queue = new TrainQueue({ requestId: 'q2', requests: requests([1, 2, 3]), start });
    started[0].finish({});
    await tick();
    queue.cancel();
    expect(started[1].cancelled).toBe(true);
    const { queue: done } = await queue.result;
    expect(started).toHaveLength(2);
    expect(done).toMatchObject({ done: true, cancelled: true });
    expect(done.runs.map((r) => r.status)).toEqual(['completed', 'cancelled', 'cancelled']);
    expect(done.runs[2].experimentId).toBeNull();
  });

  it('goes on after a failed run, and stops when a run was cancelled on its own', async () => {
    const { started, start } = fakeStarter();
    const queue = new TrainQueue({ requestId: 'q3', requests: requests([1, 2, 3]), start });
    started[0].fail(new JobError('train_failed', 'boom'));
    await tick();
    started[1].finish({ status: 'cancelled' });
    const { queue: done } = await queue.result;
    expect(started).toHaveLength(2);
    expect(done.runs.map((r) => [r.status, r.error])).toEqual([
      ['failed', 'boom'],
      ['cancelled', null],
      ['cancelled', null],
    ]);
    expect(done.cancelled).toBe(true);
  });
});
