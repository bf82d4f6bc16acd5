import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/core/experiments/run';
import { ExperimentStore } from '../../../src/core/store/experiments';
import type { Workspace } from '../../../src/core/workspace/workspace';
import type { TrainProgress } from '../../../src/shared/experiment';
import { demoWorkspace } from '../../helpers/demo-workspace';

let ws: Workspace;
beforeAll(async () => {
  ws = await demoWorkspace();
});
afterAll(() => ws.close());

// Small but real: the demo corpus, two cheap augmentations, a few epochs on the pure-JS backend.
const base = { dataset: 'demo', augment: ['gain', 'shift'] as ('gain' | 'shift')[], copies: 2, epochs: 6, patience: 3, backend: 'cpu' as const, seed: 7 };

describe('runExperiment', () => {
  it('splits first, augments training clips only, trains, and records everything', async () => {
    const events: TrainProgress[] = [];
    const r = await runExperiment(ws, base, { onProgress: (p) => events.push(p) });
    expect(r.status).toBe('completed');
    expect(r.backend).toBe('cpu');
    expect(r.protocol).toBe('stratified hold-out 80/20, seed 7');
    // 98 clips: 20 validation originals (ceil(0.2*98)), 78 training clips x (1 + 2 copies).
    expect(r.split).toEqual({ trainClips: 78, valClips: 20, trainRows: 234, valRows: 20 });
    expect(Object.values(r.perClass).reduce((a, m) => a + m.support, 0)).toBe(20);
    expect(r.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(20);
    expect(r.history.loss.length).toBe(r.epochs);
    expect(r.accuracy).toBeGreaterThan(1 / 7); // better than chance on the demo's distinct prosody
    expect(events.filter((e) => e.phase === 'epoch')).toHaveLength(r.epochs);
    expect(events.some((e) => e.phase === 'features')).toBe(true);

    const store = new ExperimentStore(ws.db);
    const row = store.get(r.experimentId)!;
    expect(row).toMatchObject({ status: 'completed', seed: 7, backend: 'cpu', epochs_completed: r.epochs, leaky: 0 });
    expect(row.dataset_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(row.versions)).toMatchObject({ backend: 'cpu', tfjs: expect.any(String), app: expect.any(String) });
    expect(JSON.parse(row.config)).toMatchObject({ copies: 2, augment: ['gain', 'shift'], batchSize: 32, learningRate: 0.001 });
    expect(store.epochs(r.experimentId)).toHaveLength(r.epochs);
    expect(store.classMetrics(r.experimentId)).toHaveLength(7);
    const model = ws.db.prepare('SELECT * FROM models WHERE experiment_id = ?').get(r.experimentId) as { path: string; standardizer: string };
    expect(fs.existsSync(path.join(model.path, 'model.json'))).toBe(true);
    expect(JSON.parse(model.standardizer).mean).toHaveLength(166);
  });

  it('repeats exactly with the same seed (features come from the cache the second time)', async () => {
    const a = await runExperiment(ws, base);
    const b = await runExperiment(ws, base);
    expect(b.history).toEqual(a.history);
    expect(b.perClass).toEqual(a.perClass);
  });

  it('labels the leaky protocol and shows augmented copies reaching validation', async () => {
    const r = await runExperiment(ws, { ...base, leaky: true });
    expect(r.leaky).toBe(true);
    expect(r.protocol).toMatch(/^LEAKY/);
    expect(r.split.valRows).toBe(Math.ceil(0.2 * 98 * 3));
    expect(r.split.leakage).toBeGreaterThan(0.5);
  });

  it('runs k-fold and reports mean and sd over folds', async () => {
    const r = await runExperiment(ws, { ...base, split: { kind: 'speaker-kfold', k: 4 }, epochs: 2, copies: 0, augment: [] });
    expect(r.folds?.k).toBe(4);
    expect(r.folds?.experimentIds).toHaveLength(4);
    expect(r.protocol).toBe('leave-speakers-out 4-fold cross-validation, seed 7');
    // Every clip is validated exactly once over the folds.
    expect(r.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(98);
    const store = new ExperimentStore(ws.db);
    const children = store.list().filter((e) => e.parent_id === r.experimentId);
    expect(children.map((c) => c.fold)).toEqual([0, 1, 2, 3]);
    for (const c of children) expect(JSON.parse(c.protocol).heldOutSpeakers).toHaveLength(1);
  });

  it('refuses a speaker split without speakers and an unknown dataset', async () => {
    await expect(runExperiment(ws, { ...base, dataset: 'nope' })).rejects.toThrow(/No dataset 'nope'/);
    await expect(runExperiment(ws, { ...base, leaky: true, split: { kind: 'speaker', valFraction: 0.2 } })).rejects.toThrow(/leaky/);
  });
});
