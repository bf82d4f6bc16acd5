import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch, type Handlers } from '../../../src/core/api/service';
import type { Workspace } from '../../../src/core/workspace/workspace';
import { contract, type ProgressEvent } from '../../../src/shared/contract';
import { TrainResultSchema } from '../../../src/shared/experiment';
import { demoWorkspace } from '../../helpers/demo-workspace';

let ws: Workspace;
let handlers: Handlers;
const events: ProgressEvent[] = [];

beforeAll(async () => {
  ws = await demoWorkspace('api-ws');
  handlers = createHandlers(ws, { transport: 'web', emit: (e) => events.push(e) });
});
afterAll(() => ws.close());

function waitForEnd(requestId: string, timeoutMs = 120_000): Promise<Extract<ProgressEvent, { kind: 'train-end' }>> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const end = events.find((e) => e.kind === 'train-end' && e.requestId === requestId);
      if (end) resolve(end as Extract<ProgressEvent, { kind: 'train-end' }>);
      else if (Date.now() - started > timeoutMs) reject(new Error('no train-end event'));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

describe('experiments over the contract', () => {
  it('starts a run as a job, streams epochs, and records it for list/get', async () => {
    const request = { dataset: 'demo', augment: ['gain' as const], copies: 1, epochs: 4, patience: 0, backend: 'cpu' as const, seed: 5 };
    const started = await dispatch(handlers, 'experiments:start', { request, requestId: 'run-1' });
    expect(started).toEqual({ ok: true, result: { requestId: 'run-1' } });
    const end = await waitForEnd('run-1');
    expect(end.error).toBeUndefined();
    expect(end.result).toMatchObject({ status: 'completed', epochs: 4 });
    const epochs = events.filter((e) => e.kind === 'train' && e.requestId === 'run-1' && e.progress.phase === 'epoch');
    expect(epochs).toHaveLength(4);

    const list = await handlers['experiments:list']({});
    expect(list[0]).toMatchObject({ id: end.result!.experimentId, dataset: 'demo', status: 'completed', epochs: 4 });
    const detail = await handlers['experiments:get']({ id: end.result!.experimentId });
    expect(detail.epochsLog.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(detail.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(detail.perClass.reduce((a, c) => a + c.support, 0));
    expect(detail.modelPath).toContain('experiment-');
    expect(detail.config).toMatchObject({ seed: 5, copies: 1 });
    // What the engine answers, read back from SQLite, is what the contract promises (no shape left to guess).
    expect(contract['experiments:get'].output.safeParse(detail).error).toBeUndefined();
    expect(contract['experiments:list'].output.safeParse(list).error).toBeUndefined();
    expect(TrainResultSchema.safeParse(end.result).error).toBeUndefined();
    expect(detail.weights).toEqual({ epoch: 4, rule: 'final' });
    expect(detail.summary).toMatchObject({ minValLossEpoch: expect.any(Number), bestClass: { label: expect.any(String) } });
  });

  it('validates the request before starting anything', async () => {
    const bad = await dispatch(handlers, 'experiments:start', { request: { dataset: 'demo', epochs: 0 }, requestId: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const missing = await dispatch(handlers, 'experiments:get', { id: 999 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await handlers['experiments:cancel']({ requestId: 'nothing-running' })).toEqual({ cancelled: false });
  });
});
