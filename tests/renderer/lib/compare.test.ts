import { describe, expect, it } from 'vitest';
import { columnConfusion, compareColumns, configRows, metricRows, perClassF1, runEpochs, validationCurves } from '../../../src/renderer/src/lib/compare';
import { queueFraction, queuePosition } from '../../../src/renderer/src/lib/seed-queue-state';
import { initialRunState, reduceProgress } from '../../../src/renderer/src/lib/run-state';
import { rowNormalised, pooledConfusion } from '../../../src/shared/charts/confusion';
import { formFromConfig, buildTrainRequest } from '../../../src/renderer/src/lib/experiments';
import { requestFromConfig } from '../../../src/shared/run-config';
import { TrainRequestSchema, type ExperimentDetail, type SeedQueue } from '../../../src/shared/experiment';

const config = (seed: number, extra: Record<string, unknown> = {}) => ({
  dataset: 'demo',
  split: { kind: 'speaker', valFraction: 0.25 },
  seed,
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
  ...extra,
});

function detail(id: number, seed: number, key: string, accuracy: number, extra: Partial<ExperimentDetail> = {}): ExperimentDetail {
  return {
    id,
    datasetId: 1,
    dataset: 'demo',
    parentId: null,
    fold: null,
    status: 'completed',
    folds: null,
    protocol: `speaker-independent hold-out (speakers a held out), seed ${seed}`,
    protocolOutline: null,
    leaky: false,
    seed,
    backend: 'cpu',
    epochs: 3,
    bestEpoch: 3,
    accuracy,
    macroF1: accuracy - 0.1,
    weightedF1: accuracy - 0.05,
    accuracySd: null,
    macroF1Sd: null,
    startedAt: '2026-03-01T10:00:00Z',
    finishedAt: null,
    error: null,
    name: null,
    notes: null,
    protocolKind: 'speaker',
    configKey: key,
    stage: null,
    progress: null,
    config: config(seed),
    featureConfigHash: 'f',
    datasetHash: 'd',
    versions: {},
    epochsLog: [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, acc: 0.3 * epoch, valLoss: 1.2 / epoch, valAcc: 0.25 * epoch, ms: 10 })),
    perClass: [
      { label: 'anger', precision: 1, recall: 1, f1: accuracy, support: 2 },
      { label: 'sadness', precision: 1, recall: 1, f1: accuracy - 0.2, support: 2 },
    ],
    confusion: { labels: ['anger', 'sadness'], matrix: [[2, 0], [1, 1]] },
    summary: null,
    foldsSummary: null,
    split: null,
    timings: { featuresMs: 500, trainMs: 1000 * id, msPerEpoch: 10 },
    weights: null,
    modelPath: null,
    children: [],
    perSpeaker: null,
    skipped: null,
    currentDatasetHash: 'd',
    datasetChanged: false,
    ...extra,
  };
}

describe('comparison', () => {
  const a42 = detail(3, 42, 'A', 0.5);
  const a43 = detail(4, 43, 'A', 0.7, { name: 'aug' });
  const b = detail(8, 42, 'B', 0.9, { name: 'more epochs', config: config(42, { epochs: 20 }), epochs: 5 });

  it('merges runs that differ only by seed into one column with mean ± sd, unless asked not to', () => {
    const cols = compareColumns([b, a43, a42]);
    expect(cols.map((c) => c.title)).toEqual(['#8', '#3 · #4']);
    expect(cols[1]).toMatchObject({ group: true, seeds: [42, 43], name: 'aug' });
    expect(cols[1].summary.accuracy!.mean).toBeCloseTo(0.6, 12);
    expect(cols[1].summary.accuracy!.sd).toBeCloseTo(Math.SQRT2 / 10, 12);
    expect(cols[0].colour).not.toBe(cols[1].colour);
    expect(compareColumns([b, a43, a42], false).map((c) => c.title)).toEqual(['#8', '#4', '#3']);
  });

  it('puts the numbers side by side and marks the best', () => {
    const rows = metricRows(compareColumns([b, a43, a42]));
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.accuracy.cells.map((c) => c.text)).toEqual(['90.0%', '60.0 ± 14.1%']);
    expect(byKey.accuracy.cells[1].hint).toBe('range 50.0–70.0%');
    expect(byKey.accuracy.best).toBe(0);
    expect(byKey.macroF1.cells[0].text).toBe('0.800');
    expect(byKey.epochs.cells.map((c) => c.text)).toEqual(['5', 'mean 3']);
    // 8 s for #8, (3 + 4) / 2 s for the group: the shorter training is the best.
    expect(byKey.trainMs.cells.map((c) => c.text)).toEqual(['8.00 s', 'mean 3.50 s']);
    expect(byKey.trainMs.cells[1].hint).toBe('range 3.00 s–4.00 s');
    expect(byKey.trainMs.best).toBe(1);
    expect(runEpochs(detail(5, 1, 'C', 0.5, { epochs: 0, children: [{ ...a42, epochs: 4 }, { ...a43, epochs: 6 }] }))).toBe(10);
  });

  it('gives per-class F1, the validation curves and pooled, row-normalised confusion', () => {
    const cols = compareColumns([b, a43, a42]);
    const f1 = perClassF1(cols);
    expect(f1.labels).toEqual(['anger', 'sadness']);
    expect(f1.values[0]).toEqual([0.9, expect.closeTo(0.7, 12)]);
    expect(f1.values[1][0]).toBeCloseTo(0.6, 12);
    expect(f1.sds[1][0]).toBeCloseTo(Math.SQRT2 / 10, 12);
    expect(f1.sds[0][0]).toBeNull();
    const curves = validationCurves(cols);
    expect(curves.xs).toEqual([1, 2, 3]);
    expect(curves.acc.map((s) => s.label)).toEqual(['#8 more epochs', '#3 (seed 42)', '#4 (seed 43)']);
    expect(curves.acc[1].colour).toBe(curves.acc[2].colour);
    expect(curves.acc[2].dashed).toBe(true);
    expect(curves.loss[0].data[1]).toBeCloseTo(0.6, 12);
    expect(columnConfusion(cols[1])).toEqual({ labels: ['anger', 'sadness'], matrix: [[4, 0], [2, 2]] });
    expect(rowNormalised([[4, 0], [2, 2], [0, 0]])).toEqual([[1, 0], [0.5, 0.5], [0, 0]]);
    expect(pooledConfusion([{ labels: ['a', 'b'], matrix: [[1, 2], [3, 4]] }, { labels: ['b', 'c'], matrix: [[1, 1], [0, 5]] }])).toEqual({
      labels: ['a', 'b', 'c'],
      matrix: [[1, 2, 0], [3, 5, 1], [0, 0, 5]],
    });
  });

  it('lines the configurations up, with only the differences on request', () => {
    const rows = configRows(compareColumns([b, a43, a42]));
    const differing = rows.filter((r) => r.differs).map((r) => [r.key, r.values]);
    expect(differing).toEqual([
      ['seed', ['42', '42, 43']],
      ['epochs', ['20', '10']],
    ]);
    expect(rows.find((r) => r.key === 'dataset')).toEqual({ key: 'dataset', values: ['demo', 'demo'], differs: false });
  });
});

describe('edit a copy', () => {
  it('fills the form from a stored config, the split included, and rebuilds the same request', () => {
    const stored = config(7, { epochs: 12, hidden: [64, 32], augment: ['gain', 'noise'], split: { kind: 'speaker-kfold', k: 3 } });
    const form = formFromConfig(stored, 4);
    expect(form).toMatchObject({ datasetId: 4, split: 'speaker-kfold', k: 3, seed: 7, epochs: 12, hidden: '64, 32', augment: ['gain', 'noise'], backend: 'cpu' });
    const built = buildTrainRequest(form, { speakers: 4 });
    expect(TrainRequestSchema.parse(built.request)).toEqual(TrainRequestSchema.parse(requestFromConfig(stored, 4)));
    // Odd or missing values keep the form's defaults.
    expect(formFromConfig({ split: { kind: 'nope' }, epochs: 'many', activation: 'swish' }, null)).toMatchObject({ split: 'stratified', epochs: 100, activation: 'relu' });
  });
});

describe('seed queue progress', () => {
  const queue = (current: number | null, statuses: SeedQueue['runs'][number]['status'][], done = false): SeedQueue => ({
    requestId: 'q',
    sourceId: 3,
    current,
    done,
    cancelled: false,
    runs: statuses.map((status, i) => ({ seed: 43 + i, requestId: `q.${i + 1}`, status, experimentId: status === 'queued' ? null : 10 + i, accuracy: null, macroF1: null, weightedF1: null, error: null })),
  });

  it('counts ended runs and the running run’s own fraction, never a finished run’s state for the next', () => {
    const half = reduceProgress(initialRunState(), { phase: 'epoch', experimentId: 11, fold: null, epoch: 5, maxEpochs: 10, loss: 1, acc: 0.5, valLoss: 1, valAcc: 0.5, ms: 1, etaSec: 1 });
    expect(queueFraction(queue(1, ['completed', 'running', 'queued', 'queued']), { requestId: 'q.2', state: half }, 1)).toBeCloseTo(1.5 / 4, 12);
    // The previous run's state does not count for the run that just started.
    expect(queueFraction(queue(1, ['completed', 'running', 'queued', 'queued']), { requestId: 'q.1', state: half }, 1)).toBeCloseTo(1 / 4, 12);
    expect(queueFraction(queue(null, ['completed', 'completed'], true), { requestId: null, state: initialRunState() }, 1)).toBe(1);
    expect(queueFraction(null, { requestId: null, state: initialRunState() }, 1)).toBeNull();
    expect(queuePosition(queue(1, ['completed', 'running', 'queued']))).toBe('Run 2 of 3 · seed 44');
    expect(queuePosition(queue(null, ['completed'], true))).toBe('Finished');
  });
});
