import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/core/train/backend';
import { trainAndEvaluate } from '../../../src/core/train/train-evaluate';
import { takeRows } from '../../../src/core/train/matrix';
import { clusters } from './helpers';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('trainAndEvaluate (the one training path of every fold)', () => {
  it('standardises on train rows, trains and reports on raw features', async () => {
    const { x, y } = clusters(240, 16, 4, 9, 1.5);
    // Raw features on wildly different scales, as the 166-d vector has (mel power vs chroma).
    for (let i = 0; i < x.rows; i++) for (let j = 0; j < 16; j++) x.data[i * 16 + j] = x.data[i * 16 + j] * 10 ** (j % 4) + 100 * j;
    const tr = Array.from({ length: 180 }, (_, i) => i);
    const va = Array.from({ length: 60 }, (_, i) => 180 + i);
    const out = await trainAndEvaluate(
      { xTrain: takeRows(x, tr), yTrain: y.slice(0, 180), xVal: takeRows(x, va), yVal: y.slice(180), labels: ['a', 'b', 'c', 'd'] },
      { seed: 3, hidden: [32, 16], epochs: 20, patience: 5 },
    );
    expect(out.result.model.countParams()).toBe(16 * 32 + 32 + 32 * 16 + 16 + 16 * 4 + 4);
    expect(out.spec.layers.filter((l) => l.kind === 'dense').map((l) => l.units)).toEqual([32, 16, 4]);
    expect(out.standardizer.mean[15]).toBeGreaterThan(1000);
    expect(out.report.accuracy).toBeGreaterThan(0.85);
    expect(out.report.labels).toEqual(['a', 'b', 'c', 'd']);
    expect(out.report.macro.support).toBe(60);
    expect(out.summary?.minValLossEpoch).toBe(out.result.bestEpoch);
    // Early stopping on: the model holds the lowest-validation-loss epoch's weights.
    expect(out.weights).toEqual({ epoch: out.result.bestEpoch, rule: 'best-val-loss' });
  });
});
