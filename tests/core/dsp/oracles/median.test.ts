import { describe, expect, it } from 'vitest';
import { reflectIndex, runningMedian } from './median';

function naive(x: number[], size: number): number[] {
  const half = size >> 1;
  return x.map((_, i) => {
    const w: number[] = [];
    for (let j = -half; j <= half; j++) w.push(x[reflectIndex(i + j, x.length)]);
    return w.sort((a, b) => a - b)[half];
  });
}

describe('runningMedian', () => {
  it('float32 bit patterns of non-negative values sort like the values', () => {
    const values = Float32Array.from([0, 1e-30, 3.5, 1e-3, 2.25e10, 7]);
    const keys = Array.from(new Int32Array(values.buffer));
    const byKey = [...keys.keys()].sort((a, b) => keys[a] - keys[b]);
    const byValue = [...keys.keys()].sort((a, b) => values[a] - values[b]);
    expect(byKey).toEqual(byValue);
  });

  it('reflect index is half-sample symmetric (scipy ndimage "reflect")', () => {
    expect([-3, -2, -1, 0, 3, 4, 5, 6].map((i) => reflectIndex(i, 4))).toEqual([2, 1, 0, 0, 3, 3, 2, 1]);
  });

  it.each([
    [1, 31],
    [7, 31],
    [40, 31],
    [300, 31],
    [50, 5],
  ])('equals a sort-based median (n=%i, size=%i), with ties and offsets', (n, size) => {
    let seed = n * 7919 + size;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const x = Array.from({ length: n }, () => Math.floor(rand() * 20) - 5);
    const input = new Int32Array(n + 5).fill(-99);
    input.set(x, 3);
    const out = new Int32Array(n + 2).fill(-99);
    runningMedian(input, 3, n, size, out, 2, new Int32Array(n + size), new Int32Array(size));
    const got = Array.from(out.subarray(2));
    expect(got).toEqual(naive(x, size));
  });
});
