// A test part is held out before anything else: its clips never reach the training rows, the standardiser's fit or
// early stopping (the validation rows the trainer watches), and the run's headline is its score.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Matrix } from '../../../src/core/train/matrix';

const seen = vi.hoisted(() => ({
  fits: [] as Matrix[],
  trainerData: [] as { xTrain: Matrix; xVal: Matrix }[],
  inputs: [] as { xTrain: Matrix; xVal: Matrix; xTest?: Matrix; yTest?: Int32Array }[],
  outcomes: [] as { report: { accuracy: number; macro: { f1: number } }; valReport: { accuracy: number }; testPredicted: Int32Array | null; scoreSet: string }[],
}));

vi.mock('../../../src/core/train/standardize', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../../src/core/train/standardize')>();
  return { ...mod, fitStandardizer: (x: Matrix) => (seen.fits.push(x), mod.fitStandardizer(x)) };
});
vi.mock('../../../src/core/train/trainer', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../../src/core/train/trainer')>();
  return { ...mod, trainModel: (model: Parameters<typeof mod.trainModel>[0], data: Parameters<typeof mod.trainModel>[1], opts: Parameters<typeof mod.trainModel>[2]) => (seen.trainerData.push(data), mod.trainModel(model, data, opts)) };
});
vi.mock('../../../src/core/train/train-evaluate', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../../src/core/train/train-evaluate')>();
  return {
    ...mod,
    trainAndEvaluate: async (...args: Parameters<typeof mod.trainAndEvaluate>) => {
      seen.inputs.push(args[0]);
      const out = await mod.trainAndEvaluate(...args);
      seen.outcomes.push(out);
      return out;
    },
  };
});

const { runExperiment } = await import('../../../src/core/experiments/run');
const { planRun } = await import('../../../src/core/experiments/plan');
const { datasetSamples } = await import('../../../src/core/experiments/samples');
const { experimentDetail } = await import('../../../src/core/experiments/queries');
const { TrainRequestSchema } = await import('../../../src/shared/experiment');
const { demoWorkspace } = await import('../../helpers/demo-workspace');
const standardize = await import('../../../src/core/train/standardize');
type Workspace = Awaited<ReturnType<typeof demoWorkspace>>;

let ws: Workspace;
beforeAll(async () => {
  ws = await demoWorkspace('test-split');
});
afterAll(() => ws.close());

const base = { dataset: 'demo', augment: ['gain', 'shift'] as ('gain' | 'shift')[], copies: 2, epochs: 5, patience: 2, backend: 'cpu' as const, seed: 7 };

/** Each row of a matrix as a hash of its bytes: a row seen elsewhere is the same vector. */
function rowKeys(m: Matrix): string[] {
  const out: string[] = [];
  for (let r = 0; r < m.rows; r++) out.push(createHash('sha256').update(m.data.subarray(r * m.cols, (r + 1) * m.cols)).digest('hex'));
  return out;
}

describe.each([
  ['stratified', { kind: 'stratified', valFraction: 0.2 }],
  ['speaker', { kind: 'speaker', valFraction: 0.2 }],
] as const)('a test part (%s split)', (name, split) => {
  it('is disjoint from training and validation by clip and by sha256, and gets no augmented copies', () => {
    const samples = datasetSamples(ws.db, 1);
    const cfg = TrainRequestSchema.parse({ ...base, split, testFraction: 0.2 });
    const plan = planRun(samples, cfg);
    const s = plan.splits[0];
    expect(s.test.length).toBeGreaterThan(0);
    const test = new Set(s.test);
    expect(s.train.concat(s.val).filter((i) => test.has(i))).toEqual([]);
    expect(new Set([...s.test, ...s.train, ...s.val]).size).toBe(samples.length);
    const testHashes = new Set(s.test.map((i) => samples[i].sha256));
    expect(s.train.concat(s.val).filter((i) => testHashes.has(samples[i].sha256))).toEqual([]);
    for (const i of s.test) expect(plan.copies[i]).toEqual([]);
    if (name === 'speaker') {
      const testSpeakers = new Set(s.test.map((i) => samples[i].speaker));
      expect(s.train.concat(s.val).filter((i) => testSpeakers.has(samples[i].speaker))).toEqual([]);
      expect(s.protocol).toMatchObject({ testFraction: 0.2, testSpeakers: [...testSpeakers].sort() });
    }
  });

  it('never reaches training rows, the standardiser fit or early stopping, and gives the headline', async () => {
    for (const k of Object.keys(seen) as (keyof typeof seen)[]) seen[k].length = 0;
    const r = await runExperiment(ws, { ...base, split, testFraction: 0.2 });
    expect(r.status).toBe('completed');
    expect(seen.inputs).toHaveLength(1);
    const input = seen.inputs[0];
    expect(input.xTest!.rows).toBe(r.split.testRows);
    expect(r.split.testRows).toBe(r.split.testClips);
    const test = new Set(rowKeys(input.xTest!));
    expect(test.size).toBeGreaterThan(0);
    const none = (m: Matrix) => rowKeys(m).filter((k) => test.has(k));
    // raw rows: training (with copies) and validation
    expect(none(input.xTrain)).toEqual([]);
    expect(none(input.xVal)).toEqual([]);
    // the standardiser is fitted once, on exactly the training rows
    expect(seen.fits).toHaveLength(1);
    expect(rowKeys(seen.fits[0])).toEqual(rowKeys(input.xTrain));
    // the trainer (and its early stopping) gets as many rows as training and validation hold, none of them a test row
    expect(seen.trainerData).toHaveLength(1);
    expect(seen.trainerData[0].xTrain.rows).toBe(input.xTrain.rows);
    expect(seen.trainerData[0].xVal.rows).toBe(input.xVal.rows);
    const out = seen.outcomes[0];
    const standardisedTest = new Set(rowKeys(applyFit(input.xTest!, seen.fits[0])));
    expect(rowKeys(seen.trainerData[0].xTrain).filter((k) => standardisedTest.has(k))).toEqual([]);
    expect(rowKeys(seen.trainerData[0].xVal).filter((k) => standardisedTest.has(k))).toEqual([]);
    // the headline is the test part's evaluation, computed here from its predictions
    expect(out.scoreSet).toBe('test');
    const correct = out.testPredicted!.filter((p, i) => p === input.yTest![i]).length;
    expect(r.accuracy).toBe(correct / input.yTest!.length);
    expect(r.scoreSet).toBe('test');
    expect(r.macroF1).toBe(out.report.macro.f1);
    expect(r.validation?.accuracy).toBe(out.valReport.accuracy);
    expect(Object.values(r.perClass).reduce((a, m) => a + m.support, 0)).toBe(r.split.testClips);
    expect(r.protocol).toMatch(/; test part 20%.* held out first, never seen by early stopping$/);
    // and the workspace says so
    const detail = experimentDetail(ws.db, r.experimentId)!;
    expect(detail).toMatchObject({ scoreSet: 'test', accuracy: r.accuracy, macroF1: r.macroF1, validation: { accuracy: out.valReport.accuracy } });
    expect(detail.protocolOutline).toMatchObject({ testFraction: 0.2 });
    expect(detail.protocol).toBe(r.protocol);
  });
});

describe.each([
  ['kfold', { kind: 'kfold', k: 3, valFraction: 0.2 }],
  ['speaker-kfold', { kind: 'speaker-kfold', k: 4, valFraction: 0.2 }],
] as const)('k-fold with a validation part (%s): the held-out fold is the test', (name, split) => {
  it('carves early stopping clips from the training folds; the held-out fold is the test', () => {
    const samples = datasetSamples(ws.db, 1);
    const cfg = TrainRequestSchema.parse({ ...base, split });
    const plan = planRun(samples, cfg);
    expect(plan.splits).toHaveLength(split.k);
    const tested = new Set<number>();
    for (const s of plan.splits) {
      const test = new Set(s.test);
      s.test.forEach((i) => tested.add(i));
      expect(s.train.concat(s.val).filter((i) => test.has(i))).toEqual([]);
      expect(s.val.filter((i) => s.train.includes(i))).toEqual([]);
      expect(new Set([...s.test, ...s.train, ...s.val]).size).toBe(samples.length);
      const testHashes = new Set(s.test.map((i) => samples[i].sha256));
      expect(s.train.concat(s.val).filter((i) => testHashes.has(samples[i].sha256))).toEqual([]);
      if (name === 'speaker-kfold') {
        const speakersOf = (idx: number[]) => new Set(idx.map((i) => samples[i].speaker));
        const [tr, va, te] = [speakersOf(s.train), speakersOf(s.val), speakersOf(s.test)];
        expect([...va].filter((x) => tr.has(x) || te.has(x))).toEqual([]);
        expect([...te].filter((x) => tr.has(x))).toEqual([]);
      }
    }
    // every clip is tested exactly once over the folds
    expect(tested.size).toBe(samples.length);
  });

  it('never lets a fold\'s test clips reach its training rows, standardiser or early stopping; the headline is the folds\' test scores', async () => {
    for (const k of Object.keys(seen) as (keyof typeof seen)[]) seen[k].length = 0;
    const r = await runExperiment(ws, { ...base, split, epochs: 2, copies: 0, augment: [] });
    expect(r.status).toBe('completed');
    expect(seen.inputs).toHaveLength(split.k);
    seen.inputs.forEach((input, f) => {
      const test = new Set(rowKeys(input.xTest!));
      expect(test.size).toBeGreaterThan(0);
      expect(rowKeys(input.xTrain).filter((k) => test.has(k))).toEqual([]);
      expect(rowKeys(input.xVal).filter((k) => test.has(k))).toEqual([]);
      expect(rowKeys(seen.fits[f])).toEqual(rowKeys(input.xTrain));
      expect(seen.trainerData[f].xVal.rows).toBe(input.xVal.rows);
      expect(seen.outcomes[f].scoreSet).toBe('test');
    });
    const mean = seen.outcomes.reduce((a, o) => a + o.report.accuracy, 0) / split.k;
    expect(r.scoreSet).toBe('test');
    expect(r.accuracy).toBeCloseTo(mean, 12);
    // every clip is tested once over the folds
    expect(r.split.testClips).toBe(98);
    expect(r.protocol).toMatch(/; the held-out fold is the test, early stopping on 20% of the training (clips|speakers)$/);
    const detail = experimentDetail(ws.db, r.experimentId)!;
    expect(detail.scoreSet).toBe('test');
    expect(detail.children.every((c) => c.scoreSet === 'test')).toBe(true);
  });
});

it('a run without a test part keeps the reference protocol: the headline is the validation score', async () => {
  const r = await runExperiment(ws, { ...base, epochs: 2 });
  expect(r.scoreSet).toBe('validation');
  expect(r.validation).toBeNull();
  expect(r.split.testClips).toBeUndefined();
  expect(experimentDetail(ws.db, r.experimentId)).toMatchObject({ scoreSet: 'validation', validation: null });
});

it('refuses a test part with k-fold or the leaky protocol', () => {
  expect(TrainRequestSchema.safeParse({ ...base, split: { kind: 'kfold', k: 3 }, testFraction: 0.2 }).success).toBe(false);
  expect(TrainRequestSchema.safeParse({ ...base, leaky: true, testFraction: 0.2 }).success).toBe(false);
  expect(TrainRequestSchema.safeParse({ ...base, testFraction: 0.6 }).success).toBe(false);
});

/** `x` standardised as train-evaluate does it, with the standardiser fitted on `fit`. */
function applyFit(x: Matrix, fit: Matrix): Matrix {
  return standardize.applyStandardizer(standardize.fitStandardizer(fit), x);
}
