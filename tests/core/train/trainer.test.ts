import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/core/train/backend';
import { takeRows } from '../../../src/core/train/matrix';
import { mlpSpec } from '../../../src/core/train/mlp-spec';
import { buildMlp } from '../../../src/core/train/model';
import { trainModel, type TrainData } from '../../../src/core/train/trainer';
import { clusters } from './helpers';
import { tfjsNodeLoads } from '../../helpers/tfjs';

function dataset(seed: number, sep: number): TrainData {
  const { x, y } = clusters(260, 12, 3, seed, sep);
  const tr = Array.from({ length: 200 }, (_, i) => i);
  const va = Array.from({ length: 60 }, (_, i) => 200 + i);
  return { xTrain: takeRows(x, tr), yTrain: y.slice(0, 200), xVal: takeRows(x, va), yVal: y.slice(200), nClasses: 3 };
}

// Native TensorFlow joins when it is built (CI builds it); bit-exact repeats are promised on cpu and wasm only.
const backends = ['cpu', 'wasm', ...(tfjsNodeLoads() ? ['tensorflow' as const] : [])] as const;
const deterministic = (b: string) => b === 'cpu' || b === 'wasm';

const small = (seed: number, dropout = 0.3) => buildMlp(mlpSpec({ inputDim: 12, nClasses: 3, hidden: [32, 16], dropout, seed }));

describe.each(backends)('lean trainer on %s', (backend) => {
  it('learns a separable problem', async () => {
    await selectBackend(backend);
    const data = dataset(1, 1.5);
    const model = small(42);
    const epochs: number[] = [];
    const res = await trainModel(model, data, { seed: 42, epochs: 15, patience: 0, onEpoch: (l) => void epochs.push(l.epoch) });
    expect(res.status).toBe('completed');
    expect(epochs).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(res.history[0].loss).toBeGreaterThan(res.history[14].loss);
    expect(res.history[14].acc).toBeGreaterThan(0.9);
    expect(Math.max(...res.history.map((h) => h.valAcc))).toBeGreaterThan(0.9);
    // No early stopping (patience 0): the final weights are kept, as Keras keeps them without the callback.
    expect(res.weights).toEqual({ epoch: 15, rule: 'final' });
    const correct = res.valPredictions.predicted.filter((p, i) => p === data.yVal[i]).length;
    expect(correct / data.yVal.length).toBeCloseTo(res.history[14].valAcc, 10);
    expect(res.valPredictions.probabilities.length).toBe(60 * 3);
    model.dispose();
  });

  it.runIf(deterministic(backend))('repeats exactly with the same seed and differs with another', async () => {
    await selectBackend(backend);
    const data = dataset(2, 0.6);
    const run = async (seed: number) => {
      const model = small(seed);
      const res = await trainModel(model, data, { seed, epochs: 6 });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return { history: res.history.map(({ ms: _ms, ...h }) => h), predicted: Array.from(res.valPredictions.predicted), weights };
    };
    const before = tf.memory().numTensors;
    const a = await run(7);
    expect(tf.memory().numTensors).toBe(before);
    const b = await run(7);
    expect(b).toEqual(a);
    const c = await run(8);
    expect(c.history).not.toEqual(a.history);
  });

  it('stops early on validation loss and restores the best weights', async () => {
    await selectBackend(backend);
    // Few, noisy rows: validation loss turns up quickly.
    const data = dataset(3, 0.25);
    const model = small(5, 0);
    const res = await trainModel(model, data, { seed: 5, epochs: 80, patience: 3, learningRate: 0.01 });
    expect(res.status).toBe('early-stopped');
    const valLoss = res.history.map((h) => h.valLoss);
    expect(res.bestEpoch).toBe(valLoss.indexOf(Math.min(...valLoss)) + 1);
    expect(res.history.length).toBe(res.bestEpoch + 3);
    expect(res.weights).toEqual({ epoch: res.bestEpoch, rule: 'best-val-loss' });
    const correct = res.valPredictions.predicted.filter((p, i) => p === data.yVal[i]).length;
    expect(correct / data.yVal.length).toBeCloseTo(res.history[res.bestEpoch - 1].valAcc, 10);
    const probs = tf.tidy(() => model.predict(tf.tensor2d(data.xVal.data, [60, 12])) as tf.Tensor);
    expect(Array.from(probs.dataSync())).toEqual(Array.from(res.valPredictions.probabilities).map((p) => expect.closeTo(p, 5)));
    probs.dispose();
    model.dispose();
  });
});

describe('lean trainer', () => {
  it('cancels after the current batch and returns what is done', async () => {
    await selectBackend('wasm');
    const data = dataset(5, 1);
    const controller = new AbortController();
    const res = await trainModel(small(1), data, {
      seed: 1,
      epochs: 50,
      signal: controller.signal,
      onEpoch: (l) => {
        if (l.epoch === 2) controller.abort();
      },
    });
    expect(res.status).toBe('cancelled');
    expect(res.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(res.bestEpoch).toBeGreaterThan(0);

    // Aborted in the middle of the first epoch: no complete epoch, no crash.
    let checks = 0;
    const midEpoch = { get aborted() { return ++checks > 3; } } as AbortSignal;
    const mid = await trainModel(small(1), data, { seed: 1, epochs: 5, batchSize: 16, signal: midEpoch });
    expect(mid.status).toBe('cancelled');
    expect(mid.history).toEqual([]);
    expect(mid.bestEpoch).toBe(0);
    expect(mid.valPredictions.predicted.length).toBe(60);
  });

  it('rejects data that does not fit the model', async () => {
    await selectBackend('cpu');
    const data = dataset(6, 1);
    await expect(trainModel(buildMlp(mlpSpec({ inputDim: 5, nClasses: 3, seed: 1 })), data, { seed: 1 })).rejects.toThrow(/features/);
    await expect(trainModel(small(1), { ...data, nClasses: 4 }, { seed: 1 })).rejects.toThrow(/outputs/);
  });
});
