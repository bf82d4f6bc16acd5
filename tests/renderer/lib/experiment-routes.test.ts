import { describe, expect, it } from 'vitest';
import { experimentHref, parseExperimentRoute, type ExperimentRoute } from '../../../src/renderer/src/lib/experiment-routes';

describe('experiment routes', () => {
  it('parses every experiments page and round-trips through its href', () => {
    const routes: ExperimentRoute[] = [
      { page: 'experiments' },
      { page: 'experiments', datasetId: 3 },
      { page: 'experiment-new' },
      { page: 'experiment-new', datasetId: 12 },
      { page: 'experiment-live', requestId: 'train-0a1b2c' },
      { page: 'experiment', id: 42 },
      { page: 'experiment-new', datasetId: 2, from: 7 },
      { page: 'experiment-new', from: 7 },
      { page: 'experiment-seeds', requestId: 'seeds-0a1b' },
      { page: 'compare', ids: [3, 7, 9] },
    ];
    for (const r of routes) expect(parseExperimentRoute(experimentHref(r))).toEqual(r);
  });

  it('leaves other hashes to the other pages and falls back to the list on nonsense', () => {
    expect(parseExperimentRoute('#/datasets/3')).toBeNull();
    expect(parseExperimentRoute('')).toBeNull();
    expect(parseExperimentRoute('#/experiments/')).toEqual({ page: 'experiments' });
    expect(parseExperimentRoute('#/experiments?dataset=abc')).toEqual({ page: 'experiments' });
    expect(parseExperimentRoute('#/experiments/0')).toEqual({ page: 'experiments' });
    expect(parseExperimentRoute('#/experiments/live/bad id')).toEqual({ page: 'experiments' });
    expect(parseExperimentRoute('#/compare/3,x,3,0,9')).toEqual({ page: 'compare', ids: [3, 9] });
    expect(parseExperimentRoute('#/compare/')).toEqual({ page: 'experiments' });
    expect(parseExperimentRoute('#/experiments/new?from=abc')).toEqual({ page: 'experiment-new' });
  });
});
