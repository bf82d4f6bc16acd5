// "Repeat with N seeds", name and delete over the contract, as the window calls them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch, type Handlers } from '../../../src/core/api/service';
import { runExperiment } from '../../../src/core/experiments/run';
import type { Workspace } from '../../../src/core/workspace/workspace';
import { contract, ProgressEventSchema, type ProgressEvent } from '../../../src/shared/contract';
import type { SeedQueue } from '../../../src/shared/experiment';
import { seedGroups } from '../../../src/shared/seed-groups';
import { demoWorkspace } from '../../helpers/demo-workspace';

let ws: Workspace;
let handlers: Handlers;
let sourceId: number;
const events: ProgressEvent[] = [];

beforeAll(async () => {
  ws = await demoWorkspace('api-seeds-ws');
  handlers = createHandlers(ws, { transport: 'web', emit: (e) => events.push(e) });
  sourceId = (await runExperiment(ws, { dataset: 'demo', augment: [], copies: 0, epochs: 2, patience: 0, backend: 'cpu', seed: 42 })).experimentId;
}, 120_000);
afterAll(() => ws.close());

const queueEvents = (requestId: string) =>
  events.filter((e): e is Extract<ProgressEvent, { kind: 'train-queue' }> => e.kind === 'train-queue' && e.requestId === requestId).map((e) => e.queue);

function waitDone(requestId: string, timeoutMs = 150_000): Promise<SeedQueue> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const done = queueEvents(requestId).find((q) => q.done);
      if (done) resolve(done);
      else if (Date.now() - started > timeoutMs) reject(new Error(`queue ${requestId} did not end`));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

describe('experiments:repeat', () => {
  it('runs the source configuration once per seed, one after another, and the runs form a seed group', async () => {
    const started = await dispatch(handlers, 'experiments:repeat', { experimentId: sourceId, seeds: [43, 44], requestId: 'seeds-a' });
    expect(started).toMatchObject({ ok: true, result: { requestId: 'seeds-a', sourceId, runs: [{ seed: 43, status: 'running' }, { seed: 44, status: 'queued' }] } });
    const done = await waitDone('seeds-a');
    expect(done.runs.map((r) => [r.seed, r.status])).toEqual([
      [43, 'completed'],
      [44, 'completed'],
    ]);
    // Every event crosses the transports as the contract says.
    for (const e of events) expect(ProgressEventSchema.safeParse(e).error).toBeUndefined();
    // Runs start one after another: the second run's first epoch comes after the first run's end.
    const firstEnd = events.findIndex((e) => e.kind === 'train-end' && e.requestId === done.runs[0].requestId);
    const secondEpoch = events.findIndex((e) => e.kind === 'train' && e.requestId === done.runs[1].requestId);
    expect(firstEnd).toBeGreaterThan(-1);
    expect(secondEpoch).toBeGreaterThan(firstEnd);
    const list = await handlers['experiments:list']({});
    const group = seedGroups(list).find((g) => g.runs.some((r) => r.id === sourceId))!;
    expect(group.seeds).toEqual([42, 43, 44]);
    expect(group.summary.accuracy!.n).toBe(3);
    expect(group.summary.accuracy!.sd).not.toBeNull();
    const snapshot = await handlers['experiments:queue']({ requestId: 'seeds-a' });
    expect(snapshot).toEqual(done);
    expect(contract['experiments:queue'].output.safeParse(snapshot).error).toBeUndefined();
  });

  it('is cancelled as a whole through experiments:cancel', async () => {
    const source = await runExperiment(ws, { dataset: 'demo', augment: [], copies: 0, epochs: 3000, patience: 0, backend: 'cpu', seed: 1 }, { signal: AbortSignal.timeout(1) });
    expect(source.status).toBe('cancelled');
    await dispatch(handlers, 'experiments:repeat', { experimentId: source.experimentId, seeds: [2, 3, 4], requestId: 'seeds-b' });
    // Cancel once the first run is training.
    const t0 = Date.now();
    while (!events.some((e) => e.kind === 'train' && e.requestId === 'seeds-b.1' && e.progress.phase === 'epoch') && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50));
    expect(await dispatch(handlers, 'experiments:cancel', { requestId: 'seeds-b' })).toEqual({ ok: true, result: { cancelled: true } });
    const done = await waitDone('seeds-b');
    expect(done).toMatchObject({ cancelled: true, done: true });
    expect(done.runs.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(done.runs[0].experimentId).not.toBeNull();
    expect(done.runs.slice(1).map((r) => r.experimentId)).toEqual([null, null]);
    // No run of the queued seeds was ever recorded.
    const list = await handlers['experiments:list']({});
    expect(list.filter((e) => e.seed === 3 || e.seed === 4)).toEqual([]);
    expect(await dispatch(handlers, 'experiments:cancel', { requestId: 'seeds-b' })).toEqual({ ok: true, result: { cancelled: false } });
  });

  it('refuses a fold, an unknown run and a request id in use', async () => {
    const kfold = await runExperiment(ws, { dataset: 'demo', augment: [], copies: 0, epochs: 1, patience: 0, backend: 'cpu', seed: 1, split: { kind: 'kfold', k: 2 } });
    const fold = kfold.folds!.experimentIds[0];
    expect(await dispatch(handlers, 'experiments:repeat', { experimentId: fold, seeds: [2], requestId: 'x1' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/repeat the cross-validation/) },
    });
    expect(await dispatch(handlers, 'experiments:repeat', { experimentId: 99_999, seeds: [2], requestId: 'x2' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await dispatch(handlers, 'experiments:repeat', { experimentId: sourceId, seeds: [], requestId: 'x3' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await dispatch(handlers, 'experiments:queue', { requestId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await dispatch(handlers, 'experiments:repeat', { experimentId: sourceId, seeds: [7, 8], requestId: 'seeds-c' })).ok).toBe(true);
    expect(await dispatch(handlers, 'experiments:repeat', { experimentId: sourceId, seeds: [9], requestId: 'seeds-c' })).toMatchObject({ ok: false, error: { code: 'duplicate_request' } });
    await dispatch(handlers, 'experiments:cancel', { requestId: 'seeds-c' });
    expect((await waitDone('seeds-c')).cancelled).toBe(true);
  });
});

describe('experiments:annotate and experiments:delete', () => {
  it('names a run, lists what deleting it removes, then deletes it', async () => {
    const r = await runExperiment(ws, { dataset: 'demo', augment: [], copies: 0, epochs: 1, patience: 0, backend: 'cpu', seed: 9 });
    expect(await dispatch(handlers, 'experiments:annotate', { id: r.experimentId, name: 'first try' })).toEqual({ ok: true, result: { id: r.experimentId, name: 'first try', notes: null } });
    expect((await handlers['experiments:get']({ id: r.experimentId })).name).toBe('first try');
    const dry = await dispatch(handlers, 'experiments:delete', { id: r.experimentId, dryRun: true });
    expect(dry).toMatchObject({ ok: true, result: { deleted: false, experiments: [r.experimentId], modelDirs: [expect.stringContaining(`experiment-${r.experimentId}`)] } });
    expect((await handlers['experiments:list']({})).some((e) => e.id === r.experimentId)).toBe(true);
    expect(await dispatch(handlers, 'experiments:delete', { id: r.experimentId })).toMatchObject({ ok: true, result: { deleted: true, experiments: [r.experimentId] } });
    expect(await dispatch(handlers, 'experiments:get', { id: r.experimentId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
