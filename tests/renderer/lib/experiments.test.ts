import { describe, expect, it } from 'vitest';
import {
  averages,
  buildTrainRequest,
  configEntries,
  confusionStats,
  coverageWarningLine,
  formFromConfig,
  defaultForm,
  describeForm,
  formatEta,
  formatMeanSd,
  groupExperiments,
  listedScore,
  presetText,
  splitUnavailable,
} from '../../../src/renderer/src/lib/experiments';
import { FEATURE_PRESET_INFO, LIMITS } from '../../../src/shared/params';
import { TrainRequestSchema, type ExperimentSummary } from '../../../src/shared/experiment';

const withSpeakers = { speakers: 4 };
const noSpeakers = { speakers: 0 };

describe('new-run form', () => {
  it('offers per-speaker normalisation: sent with the request, refused without speakers, read back from a config', () => {
    const form = { ...defaultForm(3), normalize: 'speaker' as const };
    expect(defaultForm(3).normalize).toBe('global');
    expect(TrainRequestSchema.parse(buildTrainRequest(form, withSpeakers).request).normalize).toBe('speaker');
    expect(buildTrainRequest(form, noSpeakers).errors).toEqual(['Every clip needs a speaker (import a manifest with a speaker column).']);
    expect(buildTrainRequest(form, { speakers: 3, unassigned: 2 }).errors).toEqual(['Per-speaker normalisation needs the speaker of every clip; clips without one: 2.']);
    expect(formFromConfig({ normalize: 'speaker' }, 1).normalize).toBe('speaker');
    expect(formFromConfig({}, 1).normalize).toBe('global');
    expect(Object.fromEntries(configEntries({ normalize: 'speaker' })).normalize).toBe('speaker (per-speaker + global standardisation)');
    const line = coverageWarningLine({ mean: 0.3, classes: 7, low: [{ speaker: 's1', covered: 1 }, { speaker: 's2', covered: 2 }] });
    expect(line).toMatch(/^The speakers' clips do not span the classes: on average a speaker has clips of 30% of the classes \(7 in all\); fewest: s1 \(1\/7\), s2 \(2\/7\)\./);
  });

  it('offers a test part for hold-out splits: sent only when asked, previewed, refused with the leaky protocol, read back', () => {
    expect(defaultForm(3).testFraction).toBe(0);
    expect(buildTrainRequest(defaultForm(3), withSpeakers).request).not.toHaveProperty('testFraction');
    const form = { ...defaultForm(3), split: 'speaker' as const, testFraction: 0.2 };
    expect(TrainRequestSchema.parse(buildTrainRequest(form, withSpeakers).request).testFraction).toBe(0.2);
    expect(describeForm(form)).toBe('speaker-independent hold-out (~20% of speakers held out), seed 42; test part 20% held out first, never seen by early stopping');
    expect(buildTrainRequest({ ...defaultForm(3), split: 'kfold', testFraction: 0.2 }, withSpeakers).request).not.toHaveProperty('testFraction');
    expect(buildTrainRequest({ ...defaultForm(3), leaky: true, testFraction: 0.2 }, withSpeakers).errors).toEqual([
      'The leaky demonstration pools rows before any split; it takes no test part.',
    ]);
    expect(buildTrainRequest({ ...defaultForm(3), testFraction: 0.7 }, withSpeakers).errors).toEqual([expect.stringMatching(/^Test fraction must be /)]);
    expect(formFromConfig({ testFraction: 0.25 }, 1).testFraction).toBe(0.25);
  });

  it('offers k-fold a validation part of the training folds: the held-out fold is then the test', () => {
    const kfold = { ...defaultForm(3), split: 'speaker-kfold' as const, k: 4 };
    expect(buildTrainRequest(kfold, withSpeakers).request?.split).toEqual({ kind: 'speaker-kfold', k: 4 });
    const form = { ...kfold, foldValFraction: 0.2 };
    expect(TrainRequestSchema.parse(buildTrainRequest(form, withSpeakers).request).split).toEqual({ kind: 'speaker-kfold', k: 4, valFraction: 0.2 });
    expect(describeForm(form)).toBe('leave-speakers-out 4-fold cross-validation, seed 42; the held-out fold is the test, early stopping on 20% of the training speakers');
    expect(buildTrainRequest({ ...form, foldValFraction: 1.5 }, withSpeakers).errors).toEqual([expect.stringMatching(/^The validation part of the training folds must be /)]);
    expect(formFromConfig({ split: { kind: 'kfold', k: 5, valFraction: 0.25 } }, 1)).toMatchObject({ split: 'kfold', k: 5, foldValFraction: 0.25 });
  });

  it('offers the feature preset with its dimension: sent with the request (reference-166 as before), read back, shown on the run', () => {
    expect(defaultForm(3).preset).toBe('reference-166');
    expect(buildTrainRequest(defaultForm(3), withSpeakers).request).not.toHaveProperty('features');
    const request = buildTrainRequest({ ...defaultForm(3), preset: 'extended' }, withSpeakers).request;
    expect(TrainRequestSchema.parse(request).features).toMatchObject({ preset: 'extended', nMfcc: 13, sampleRate: 22050 });
    const recorded = { blocks: ['mfcc', 'chroma', 'mel', 'contrast', 'tonnetz'], nMfcc: 13, sampleRate: 22050, preset: 'extended', presetVersion: FEATURE_PRESET_INFO.extended.version };
    expect(formFromConfig({ features: recorded }, 1).preset).toBe('extended');
    expect(formFromConfig({ features: { nMfcc: 13 } }, 1).preset).toBe('reference-166');
    expect(presetText({ preset: 'extended' })).toBe(`extended, ${FEATURE_PRESET_INFO.extended.dimension} values`);
    expect(presetText(undefined)).toBe('reference-166, 166 values');
    expect(presetText({ blocks: ['mfcc', 'chroma'], nMfcc: 20 })).toBe('reference-166, 32 values');
    expect(Object.fromEntries(configEntries({ features: recorded })).features).toMatch(new RegExp(`^extended, ${FEATURE_PRESET_INFO.extended.dimension} values · `));
  });

  it('builds a request the contract accepts, with the reference defaults', () => {
    const built = buildTrainRequest(defaultForm(3), withSpeakers);
    expect(built.errors).toEqual([]);
    const parsed = TrainRequestSchema.parse(built.request);
    expect(parsed).toMatchObject({ dataset: 3, split: { kind: 'stratified', valFraction: 0.2 }, seed: 42, copies: 5, epochs: 100, hidden: [256, 128, 64], activation: 'relu', dropout: 0.3 });
    expect(parsed.augment).toEqual(['noise', 'pitch', 'stretch', 'shift', 'gain']);
  });

  it('maps k-fold and speaker splits, and drops copies when nothing is augmented', () => {
    const form = { ...defaultForm(1), split: 'speaker-kfold' as const, k: 4, augment: [], copies: 5, hidden: '64 32' };
    const built = buildTrainRequest(form, withSpeakers);
    expect(built.request).toMatchObject({ split: { kind: 'speaker-kfold', k: 4 }, copies: 0, augment: [], hidden: [64, 32] });
    expect(TrainRequestSchema.safeParse(built.request).success).toBe(true);
  });

  it('refuses speaker splits without speakers, with the reason', () => {
    expect(splitUnavailable('speaker', noSpeakers)).toBe('this dataset has no speaker column');
    expect(splitUnavailable('speaker-kfold', { speakers: 1 })).toMatch(/at least 2 speakers/);
    expect(splitUnavailable('kfold', noSpeakers)).toBe('');
    const built = buildTrainRequest({ ...defaultForm(1), split: 'speaker' }, noSpeakers);
    expect(built.request).toBeNull();
    expect(built.errors.join(' ')).toMatch(/no speaker column/);
  });

  it('explains every invalid value instead of sending it', () => {
    const form = { ...defaultForm(null), valFraction: 1.2, epochs: 0, learningRate: 0, hidden: 'a, b', batchSize: 1.5 };
    const { errors } = buildTrainRequest(form, withSpeakers);
    expect(errors).toEqual([
      'Choose a dataset.',
      'Validation fraction must be a number > 0 and < 1.',
      'Epochs must be a whole number from 1 to 10000.',
      'Batch size must be a whole number from 1 to 65536.',
      'Learning rate must be a number > 0 and ≤ 1.',
      'Hidden layers: 1 to 8 sizes, each a whole number from 1 to 65536, separated by commas, e.g. 256, 128, 64.',
    ]);
    // The message states the range the contract checks, whatever side is crossed.
    expect(buildTrainRequest({ ...defaultForm(1), batchSize: LIMITS.batchSize.max + 1 }, withSpeakers).errors).toEqual(['Batch size must be a whole number from 1 to 65536.']);
    expect(TrainRequestSchema.safeParse({ dataset: 1, batchSize: LIMITS.batchSize.max + 1 }).error?.issues[0].message).toBe('the batch size must be a whole number from 1 to 65536');
    expect(buildTrainRequest({ ...defaultForm(1), split: 'speaker-kfold', k: 6 }, withSpeakers).errors).toEqual([
      'Leave-speakers-out needs K ≤ the number of speakers (4).',
    ]);
  });

  it('allows the leaky demonstration only with the stratified hold-out, as the contract does', () => {
    const ok = buildTrainRequest({ ...defaultForm(1), leaky: true }, withSpeakers);
    expect(TrainRequestSchema.parse(ok.request).leaky).toBe(true);
    const bad = buildTrainRequest({ ...defaultForm(1), leaky: true, split: 'kfold' }, withSpeakers);
    expect(bad.errors).toEqual(['The leaky demonstration uses the pooled stratified hold-out; choose that split.']);
    expect(describeForm({ ...defaultForm(1), leaky: true })).toBe('LEAKY (augmented before the split; for demonstration only) stratified 80/20, seed 42');
    expect(describeForm({ ...defaultForm(1), split: 'kfold', k: 5, seed: 7 })).toBe('stratified 5-fold cross-validation, seed 7');
    expect(describeForm({ ...defaultForm(1), split: 'speaker', valFraction: 0.25 })).toBe('speaker-independent hold-out (~25% of speakers held out), seed 42');
  });
});

function summary(id: number, extra: Partial<ExperimentSummary> = {}): ExperimentSummary {
  return {
    id,
    datasetId: 1,
    dataset: 'demo',
    parentId: null,
    fold: null,
    status: 'completed',
    folds: null,
    protocol: 'p',
    protocolOutline: null,
    leaky: false,
    seed: 42,
    backend: 'cpu',
    epochs: 8,
    bestEpoch: 8,
    accuracy: 0.5,
    macroF1: 0.4,
    weightedF1: 0.45,
    accuracySd: null,
    macroF1Sd: null,
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: null,
    error: null,
    name: null,
    notes: null,
    protocolKind: 'stratified',
    configKey: 'k',
    stage: null,
    progress: null,
    ...extra,
  };
}

describe('experiments list', () => {
  it('attaches folds to their parent, keeping the newest-first order', () => {
    const list = [
      summary(9),
      summary(8, { parentId: 5, fold: 2, accuracy: 0.7, macroF1: 0.6 }),
      summary(7, { parentId: 5, fold: 1, accuracy: 0.6, macroF1: 0.5 }),
      summary(6, { parentId: 5, fold: 0, accuracy: 0.5, macroF1: 0.4 }),
      summary(5, { accuracy: 0.6, macroF1: 0.5, accuracySd: 0.1, macroF1Sd: 0.1, folds: { k: 3, completed: 3 } }),
      summary(4, { status: 'cancelled', accuracy: null }),
    ];
    const groups = groupExperiments(list);
    expect(groups.map((g) => g.row.id)).toEqual([9, 5, 4]);
    expect(groups[1].folds.map((f) => f.fold)).toEqual([0, 1, 2]);
    expect(groups[0].folds).toEqual([]);
    expect(listedScore(groups[1].row, 'accuracy')).toBe('60.0 ± 10.0%');
    expect(listedScore(groups[1].row, 'macroF1')).toBe('0.500 ± 0.100');
    expect(listedScore(groups[0].row, 'accuracy')).toBe('50.0%');
    expect(listedScore(groups[2].row, 'accuracy')).toBe('—');
  });

  it('shows an incomplete cross-validation without an sd from one fold', () => {
    const row = summary(1, { status: 'cancelled', accuracy: 0.631, macroF1: 0.6, accuracySd: null, macroF1Sd: null, folds: { k: 3, completed: 1 } });
    expect(listedScore(row, 'accuracy')).toBe('63.1%');
    expect(formatMeanSd({ mean: 0.631, sd: null, n: 1 })).toBe('63.1%');
    expect(formatMeanSd({ mean: 0.5, sd: 0.1, n: 3 }, false)).toBe('0.500 ± 0.100');
  });
});

describe('results', () => {
  it('totals a confusion matrix by row, column and diagonal', () => {
    const s = confusionStats([
      [4, 1, 0],
      [0, 3, 2],
      [1, 0, 5],
    ]);
    expect(s).toEqual({ total: 16, correct: 12, rowTotals: [5, 5, 6], colTotals: [5, 4, 7] });
  });

  it('computes the classification report averages like sklearn', () => {
    const rows = [
      { label: 'a', precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
      { label: 'b', precision: 0.5, recall: 1, f1: 2 / 3, support: 6 },
    ];
    const { macro, weighted } = averages(rows);
    expect(macro.precision).toBeCloseTo(0.75, 12);
    expect(weighted.precision).toBeCloseTo((1 * 2 + 0.5 * 6) / 8, 12);
    expect(weighted.recall).toBeCloseTo((0.5 * 2 + 6) / 8, 12);
    expect(macro.support).toBe(8);
  });

  it('formats ETAs and config values for display', () => {
    expect(formatEta(0.3)).toBe('<1 s');
    expect(formatEta(42.4)).toBe('42 s');
    expect(formatEta(65)).toBe('1 min 05 s');
    expect(formatEta(Number.NaN)).toBe('—');
    expect(configEntries({ zeta: 1, seed: 42, split: { kind: 'kfold', k: 5 }, augment: [], dataset: 'demo' })).toEqual([
      ['dataset', 'demo'],
      ['split', 'kind kfold · k 5'],
      ['seed', '42'],
      ['augment', 'none'],
      ['zeta', '1'],
    ]);
  });
});
