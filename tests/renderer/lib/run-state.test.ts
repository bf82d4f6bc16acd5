import { describe, expect, it } from 'vitest';
import { finishRun, initialRunState, reduceProgress, runFraction, runStatus, type RunState } from '../../../src/renderer/src/lib/run-state';
import type { TrainProgress, TrainResult } from '../../../src/shared/experiment';

const epoch = (n: number, fold: number | null = null, experimentId = 1): TrainProgress => ({
  phase: 'epoch',
  experimentId,
  fold,
  epoch: n,
  maxEpochs: 4,
  loss: 2 / n,
  acc: n / 5,
  valLoss: 2.5 / n,
  valAcc: n / 6,
  ms: 80,
  etaSec: (4 - n) * 0.08,
});

const fold = (state: RunState, events: TrainProgress[]) => events.reduce(reduceProgress, state);

describe('live run state', () => {
  it('goes through features to epochs, one curve point per epoch', () => {
    let s = fold(initialRunState(), [
      { phase: 'status', message: 'extracting features for 98 clips' },
      { phase: 'features', done: 0, total: 171, cached: 0 },
      { phase: 'features', done: 171, total: 171, cached: 98 },
    ]);
    expect(s.phase).toBe('features');
    expect(s.features).toEqual({ done: 171, total: 171, cached: 98 });
    expect(runFraction(s, 1)).toBe(1);
    s = fold(s, [epoch(1), epoch(2), epoch(2)]);
    expect(s.phase).toBe('training');
    expect(s.epoch).toBe(2);
    expect(s.curves[-1].epochs).toEqual([1, 2]);
    expect(s.curves[-1].loss).toEqual([2, 1]);
    expect(s.curves[-1].valAcc).toEqual([1 / 6, 2 / 6]);
    expect(runFraction(s, 1)).toBe(0.5);
    expect(runStatus(s)).toBe('running');
  });

  it('keeps each fold on its own curve and counts progress over folds', () => {
    const s = fold(initialRunState(), [epoch(1, 0, 10), epoch(2, 0, 10), epoch(1, 1, 11)]);
    expect(s.fold).toBe(1);
    expect(s.curves[0].epochs).toEqual([1, 2]);
    expect(s.curves[1].epochs).toEqual([1]);
    expect(s.experimentIds).toEqual([10, 11]);
    expect(runFraction(s, 4)).toBeCloseTo((1 + 1 / 4) / 4, 12);
  });

  it('does not mutate the previous state', () => {
    const before = fold(initialRunState(), [epoch(1)]);
    const snapshot = JSON.stringify(before);
    reduceProgress(before, epoch(2));
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('ends with the result or the error, and ignores late events', () => {
    const running = fold(initialRunState(), [epoch(1), epoch(2)]);
    const result = { experimentId: 1, status: 'cancelled' } as TrainResult;
    const cancelled = finishRun(running, { result });
    expect(runStatus(cancelled)).toBe('cancelled');
    expect(runFraction(cancelled, 1)).toBe(0.5);
    expect(reduceProgress(cancelled, epoch(3))).toBe(cancelled);
    expect(runFraction(finishRun(running, { result: { ...result, status: 'completed' } }), 1)).toBe(1);
    const crashed = finishRun(running, { error: { code: 'job_crashed', message: 'killed' } });
    expect(runStatus(crashed)).toBe('interrupted');
    expect(runStatus(finishRun(running, { error: { code: 'no_speakers', message: 'x' } }))).toBe('failed');
    expect(runStatus(finishRun(running, {}))).toBe('failed');
  });
});
