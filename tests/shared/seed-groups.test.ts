import { describe, expect, it } from 'vitest';
import { seedCountText, seedGroups, seedSummary, type SeedRun } from '../../src/shared/seed-groups';
import { canonicalJson, consecutiveSeeds, requestFromConfig, seedFreeConfig, seedsText } from '../../src/shared/run-config';
import { TrainRequestSchema } from '../../src/shared/experiment';

let nextId = 1;
const run = (configKey: string, seed: number, accuracy: number | null, extra: Partial<SeedRun> = {}): SeedRun => ({
  id: nextId++,
  parentId: null,
  configKey,
  seed,
  status: accuracy === null ? 'cancelled' : 'completed',
  accuracy,
  macroF1: accuracy === null ? null : accuracy - 0.1,
  weightedF1: accuracy,
  ...extra,
});

describe('seed groups', () => {
  it('groups top-level runs equal but for the seed, with mean ± sd (n - 1) and range over one run per seed', () => {
    const a42 = run('A', 42, 0.6);
    const a43 = run('A', 43, 0.7);
    const a44 = run('A', 44, 0.8);
    const b = run('B', 42, 0.5);
    const fold = run('A', 45, 0.9, { parentId: 99 });
    const groups = seedGroups([a44, b, a43, fold, a42]);
    expect(groups).toHaveLength(1);
    const g = groups[0];
    expect(g.key).toBe('A');
    expect(g.runs.map((r) => r.id)).toEqual([a44.id, a43.id, a42.id]);
    expect(g.seeds).toEqual([42, 43, 44]);
    // Hand computation: mean 0.7, sd = sqrt(((-.1)^2 + 0 + .1^2) / 2) = 0.1.
    expect(g.summary.accuracy!.mean).toBeCloseTo(0.7, 12);
    expect(g.summary.accuracy!.sd).toBeCloseTo(0.1, 12);
    expect(g.summary.accuracy).toMatchObject({ n: 3, min: 0.6, max: 0.8 });
    expect(g.summary.macroF1!.mean).toBeCloseTo(0.6, 12);
    expect(seedCountText(g)).toBe('3 seeds');
  });

  it('counts a repeated seed once (its latest completed run), and scores only completed runs', () => {
    const first = run('C', 1, 0.5);
    const again = run('C', 1, 0.55);
    const other = run('C', 2, 0.65);
    const cancelled = run('C', 3, null);
    const [g] = seedGroups([first, again, other, cancelled]);
    expect(g.seeds).toEqual([1, 2, 3]);
    expect(g.scored.map((r) => r.id)).toEqual([again.id, other.id]);
    expect(g.summary.accuracy).toMatchObject({ n: 2, min: 0.55, max: 0.65 });
    expect(seedCountText(g)).toBe('3 seeds (2 completed)');
  });

  it('forms no group from one seed, and gives no sd from a single value', () => {
    expect(seedGroups([run('D', 5, 0.5), run('D', 5, 0.5)])).toEqual([]);
    expect(seedSummary([{ accuracy: 0.61, macroF1: null, weightedF1: 0.6 }])).toEqual({
      accuracy: { mean: 0.61, sd: null, n: 1, min: 0.61, max: 0.61 },
      macroF1: null,
      weightedF1: { mean: 0.6, sd: null, n: 1, min: 0.6, max: 0.6 },
    });
  });
});

describe('run configs', () => {
  const stored = {
    dataset: 'demo',
    split: { kind: 'speaker', valFraction: 0.25 },
    seed: 42,
    augment: ['gain'],
    copies: 1,
    copyPolicy: 'cycle',
    leaky: false,
    epochs: 10,
    patience: 0,
    batchSize: 32,
    learningRate: 0.001,
    hidden: [256, 128, 64],
    activation: 'relu',
    dropout: 0.3,
    backend: 'cpu',
    features: { blocks: ['mfcc', 'chroma', 'mel', 'contrast', 'tonnetz'], nMfcc: 13, sampleRate: 22050 },
    workers: 2,
  };

  it('turns a stored config back into a request the contract accepts (dataset by id, another seed on request)', () => {
    const request = requestFromConfig(stored, 3, 43);
    const parsed = TrainRequestSchema.parse(request);
    expect(parsed).toMatchObject({ dataset: 3, seed: 43, split: { kind: 'speaker', valFraction: 0.25 }, augment: ['gain'], epochs: 10, backend: 'cpu' });
    expect(parsed.workers).toBeUndefined();
    expect(TrainRequestSchema.parse(requestFromConfig(stored, 3)).seed).toBe(42);
    // Nested values are copies: editing the request leaves the stored config alone.
    (request.augment as string[]).push('noise');
    expect(stored.augment).toEqual(['gain']);
  });

  it('compares configs without seed, workers or the dataset name, whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries({ ...stored, seed: 7, workers: 1, dataset: 'renamed' }).reverse());
    expect(canonicalJson(seedFreeConfig(reordered))).toBe(canonicalJson(seedFreeConfig(stored)));
    expect(canonicalJson(seedFreeConfig({ ...stored, epochs: 11 }))).not.toBe(canonicalJson(seedFreeConfig(stored)));
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });

  it('names seeds briefly and counts them from the run’s seed', () => {
    expect(consecutiveSeeds(42, 3)).toEqual([42, 43, 44]);
    expect(consecutiveSeeds(2 ** 32 - 2, 3)).toEqual([2 ** 32 - 2, 2 ** 32 - 1]);
    expect(seedsText([42, 43, 44])).toBe('42–44');
    expect(seedsText([0, 1, 42])).toBe('0, 1, 42');
    expect(seedsText([1, 2])).toBe('1, 2');
  });
});
