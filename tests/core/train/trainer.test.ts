import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/core/train/backend';
import { takeRows } from '../../../src/core/train/matrix';
import { buildMlp, denseVariables } from '../../../src/core/train/model';
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

const small = (seed: number, dropout = 0.3) => buildMlp({ inputDim: 12, nClasses: 3, hidden: [32, 16], dropout, seed });

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
    const correct = res.valPredictions.predicted.filter((p, i) => p === data.yVal[i]).length;
    expect(correct / data.yVal.length).toBeCloseTo(res.history[res.bestEpoch - 1].valAcc, 10);
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
    const correct = res.valPredictions.predicted.filter((p, i) => p === data.yVal[i]).length;
    expect(correct / data.yVal.length).toBeCloseTo(res.history[res.bestEpoch - 1].valAcc, 10);
    const probs = tf.tidy(() => model.predict(tf.tensor2d(data.xVal.data, [60, 12])) as tf.Tensor);
    expect(Array.from(probs.dataSync())).toEqual(Array.from(res.valPredictions.probabilities).map((p) => expect.closeTo(p, 5)));
    probs.dispose();
    model.dispose();
  });
});

describe('lean trainer', () => {
  it('matches tfjs autodiff gradients with the Keras Adam update (full batch, no dropout)', async () => {
    await selectBackend('cpu');
    const data = dataset(4, 1);
    const ours = small(9, 0);
    const ref = small(9, 0);
    await trainModel(ours, { ...data }, { seed: 1, epochs: 2, batchSize: 200, patience: 0 });
    const x = tf.tensor2d(data.xTrain.data, [200, 12]);
    const y = tf.oneHot(tf.tensor1d(data.yTrain, 'int32'), 3).toFloat();
    const vars = denseVariables(ref).flatMap((l) => [l.kernel, l.bias]);
    const m = vars.map((v) => tf.zerosLike(v));
    const v2 = vars.map((v) => tf.zerosLike(v));
    for (let t = 1; t <= 2; t++) {
      // Keras 3 Adam: alpha = lr sqrt(1 - b2^t) / (1 - b1^t); eps is added to sqrt(v) before bias correction.
      const { grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(y, (ref.apply(x, { training: false }) as tf.Tensor).log()) as tf.Scalar,
        vars,
      );
      const alpha = (1e-3 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      vars.forEach((w, i) => {
        const g = grads[w.name];
        m[i] = tf.add(tf.mul(m[i], 0.9), tf.mul(g, 0.1));
        v2[i] = tf.add(tf.mul(v2[i], 0.999), tf.mul(tf.square(g), 0.001));
        w.assign(tf.sub(w, tf.div(tf.mul(m[i], alpha), tf.add(tf.sqrt(v2[i]), 1e-7))));
      });
    }
    const a = ours.getWeights().map((w) => Array.from(w.dataSync()));
    const b = ref.getWeights().map((w) => Array.from(w.dataSync()));
    a.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 5)));
    // ...and it did move the weights.
    const init = small(9, 0).getWeights().map((w) => Array.from(w.dataSync()));
    expect(a[0]).not.toEqual(init[0]);
    tf.dispose([x, y]);
  });

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
    await expect(trainModel(buildMlp({ inputDim: 5, nClasses: 3, seed: 1 }), data, { seed: 1 })).rejects.toThrow(/features/);
    await expect(trainModel(small(1), { ...data, nClasses: 4 }, { seed: 1 })).rejects.toThrow(/outputs/);
  });
});
