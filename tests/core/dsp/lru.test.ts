import { describe, expect, it } from 'vitest';
import { chromaFilterBank } from '../../../src/core/dsp/chroma';
import { Lru } from '../../../src/core/dsp/lru';

describe('Lru', () => {
  it('keeps the most recently used entries up to its capacity', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3); // evicts b
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c'), lru.size]).toEqual([1, 3, 2]);
    expect(lru.getOrCreate('d', () => 4)).toBe(4);
    expect(lru.get('a')).toBeUndefined();
  });

  it('holds every tuning of a configuration: the chroma bank of a tuning seen before is the same object', () => {
    const tunings = Array.from({ length: 100 }, (_, i) => i * 0.01 - 0.5);
    const first = tunings.map((tuning) => chromaFilterBank({ sr: 22050, nFft: 2048, tuning }));
    expect(tunings.every((tuning, i) => chromaFilterBank({ sr: 22050, nFft: 2048, tuning }) === first[i])).toBe(true);
  });
});
