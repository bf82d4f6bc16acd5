import { describe, expect, it } from 'vitest';
import { matrixFromRows } from '../../../src/core/train/matrix';
import { groupSizes, groupStats, normalizePerGroup } from '../../../src/core/train/speaker-normalize';
import { prepareInputs } from '../../../src/core/train/train-evaluate';

const rows = (m: { rows: number; cols: number; data: Float32Array }) =>
  Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)).map((v) => +v.toFixed(5)));

describe('per-speaker normalisation', () => {
  it("z-scores each speaker's rows with that speaker's own mean and population sd", () => {
    const m = matrixFromRows([
      [1, 10],
      [3, 10],
      [100, 0],
      [300, 4],
    ]);
    const out = normalizePerGroup(m, { groups: ['a', 'a', 'b', 'b'] });
    // a: mean (2, 10), sd (1, 0 -> 1); b: mean (200, 2), sd (100, 2)
    expect(rows(out)).toEqual([
      [-1, 0],
      [1, 0],
      [-1, -1],
      [1, 1],
    ]);
  });

  it('maps a one-clip speaker to zeros (its own mean, sd 0 -> 1) instead of NaN', () => {
    const out = normalizePerGroup(matrixFromRows([[5, -2, 7]]), { groups: ['solo'] });
    expect(rows(out)).toEqual([[0, 0, 0]]);
  });

  it("computes statistics from original clips only: augmented copies take their source speaker's", () => {
    const m = matrixFromRows([[1], [3], [1000], [-1000], [2]]);
    const original = [true, true, false, false, true];
    const groups = ['a', 'a', 'a', 'a', 'b'];
    const stats = groupStats(m, { groups, original });
    expect(Array.from(stats.get('a')!.mean)).toEqual([2]);
    expect(Array.from(stats.get('a')!.std)).toEqual([1]);
    expect(stats.get('a')!.rows).toBe(2);
    expect(rows(normalizePerGroup(m, { groups, original }))).toEqual([[-1], [1], [998], [-1002], [0]]);
    // However many copies: the originals' values do not move.
    const fewer = normalizePerGroup(matrixFromRows([[1], [3], [2]]), { groups: ['a', 'a', 'b'], original: [true, true, true] });
    expect(rows(fewer)).toEqual([[-1], [1], [0]]);
  });

  it('falls back to all rows for a speaker with no original row (a leaky split)', () => {
    const stats = groupStats(matrixFromRows([[2], [4]]), { groups: ['a', 'a'], original: [false, false] });
    expect(Array.from(stats.get('a')!.mean)).toEqual([3]);
  });

  it('refuses groups that do not match the rows', () => {
    expect(() => normalizePerGroup(matrixFromRows([[1], [2]]), { groups: ['a'] })).toThrow(RangeError);
    expect(() => groupStats(matrixFromRows([[1]]), { groups: ['a'], original: [true, false] })).toThrow(RangeError);
  });

  it('lists group sizes smallest first', () => {
    expect(groupSizes(['b', 'a', 'b', 'c', 'c', 'c'])).toEqual([
      { group: 'a', clips: 1 },
      { group: 'b', clips: 2 },
      { group: 'c', clips: 3 },
    ]);
  });
});

describe('prepareInputs (speaker step, then the global standardiser)', () => {
  const xTrain = matrixFromRows([
    [1, 10],
    [3, 30],
    [10, 5],
    [30, 15],
    [7, 7],
  ]);
  const speakers = {
    train: { groups: ['s1', 's1', 's2', 's2', 's1'], original: [true, true, true, true, false] },
    val: { groups: ['s3', 's3', 's3'] },
  };
  const xVal = matrixFromRows([
    [0, 1],
    [2, 3],
    [4, 8],
  ]);

  it('never reads a label', () => {
    const poisoned = new Proxy(new Int32Array(5), {
      get() {
        throw new Error('a label was read');
      },
    });
    const input = { xTrain, xVal, speakers, yTrain: poisoned, yVal: poisoned, labels: ['x', 'y'] };
    expect(() => prepareInputs(input)).not.toThrow();
  });

  it("validation rows never influence the training rows' statistics, nor the standardiser", () => {
    const a = prepareInputs({ xTrain, xVal, speakers });
    const otherVal = matrixFromRows([
      [1e6, -1e6],
      [5, 5],
      [-3, 1e3],
    ]);
    const b = prepareInputs({ xTrain, xVal: otherVal, speakers });
    expect(Array.from(b.xTrain.data)).toEqual(Array.from(a.xTrain.data));
    expect(b.standardizer).toEqual(a.standardizer);
    // The held-out speaker is normalised by its own rows: a shift of all its clips changes nothing.
    const shifted = matrixFromRows(rows(xVal).map((r) => r.map((v) => v + 50)));
    const c = prepareInputs({ xTrain, xVal: shifted, speakers });
    expect(Array.from(c.xVal.data).map((v) => +v.toFixed(4))).toEqual(Array.from(a.xVal.data).map((v) => +v.toFixed(4)));
  });

  it('is the global standardiser alone without speakers', () => {
    const g = prepareInputs({ xTrain, xVal });
    expect(g.standardizer.mean).toEqual([10.2, 13.4]);
  });
});
