// Every window sees what the engine runs and can cancel it: jobs:list (and 'jobs' events) name each job's recorded
// run and stage from its start; experiments:cancel takes the run's id (a fold's cancels its cross-validation).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch, type Handlers } from '../../../src/core/api/service';
import type { Workspace } from '../../../src/core/workspace/workspace';
import { contract, type ProgressEvent } from '../../../src/shared/contract';
import { demoWorkspace } from '../../helpers/demo-workspace';

let ws: Workspace;
let handlers: Handlers;
const events: ProgressEvent[] = [];

beforeAll(async () => {
  ws = await demoWorkspace('jobs-ws');
  handlers = createHandlers(ws, { transport: 'web', emit: (e) => events.push(e) });
});
afterAll(() => ws.close());

/** Long enough to be cancelled on purpose: no augmentation, thousands of epochs without early stopping. */
const long = { dataset: 'demo', augment: [] as never[], copies: 0, epochs: 5000, patience: 0, backend: 'cpu' as const, seed: 3 };

function until<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 90_000): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = fn();
      if (v) resolve(v);
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

const endOf = (requestId: string) => until('train-end', () => events.find((e): e is Extract<ProgressEvent, { kind: 'train-end' }> => e.kind === 'train-end' && e.requestId === requestId));
const jobsEvents = () => events.filter((e): e is Extract<ProgressEvent, { kind: 'jobs' }> => e.kind === 'jobs');
const epochOf = (requestId: string) =>
  until('an epoch', () => events.find((e): e is Extract<ProgressEvent, { kind: 'train' }> => e.kind === 'train' && e.requestId === requestId && e.progress.phase === 'epoch'));

describe('jobs:list and cancel by experiment id', () => {
  it('lists a run from its start, with the experiment it records and its stage, and cancels it by that id', async () => {
    await dispatch(handlers, 'experiments:start', { request: long, requestId: 'long-1' });
    // Listed at once, before its job process has recorded anything.
    const first = jobsEvents()[0].jobs;
    expect(first).toEqual([expect.objectContaining({ requestId: 'long-1', kind: 'train', title: 'demo', stage: 'starting', experimentId: null, ended: null })]);
    const recorded = await until('the run recorded', () => {
      const e = events.find((x) => x.kind === 'train' && x.requestId === 'long-1' && x.progress.phase === 'started');
      return e?.kind === 'train' && e.progress.phase === 'started' ? e.progress.experimentId : undefined;
    });
    const listed = await handlers['jobs:list']({});
    expect(listed[0]).toMatchObject({ requestId: 'long-1', experimentId: recorded });
    expect(contract['jobs:list'].output.safeParse(listed).error).toBeUndefined();
    // The experiments list shows it running with its stage, before its first epoch.
    const row = (await handlers['experiments:list']({})).find((e) => e.id === recorded);
    expect(row).toMatchObject({ status: 'running', stage: expect.stringMatching(/^(queued|features|training)$/) });
    await epochOf('long-1');
    expect((await handlers['jobs:list']({}))[0].stage).toBe('training');

    expect(await dispatch(handlers, 'experiments:cancel', { experimentId: recorded })).toEqual({ ok: true, result: { cancelled: true } });
    const end = await endOf('long-1');
    expect(end.result).toMatchObject({ experimentId: recorded, status: 'cancelled' });
    expect((await handlers['jobs:list']({}))[0]).toMatchObject({ requestId: 'long-1', ended: 'cancelled' });
    expect(jobsEvents().at(-1)!.jobs[0]).toMatchObject({ requestId: 'long-1', ended: 'cancelled' });
    // Nothing runs under that id any more.
    expect(await handlers['experiments:cancel']({ experimentId: recorded })).toEqual({ cancelled: false });
    expect(await handlers['experiments:cancel']({ experimentId: 99_999 })).toEqual({ cancelled: false });
  });

  it("cancels a cross-validation by one of its folds' ids", async () => {
    await dispatch(handlers, 'experiments:start', { request: { ...long, split: { kind: 'speaker-kfold', k: 2 } }, requestId: 'cv-1' });
    const epoch = await epochOf('cv-1');
    if (epoch.progress.phase !== 'epoch') throw new Error('not an epoch');
    const parent = (await handlers['jobs:list']({})).find((j) => j.requestId === 'cv-1')!.experimentId!;
    expect(epoch.progress.experimentId).not.toBe(parent);
    expect(await handlers['experiments:cancel']({ experimentId: epoch.progress.experimentId })).toEqual({ cancelled: true });
    const end = await endOf('cv-1');
    expect(end.result).toMatchObject({ experimentId: parent, status: 'cancelled' });
    expect(end.result!.folds).toBeUndefined();
    const detail = await handlers['experiments:get']({ id: parent });
    expect(detail).toMatchObject({ status: 'cancelled', stage: 'training' });
    expect(detail.children.map((c) => c.status)).toEqual(['cancelled']);
  });

  it("lists a seed queue's runs as they start and cancels the queue through one run's id", async () => {
    const source = (await handlers['experiments:list']({})).find((e) => e.parentId === null)!.id;
    await dispatch(handlers, 'experiments:repeat', { experimentId: source, seeds: [21, 22], requestId: 'queue-1' });
    const job = await untilAsync(async () => (await handlers['jobs:list']({})).find((j) => j.queueId === 'queue-1' && j.experimentId !== null && !j.ended));
    expect(job).toMatchObject({ requestId: 'queue-1.1', kind: 'train', title: `seed 21 of #${source}` });
    expect(await handlers['experiments:cancel']({ experimentId: job.experimentId! })).toEqual({ cancelled: true });
    const snapshot = await untilAsync(async () => {
      const q = await handlers['experiments:queue']({ requestId: 'queue-1' });
      return q.done ? q : undefined;
    });
    expect(snapshot.cancelled).toBe(true);
    expect(snapshot.runs.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
  });
});

async function untilAsync<T>(fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
