// The dataset page's duration histogram and its range: the first and last edges are the shortest and longest clip.
import { describe, expect, it } from 'vitest';
import { histogram } from '../../../src/core/dataset/queries';

describe('duration histogram', () => {
  it('spans exactly the values, every value counted once', () => {
    const h = histogram([2, 2.5, 3, 4, 22], 4);
    expect(h.edges).toEqual([2, 7, 12, 17, 22]);
    expect(h.counts).toEqual([4, 0, 0, 1]);
  });

  it('makes one bin when every clip lasts as long (it said "range 2.00-22.00 s" for clips all 2.00 s)', () => {
    const h = histogram(new Array(98).fill(2));
    expect(h).toEqual({ edges: [2, 2], counts: [98] });
    expect(histogram([])).toEqual({ edges: [], counts: [] });
  });

  it('takes corpora too large to spread into Math.min', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => 1 + (i % 1000) / 100);
    const h = histogram(values);
    expect(h.edges[0]).toBe(1);
    expect(h.edges.at(-1)).toBe(10.99);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(300_000);
  });
});
