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
  });
});
