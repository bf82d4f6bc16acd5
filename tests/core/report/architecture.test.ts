import { beforeAll, describe, expect, it } from 'vitest';
import { architecture, featureBlockRows, kerasSummary } from '../../../src/core/report/architecture';
import { selectBackend } from '../../../src/core/train/backend';
import { mlpSpec, type MlpSettings } from '../../../src/core/train/mlp-spec';
import { buildMlp, countParams, modelSummary } from '../../../src/core/train/model';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('architecture', () => {
  it('computes the reference MLP without tfjs: 84,359 parameters for 166 inputs and 7 classes', () => {
    const a = architecture({ inputDim: 166, nClasses: 7, seed: 42 });
    expect(a.total).toBe(84359);
    expect(a.layers.map((l) => [l.name, l.units, l.params])).toEqual([
      ['dense', 256, 42752],
      ['dropout', 256, 0],
      ['dense_1', 128, 32896],
      ['dropout_1', 128, 0],
      ['dense_2', 64, 8256],
      ['dropout_2', 64, 0],
      ['dense_3', 7, 455],
    ]);
  });

  const settings: MlpSettings[] = [
    { inputDim: 166, nClasses: 7, seed: 42 },
    { inputDim: 10, nClasses: 3, hidden: [8], activation: 'tanh', dropout: 0, seed: 1 },
    { inputDim: 153, nClasses: 5, hidden: [512, 32, 16, 8], dropout: 0.5, seed: 3 },
  ];

  it.each(settings)('agrees with the built tfjs model and its Keras summary (%o)', (s) => {
    const model = buildMlp(mlpSpec(s));
    const a = architecture(s);
    expect(a.total).toBe(countParams(model));
    expect(a.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(kerasSummary(a)).toBe(modelSummary(model));
    model.dispose();
  });

  it('sizes the feature blocks of a stored feature config (166 by default)', () => {
    expect(featureBlockRows({}).reduce((a, b) => a + b.rows, 0)).toBe(166);
    expect(featureBlockRows({ blocks: ['tonnetz', 'mfcc'], nMfcc: 20 })).toEqual([
      { block: 'mfcc', rows: 20 },
      { block: 'tonnetz', rows: 6 },
    ]);
  });
});
