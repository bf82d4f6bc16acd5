import { describe, expect, it } from 'vitest';
import { pitchShift } from '../../../src/core/augment/pitchShift';
import { loadAugmentGoldens, relMaxError } from './fixture';

describe('pitchShift vs librosa.effects.pitch_shift', () => {
  const g = loadAugmentGoldens();
  for (const p of g.pitch) {
    it(`${p.nSteps} semitones`, () => {
      const r = pitchShift(g.input, g.sr, p.nSteps);
      expect(r.y.length).toBe(g.input.length);
      expect(r.params).toEqual({ aug: 'pitch', nSteps: p.nSteps });
      const err = relMaxError(r.y, p.y);
      console.log(`pitch_shift ${p.nSteps}: max |diff| / max |golden| = ${err.toExponential(2)}`);
      // measured 6.7e-6 (+2) and 3.2e-6 (-1.5) with the soxr HQ port (soxr itself runs in float32)
      expect(err).toBeLessThan(2e-5);
    });
  }

  it('an octave up doubles the frequency of a sine, length kept', () => {
    const sr = 22050;
    const y = new Float32Array(8192).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / sr));
    const up = pitchShift(y, sr, 12).y;
    const down = pitchShift(y, sr, -12).y;
    expect(up.length).toBe(y.length);
    expect(down.length).toBe(y.length);
    const crossings = (x: Float32Array) => {
      let c = 0;
      for (let i = 2048; i < 6144; i++) if (x[i - 1] < 0 !== x[i] < 0) c++;
      return c;
    };
    const base = crossings(y); // 4096 samples of 440 Hz: ~163 sign changes
    expect(Math.abs(crossings(up) - 2 * base)).toBeLessThanOrEqual(2);
    expect(Math.abs(crossings(down) - base / 2)).toBeLessThanOrEqual(2);
  });
});
