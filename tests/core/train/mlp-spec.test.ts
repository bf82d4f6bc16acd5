import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS, type Activation } from '../../../src/shared/params';
import { selectBackend } from '../../../src/core/train/backend';
import { takeRows } from '../../../src/core/train/matrix';
import { layersOfModel, mlpSpec, passLayers, type LayerSpec } from '../../../src/core/train/mlp-spec';
import { buildMlp, denseVariables } from '../../../src/core/train/model';
import { trainModel, type TrainData } from '../../../src/core/train/trainer';
import { clusters } from './helpers';

// One spec drives both the tfjs model and the hand-written training pass: changing the spec changes what is
// trained (checked against tfjs autodiff), and a layer the pass has no gradient for is refused, not ignored.

function dataset(seed: number): TrainData {
  const { x, y } = clusters(260, 12, 3, seed, 1);
  const tr = Array.from({ length: 200 }, (_, i) => i);
  const va = Array.from({ length: 60 }, (_, i) => 200 + i);
  return { xTrain: takeRows(x, tr), yTrain: y.slice(0, 200), xVal: takeRows(x, va), yVal: y.slice(200), nClasses: 3 };
}

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

beforeAll(async () => {
  await selectBackend('cpu');
});

describe.each(ACTIVATIONS)('the training pass with %s hidden layers', (activation: Activation) => {
  it('takes the same Adam steps as tfjs autodiff on the model the spec builds (full batch, no dropout)', async () => {
    const data = dataset(4);
    const spec = mlpSpec({ inputDim: 12, nClasses: 3, hidden: [10, 6], activation, dropout: 0, seed: 9 });
    const ours = buildMlp(spec);
    const ref = buildMlp(spec);
    const init = weightsOf(ref);
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
    const a = weightsOf(ours);
    const b = weightsOf(ref);
    a.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 5)));
    // ...and every layer moved.
    a.forEach((w, i) => expect(w).not.toEqual(init[i]));
    tf.dispose([x, y]);
    ours.dispose();
    ref.dispose();
  });
});

describe('one spec for the model and the pass', () => {
  it('trains every layer a spec adds', async () => {
    const data = dataset(5);
    for (const hidden of [[8], [16, 8, 8, 4]]) {
      const model = buildMlp(mlpSpec({ inputDim: 12, nClasses: 3, hidden, seed: 3 }));
      expect(denseVariables(model)).toHaveLength(hidden.length + 1);
      const init = weightsOf(model);
      await trainModel(model, data, { seed: 3, epochs: 2, patience: 0 });
      weightsOf(model).forEach((w, i) => expect(w, `weight ${i} of ${hidden.join('-')}`).not.toEqual(init[i]));
      model.dispose();
    }
  });

  it('refuses a layer the pass has no gradient for instead of saving it untrained', async () => {
    const data = dataset(6);
    const withNorm = tf.sequential({
      layers: [
        tf.layers.dense({ units: 8, activation: 'relu', inputShape: [12] }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    await expect(trainModel(withNorm, data, { seed: 1, epochs: 1 })).rejects.toMatchObject({ code: 'unsupported_model', message: expect.stringMatching(/BatchNormalization/) });
    const selu = tf.sequential({
      layers: [tf.layers.dense({ units: 8, activation: 'selu', inputShape: [12] }), tf.layers.dense({ units: 3, activation: 'softmax' })],
    });
    await expect(trainModel(selu, data, { seed: 1, epochs: 1 })).rejects.toMatchObject({ code: 'unsupported_model', message: expect.stringMatching(/'selu'/) });
    tf.dispose([withNorm, selu] as unknown as tf.Tensor[]);
  });

  it('accepts only dense layers with dropout after hidden ones, ending in softmax', () => {
    const dense = (units: number, activation: Activation | 'softmax'): LayerSpec => ({ kind: 'dense', units, activation });
    const drop = (rate: number): LayerSpec => ({ kind: 'dropout', rate });
    expect(passLayers([dense(8, 'elu'), drop(0.2), dense(4, 'tanh'), dense(3, 'softmax')])).toEqual([
      { units: 8, activation: 'elu', dropout: 0.2 },
      { units: 4, activation: 'tanh', dropout: 0 },
      { units: 3, activation: 'softmax', dropout: 0 },
    ]);
    expect(() => passLayers([drop(0.2), dense(3, 'softmax')])).toThrow(/Dropout/);
    expect(() => passLayers([dense(8, 'relu'), drop(0.2), drop(0.2), dense(3, 'softmax')])).toThrow(/Dropout/);
    expect(() => passLayers([dense(8, 'relu'), dense(3, 'relu')])).toThrow(/softmax/);
    expect(() => passLayers([dense(3, 'softmax'), dense(3, 'softmax')])).toThrow(/after the softmax/);
  });

  it('reads a built model back as its spec, dropout rates included', () => {
    const spec = mlpSpec({ inputDim: 5, nClasses: 2, hidden: [4, 3], activation: 'sigmoid', dropout: 0.25, seed: 1 });
    const model = buildMlp(spec);
    expect(layersOfModel(model)).toEqual(spec.layers);
    model.dispose();
  });
});
