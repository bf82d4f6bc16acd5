import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrainingJob } from '../../../src/core/jobs/job-host';
import { ExperimentStore } from '../../../src/core/store/experiments';
import { openWorkspace, type Workspace } from '../../../src/core/workspace/workspace';
import { demoWorkspace } from '../../helpers/demo-workspace';

let dir: string;
beforeAll(async () => {
  const ws = await demoWorkspace('job-ws');
  dir = ws.dir;
  ws.close();
});

const request = { dataset: 'demo', augment: [], copies: 0, epochs: 500, patience: 0, backend: 'cpu' as const, seed: 3 };

function lastExperiment(): { ws: Workspace; row: ReturnType<ExperimentStore['get']>; epochs: number } {
  const ws = openWorkspace(dir);
  const store = new ExperimentStore(ws.db);
  const row = store.list().at(-1)!;
  return { ws, row, epochs: store.epochs(row.id).length };
}

describe('training job process', () => {
  it('records a cancelled run with the epochs it completed', async () => {
    let seen = 0;
    const job = startTrainingJob(dir, request, (p) => {
      if (p.phase === 'epoch' && ++seen === 2) job.cancel();
    });
    const result = await job.result;
    expect(result.status).toBe('cancelled');
    const { ws, row, epochs } = lastExperiment();
    expect(row?.status).toBe('cancelled');
    expect(epochs).toBeGreaterThanOrEqual(2);
    expect(epochs).toBeLessThan(500);
    ws.close();
  });

  it('marks a killed run interrupted and leaves the workspace usable', async () => {
    let killed = false;
    const job = startTrainingJob(dir, request, (p) => {
      if (p.phase === 'epoch' && p.epoch === 2 && !killed) {
        killed = true;
        job.kill();
      }
    });
    await expect(job.result).rejects.toMatchObject({ code: 'job_crashed' });
    const { ws, row, epochs } = lastExperiment();
    expect(row?.status).toBe('interrupted');
    expect(row?.epochs_completed).toBeGreaterThanOrEqual(2);
    expect(epochs).toBe(row?.epochs_completed);
    expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
    ws.close();
  });
});
afterAll(() => {});
