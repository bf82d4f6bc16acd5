import { describe, expect, it } from 'vitest';
import { classifyFraction, classifyProgressText, finishClassify, initialClassifyState, modelChoices, reduceClassify } from '../../../src/renderer/src/lib/classify';
import { classifyHref, parseClassifyRoute, type ClassifyRoute } from '../../../src/renderer/src/lib/classify-routes';
import type { ClassifyProgress } from '../../../src/shared/classify';
import type { ExperimentSummary } from '../../../src/shared/experiment';

describe('live classification state', () => {
  it('learns the run id first, then moves through reading, features and inference to the end', () => {
    const events: ClassifyProgress[] = [
      { phase: 'started', runId: 7 },
      { phase: 'reading', done: 10, total: 40 },
      { phase: 'features', done: 20, total: 40, cached: 5, clipsPerSec: 12.5, etaSec: 1.6 },
    ];
    const s = events.reduce(reduceClassify, initialClassifyState());
    expect(s).toMatchObject({ runId: 7, phase: 'features', reading: { done: 10, total: 40 } });
    expect(classifyFraction(s)).toBeCloseTo(0.1 + 0.85 * 0.5);
    expect(classifyProgressText(s)).toBe('Extracting features: 20 / 40 (5 cached) · 12.5 clips/s · ETA 2 s');
    const inference = reduceClassify(s, { phase: 'inference', done: 40, total: 40 });
    expect(classifyFraction(inference)).toBe(1);
    const end = finishClassify(inference, { result: { runId: 7, status: 'cancelled', counts: { files: 40, classified: 20, failed: 0, skipped: 0, notReached: 20 } } });
    expect([end.phase, classifyProgressText(end)]).toEqual(['finished', 'Cancelled']);
    // Nothing moves a finished run.
    expect(reduceClassify(end, { phase: 'reading', done: 1, total: 2 })).toBe(end);
    const failed = finishClassify(initialClassifyState(), { error: { code: 'source_not_found', message: '/x: no such file or folder' } });
    expect([failed.runId, classifyProgressText(failed)]).toEqual([null, 'Stopped: /x: no such file or folder']);
    expect(classifyFraction(initialClassifyState())).toBeNull();
  });
});

const summary = (e: Partial<ExperimentSummary> & { id: number }): ExperimentSummary =>
  ({ parentId: null, fold: null, status: 'completed', folds: null, dataset: 'demo', protocol: 'stratified hold-out 80/20, seed 42', accuracy: 0.7, leaky: false, ...e }) as ExperimentSummary;

describe('model choices', () => {
  it('offers completed runs, and cross-validations through their completed folds only', () => {
    const choices = modelChoices([
      summary({ id: 9, status: 'running' }),
      summary({ id: 8, status: 'cancelled', folds: { k: 3, completed: 1 }, protocol: 'stratified 3-fold cross-validation, seed 42', accuracy: null }),
      summary({ id: 10, parentId: 8, fold: 0, accuracy: 0.61 }),
      summary({ id: 11, parentId: 8, fold: 1, status: 'cancelled' }),
      summary({ id: 5, status: 'failed' }),
      summary({ id: 4, leaky: true }),
      summary({ id: 3, status: 'cancelled', folds: { k: 2, completed: 0 } }),
    ]);
    expect(choices.map((c) => c.id)).toEqual([8, 4]);
    expect(choices[0].folds).toEqual([{ fold: 0, experimentId: 10, label: 'fold 1 · 61.0%' }]);
    expect(choices[1]).toMatchObject({ leaky: true, folds: [], label: '#4 · demo · stratified hold-out 80/20, seed 42 · 70.0%' });
  });
});

describe('classify routes', () => {
  it('parses the page and a run, and round-trips through their hrefs', () => {
    const routes: ClassifyRoute[] = [{ page: 'classify' }, { page: 'classify', experimentId: 4 }, { page: 'classify-run', id: 12 }];
    for (const r of routes) expect(parseClassifyRoute(classifyHref(r))).toEqual(r);
    expect(parseClassifyRoute('#/experiments/3')).toBeNull();
    expect(parseClassifyRoute('#/classify/0')).toEqual({ page: 'classify' });
    expect(parseClassifyRoute('#/classify?experiment=x')).toEqual({ page: 'classify' });
  });
});
