import { describe, expect, it } from 'vitest';
import { stretchedLength, timeStretch } from '../../../src/core/augment/timeStretch';
import { loadAugmentGoldens, relMaxError } from './fixture';

describe('timeStretch vs librosa.effects.time_stretch', () => {
  const g = loadAugmentGoldens();
  for (const s of g.stretch) {
    it(`rate ${s.rate}`, () => {
      const r = timeStretch(g.input, s.rate);
      expect(r.y).toBeInstanceOf(Float32Array);
      expect(r.y.length).toBe(s.length);
      expect(r.params).toEqual({ aug: 'stretch', rate: s.rate });
      const err = relMaxError(r.y, s.y);
      console.log(`time_stretch rate ${s.rate}: max |diff| / max |golden| = ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-5);
    });
  }

  it('output length is round-half-even(n / rate)', () => {
    expect(stretchedLength(11025, 0.8)).toBe(13781);
    expect(stretchedLength(11025, 1.25)).toBe(8820);
    expect(stretchedLength(5, 2)).toBe(2); // 2.5 -> 2, Python's round
    expect(stretchedLength(7, 2)).toBe(4); // 3.5 -> 4
    const y = new Float32Array(3000).map((_, i) => Math.sin(i / 7));
    expect(timeStretch(y, 1.1).y.length).toBe(Math.round(3000 / 1.1));
  });

  it('rejects a non-positive rate', () => {
    expect(() => timeStretch(new Float32Array(100), 0)).toThrow(RangeError);
  });
});
