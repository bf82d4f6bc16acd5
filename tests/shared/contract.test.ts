import { describe, expect, expectTypeOf, it } from 'vitest';
import { channels, contract, ProgressEventSchema, type ApiClient, type Channel, type InputOf, type OutputOf } from '../../src/shared/contract';
import type { Handlers } from '../../src/core/api/service';
import type { DatasetSummary } from '../../src/shared/domain';
import { ERROR_CODES, ERROR_HTTP_STATUS } from '../../src/shared/errors';
import { TrainRequestSchema } from '../../src/shared/experiment';
import { LIMITS, MLP_DEFAULTS, TRAIN_DEFAULTS } from '../../src/shared/params';

// A valid input for every channel: the mapped type makes a new channel without a sample a type error.
const samples: { [C in Channel]: InputOf<C> } = {
  'app:info': {},
  'datasets:list': {},
  'datasets:get': { id: 1 },
  'datasets:clips': { id: 1, label: 'anger', offset: 0, limit: 10, sort: 'duration', order: 'desc' },
  'datasets:import': { source: '/data/emodb', name: 'emodb', naming: 'folder', requestId: 'imp-1' },
  'datasets:delete': { id: 1 },
  'experiments:list': { datasetId: 1 },
  'experiments:get': { id: 1 },
  'experiments:start': { request: { dataset: 'demo' }, requestId: 'run-1' },
  'experiments:cancel': { requestId: 'run-1' },
  'experiments:repeat': { experimentId: 7, seeds: [43, 44], requestId: 'seeds-1' },
  'experiments:queue': { requestId: 'seeds-1' },
  'experiments:annotate': { id: 7, name: 'baseline', notes: 'reference settings' },
  'experiments:delete': { id: 7, dryRun: true },
  'classify:start': { request: { model: { experimentId: 3, fold: 0 }, source: { kind: 'folder', path: '/data/new' }, backend: 'cpu' }, requestId: 'cls-1' },
  'classify:cancel': { requestId: 'cls-1' },
  'jobs:list': {},
  'classify:list': {},
  'classify:get': { id: 2 },
  'classify:predictions': { id: 2, offset: 100, limit: 50, outcome: 'classified', predicted: 'anger', trueLabel: 'sadness', minConfidence: 0.5, sort: 'confidence', order: 'desc' },
  'classify:export': { id: 2, format: 'csv' },
  'reports:export': { experimentId: 7, lang: 'ru', format: 'both' },
  'dialog:pickFolder': {},
  'explorer:project': { id: 3, features: { blocks: ['mfcc', 'mel'], nMfcc: 20, sampleRate: 16000 }, blocks: ['mfcc'], requestId: 'exp-1' },
  'explorer:cancel': { requestId: 'exp-1' },
  'settings:get': {},
  'settings:set': { language: 'ru' },
  'workspaces:open': { dir: '/data/workspaces/emodb' },
};

describe('contract', () => {
  it.each(channels)('%s accepts its sample input and refuses an unknown key', (channel) => {
    const input = contract[channel].input;
    expect(input.safeParse(samples[channel]).success).toBe(true);
    expect(input.safeParse({ ...samples[channel], sneaky: true }).success).toBe(false);
  });

  it('rejects wrong types and hostile ids', () => {
    expect(contract['datasets:get'].input.safeParse({ id: -1 }).success).toBe(false);
    expect(contract['datasets:get'].input.safeParse({ id: '1' }).success).toBe(false);
    expect(contract['datasets:clips'].input.safeParse({ id: 1, limit: 100_000 }).success).toBe(false);
    expect(contract['datasets:import'].input.safeParse({ source: '/x', name: 'n', requestId: '../../' }).success).toBe(false);
    expect(contract['datasets:import'].input.parse({ source: '/x', name: ' n ' })).toEqual({ source: '/x', name: 'n', naming: 'folder', replace: false });
    expect(contract['experiments:start'].input.safeParse({ request: { dataset: 'demo', augment: ['reverb'] }, requestId: 'r' }).success).toBe(false);
  });

  it('keeps classification and report inputs to what the window needs', () => {
    const start = contract['classify:start'].input;
    const source = { kind: 'folder', path: '/data/new' };
    // A model folder from anywhere is the CLI's business; the window classifies with a workspace experiment.
    expect(start.safeParse({ request: { model: { dir: '/tmp/model' }, source }, requestId: 'c' }).success).toBe(false);
    expect(start.safeParse({ request: { model: { experimentId: 0 }, source }, requestId: 'c' }).success).toBe(false);
    expect(start.safeParse({ request: { model: { experimentId: 1, sneaky: 1 }, source }, requestId: 'c' }).success).toBe(false);
    expect(start.safeParse({ request: { model: { experimentId: 1 }, source, sneaky: 1 }, requestId: 'c' }).success).toBe(false);
    expect(start.parse({ request: { model: { experimentId: 1 }, source }, requestId: 'c' }).request).toMatchObject({ backend: 'auto', batchSize: 256 });
    const page = contract['classify:predictions'].input;
    expect(page.parse({ id: 1 })).toEqual({ id: 1, offset: 0, limit: 100, outcome: 'all', sort: 'input', order: 'asc' });
    expect(page.safeParse({ id: 1, limit: 5000 }).success).toBe(false);
    expect(page.safeParse({ id: 1, sort: 'abs_path; DROP TABLE predictions' }).success).toBe(false);
    expect(page.safeParse({ id: 1, minConfidence: 1.5 }).success).toBe(false);
    expect(contract['classify:export'].input.safeParse({ id: 1, format: 'xlsx' }).success).toBe(false);
    const report = contract['reports:export'].input;
    expect(report.parse({ classifyRunId: 4 })).toEqual({ classifyRunId: 4, lang: 'en', format: 'both' });
    expect(report.safeParse({ experimentId: 1, classifyRunId: 4 }).success).toBe(false);
    expect(report.safeParse({ experimentId: 1, lang: 'de' }).success).toBe(false);
    expect(report.safeParse({}).success).toBe(false);
    const progress = { kind: 'classify', requestId: 'c', progress: { phase: 'started', runId: 3 } };
    expect(ProgressEventSchema.safeParse(progress).success).toBe(true);
    const end = { kind: 'classify-end', requestId: 'c', result: { runId: 3, status: 'completed', counts: { files: 2, classified: 2, failed: 0, skipped: 0, notReached: 0 } } };
    expect(ProgressEventSchema.safeParse(end).success).toBe(true);
  });

  it('bounds the run actions: seeds, names and notes, deletes, clip sorting', () => {
    const repeat = contract['experiments:repeat'].input;
    expect(repeat.safeParse({ experimentId: 1, seeds: [], requestId: 'q' }).success).toBe(false);
    expect(repeat.safeParse({ experimentId: 1, seeds: [-1], requestId: 'q' }).success).toBe(false);
    expect(repeat.safeParse({ experimentId: 1, seeds: [2 ** 32], requestId: 'q' }).success).toBe(false);
    expect(repeat.safeParse({ experimentId: 1, seeds: [1.5], requestId: 'q' }).success).toBe(false);
    expect(repeat.safeParse({ experimentId: 1, seeds: Array.from({ length: 101 }, (_, i) => i), requestId: 'q' }).success).toBe(false);
    const annotate = contract['experiments:annotate'].input;
    expect(annotate.parse({ id: 3 })).toEqual({ id: 3 });
    expect(annotate.parse({ id: 3, name: null })).toEqual({ id: 3, name: null });
    expect(annotate.safeParse({ id: 3, name: 'x'.repeat(201) }).success).toBe(false);
    expect(contract['experiments:delete'].input.parse({ id: 3 })).toEqual({ id: 3, dryRun: false });
    const clips = contract['datasets:clips'].input;
    expect(clips.parse({ id: 1 })).toMatchObject({ sort: 'label', order: 'asc' });
    expect(clips.safeParse({ id: 1, sort: 'rel_path; DROP TABLE samples' }).success).toBe(false);
    const queue = {
      requestId: 'q',
      sourceId: 3,
      runs: [{ seed: 42, requestId: 'q.1', status: 'queued', experimentId: null, accuracy: null, macroF1: null, weightedF1: null, error: null }],
      current: null,
      done: false,
      cancelled: false,
    };
    expect(ProgressEventSchema.safeParse({ kind: 'train-queue', requestId: 'q', queue }).success).toBe(true);
  });

  it('keeps explorer, settings and workspace inputs to what they mean', () => {
    const project = contract['explorer:project'].input;
    expect(project.parse({ id: 1 })).toEqual({ id: 1 });
    expect(project.safeParse({ id: 1, blocks: [] }).success).toBe(false);
    expect(project.safeParse({ id: 1, blocks: ['mfcc', 'zcr'] }).success).toBe(false);
    expect(project.safeParse({ id: 1, features: { nMfcc: 0 } }).success).toBe(false);
    expect(project.safeParse({ id: 1, features: { blocks: ['mfcc'], sneaky: 1 } }).success).toBe(false);
    expect(project.safeParse({ id: 1, requestId: 'a b' }).success).toBe(false);
    const set = contract['settings:set'].input;
    expect(set.parse({})).toEqual({});
    expect(set.safeParse({ language: 'de' }).success).toBe(false);
    // Recent workspaces follow what was opened: a window cannot write the list.
    expect(set.safeParse({ recentWorkspaces: ['/etc'] }).success).toBe(false);
    expect(contract['workspaces:open'].input.safeParse({ dir: '   ' }).success).toBe(false);
    expect(contract['workspaces:open'].input.parse({ dir: ' /w ' })).toEqual({ dir: '/w' });
    const explore = { kind: 'explore', requestId: 'e', done: 3, total: 10, cached: 2, file: '/a.wav' };
    expect(ProgressEventSchema.safeParse(explore).success).toBe(true);
    expect(ProgressEventSchema.safeParse({ kind: 'settings', settings: { language: 'ru', recentWorkspaces: ['/w'] } }).success).toBe(true);
    expect(ProgressEventSchema.safeParse({ kind: 'menu', command: 'import-folder', path: '/data/emodb' }).success).toBe(true);
    expect(ProgressEventSchema.safeParse({ kind: 'menu', command: 'format-disk', path: '/' }).success).toBe(false);
  });

  it('fills a bare training request with the shared defaults, and checks the shared ranges', () => {
    const r = TrainRequestSchema.parse({ dataset: 'demo' });
    expect(r).toMatchObject({
      split: { kind: TRAIN_DEFAULTS.split, valFraction: TRAIN_DEFAULTS.valFraction },
      seed: TRAIN_DEFAULTS.seed,
      epochs: TRAIN_DEFAULTS.epochs,
      patience: TRAIN_DEFAULTS.patience,
      batchSize: TRAIN_DEFAULTS.batchSize,
      learningRate: TRAIN_DEFAULTS.learningRate,
      hidden: [...MLP_DEFAULTS.hidden],
      activation: MLP_DEFAULTS.activation,
      dropout: MLP_DEFAULTS.dropout,
      features: { nMfcc: 13, sampleRate: 22050 },
    });
    for (const [field, name] of [['epochs', 'epochs'], ['batchSize', 'batchSize'], ['patience', 'patience'], ['copies', 'copies']] as const) {
      const { max } = LIMITS[name];
      expect(TrainRequestSchema.safeParse({ dataset: 'demo', [field]: max }).success, `${field} = max`).toBe(true);
      expect(TrainRequestSchema.safeParse({ dataset: 'demo', [field]: max + 1 }).success, `${field} = max + 1`).toBe(false);
    }
    expect(TrainRequestSchema.safeParse({ dataset: 'demo', hidden: new Array(LIMITS.hiddenLayers.max + 1).fill(8) }).success).toBe(false);
    expect(TrainRequestSchema.safeParse({ dataset: 'demo', dropout: 1 }).success).toBe(false);
  });

  it('cancels a run by request or by what it records, and lists jobs with their run and stage', () => {
    const cancel = contract['experiments:cancel'].input;
    expect(cancel.parse({ experimentId: 7 })).toEqual({ experimentId: 7 });
    expect(cancel.safeParse({ experimentId: 0 }).success).toBe(false);
    expect(cancel.safeParse({ experimentId: 7, requestId: 'r' }).success).toBe(false);
    expect(cancel.safeParse({}).success).toBe(false);
    expect(contract['classify:cancel'].input.parse({ runId: 3 })).toEqual({ runId: 3 });
    expect(contract['classify:cancel'].input.safeParse({ runId: 3, requestId: 'c' }).success).toBe(false);
    const job = { requestId: 'train-1', kind: 'train', experimentId: 7, classifyRunId: null, queueId: null, title: 'emodb', stage: 'features', startedAt: '2025-01-01T00:00:00.000Z', ended: null };
    expect(contract['jobs:list'].output.safeParse([job, { ...job, ended: 'cancelled' }]).success).toBe(true);
    expect(contract['jobs:list'].output.safeParse([{ ...job, ended: 'running' }]).success).toBe(false);
    expect(ProgressEventSchema.safeParse({ kind: 'jobs', jobs: [job] }).success).toBe(true);
    const plan = { clips: 535, copies: 2085, folds: 1, splits: [{ trainClips: 417, valClips: 118, heldOutSpeakers: ['03', '14'] }] };
    expect(ProgressEventSchema.safeParse({ kind: 'train', requestId: 'r', progress: { phase: 'started', experimentId: 7, plan } }).success).toBe(true);
  });

  it('carries only error codes of the union, each with an HTTP status', () => {
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(ERROR_HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(ERROR_HTTP_STATUS[code]).toBeLessThan(600);
    }
    const end = { kind: 'train-end', requestId: 'r', error: { code: 'job_crashed', message: 'gone' } };
    expect(ProgressEventSchema.safeParse(end).success).toBe(true);
    expect(ProgressEventSchema.safeParse({ ...end, error: { code: 'no-speakers', message: 'x' } }).success).toBe(false);
  });

  it('pins the typed surface the transports implement', () => {
    expectTypeOf<OutputOf<'datasets:list'>>().toEqualTypeOf<DatasetSummary[]>();
    expectTypeOf<keyof Handlers>().toEqualTypeOf<(typeof channels)[number]>();
    expectTypeOf<ApiClient['call']>().parameter(0).toEqualTypeOf<(typeof channels)[number]>();
  });
});
