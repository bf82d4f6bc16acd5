import { describe, expect, it } from 'vitest';
import { matrixFromRows, takeRows } from '../../../src/core/train/matrix';
import { applyStandardizer, fitStandardizer, isStandardizer, standardizeVector } from '../../../src/core/train/standardize';

describe('standardizer', () => {
  const train = matrixFromRows([
    [1, 5, 10],
    [3, 5, 20],
    [5, 5, 30],
  ]);

  it('fits population mean/std on the rows given (sklearn StandardScaler)', () => {
    const s = fitStandardizer(train);
    expect(s.mean).toEqual([3, 5, 20]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.std[1]).toBe(1); // constant feature: scale 1, not a division by zero
    expect(s.std[2]).toBeCloseTo(Math.sqrt(200 / 3), 12);
    const z = applyStandardizer(s, train);
    expect(Array.from(z.data.subarray(0, 3)).map((v) => +v.toFixed(6))).toEqual([-1.224745, 0, -1.224745]);
    expect(Array.from(standardizeVector(s, [3, 7, 20]))).toEqual([0, 2, 0]);
  });

  it('uses training statistics for other rows and survives JSON', () => {
    const s = fitStandardizer(takeRows(train, [0, 1]));
    expect(s.mean).toEqual([2, 5, 15]);
    const again = JSON.parse(JSON.stringify(s));
    expect(isStandardizer(again)).toBe(true);
    expect(applyStandardizer(again, matrixFromRows([[4, 5, 25]])).data[0]).toBeCloseTo(2, 6);
    expect(isStandardizer({ mean: [0], std: [0] })).toBe(false);
    expect(() => applyStandardizer(s, matrixFromRows([[1, 2]]))).toThrow(RangeError);
  });
});
