import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/core/train/backend';
import { layersOfModel, mlpSpec } from '../../../src/core/train/mlp-spec';
import { buildMlp, countParams, denseVariables, modelSummary } from '../../../src/core/train/model';

// The reference report's summary (Keras 2), which ours reproduces line for line.
const referenceSummary = `Model: "sequential"
_________________________________________________________________
 Layer (type)                Output Shape              Param #   
=================================================================
 dense (Dense)               (None, 256)               42752     
                                                                 
 dropout (Dropout)           (None, 256)               0         
                                                                 
 dense_1 (Dense)             (None, 128)               32896     
                                                                 
 dropout_1 (Dropout)         (None, 128)               0         
                                                                 
 dense_2 (Dense)             (None, 64)                8256      
                                                                 
 dropout_2 (Dropout)         (None, 64)                0         
                                                                 
 dense_3 (Dense)             (None, 7)                 455       
                                                                 
=================================================================
Total params: 84359 (329.53 KB)
Trainable params: 84359 (329.53 KB)
Non-trainable params: 0 (0.00 Byte)
_________________________________________________________________`;

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('reference MLP', () => {
  it('has 84,359 parameters for 166 inputs and 7 classes, in Keras layout', () => {
    const spec = mlpSpec({ inputDim: 166, nClasses: 7, seed: 42 });
    const model = buildMlp(spec);
    expect(countParams(model)).toBe(84359);
    expect(model.layers.map((l) => l.name)).toEqual(['dense', 'dropout', 'dense_1', 'dropout_1', 'dense_2', 'dropout_2', 'dense_3']);
    // The built model reads back as exactly the spec it was built from.
    expect(layersOfModel(model)).toEqual(spec.layers);
    expect(spec.layers.slice(0, 2)).toEqual([{ kind: 'dense', units: 256, activation: 'relu' }, { kind: 'dropout', rate: 0.3 }]);
    expect(denseVariables(model).map((v) => v.units)).toEqual([256, 128, 64, 7]);
    expect(modelSummary(model)).toBe(referenceSummary);
    model.dispose();
  });

  it('is configurable', () => {
    const model = buildMlp(mlpSpec({ inputDim: 10, nClasses: 3, hidden: [8], activation: 'tanh', dropout: 0, seed: 1 }));
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dense']);
    expect(countParams(model)).toBe(10 * 8 + 8 + 8 * 3 + 3);
    expect(layersOfModel(model)).toEqual([
      { kind: 'dense', units: 8, activation: 'tanh' },
      { kind: 'dense', units: 3, activation: 'softmax' },
    ]);
    model.dispose();
  });

  it('initialises Glorot-uniform kernels from the seed', () => {
    const weights = (seed: number) => {
      const m = buildMlp(mlpSpec({ inputDim: 166, nClasses: 7, seed }));
      const w = m.getWeights().map((t) => Array.from(t.dataSync()));
      m.dispose();
      return w;
    };
    const before = tf.memory().numTensors;
    const a = weights(42);
    // Building and disposing a model leaves no tensor behind.
    expect(tf.memory().numTensors).toBe(before);
    expect(weights(42)).toEqual(a);
    expect(weights(43)[0]).not.toEqual(a[0]);
    const limit = Math.sqrt(6 / (166 + 256));
    expect(Math.max(...a[0].map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...a[0].map(Math.abs))).toBeGreaterThan(0.9 * limit);
    expect(a[1].every((b) => b === 0)).toBe(true);
    // Layers get different streams.
    expect(a[2].slice(0, 10)).not.toEqual(a[0].slice(0, 10));
  });
});
