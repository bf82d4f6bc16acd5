import { describe, expect, it } from 'vitest';
import { delta } from '../../../src/core/dsp/delta';
import { goldenClip, goldenClipNames, goldenExtended, maxRelError } from '../../helpers/golden';

const clips = (['synth', 'speech'] as const).flatMap((set) => goldenClipNames(set).map((name) => [set, name] as const));

describe.each(clips)('delta of the MFCC block (%s %s)', (set, name) => {
  it("matches librosa.feature.delta(width 9, order 1, mode 'interp') of the golden MFCC", () => {
    const g = goldenExtended(set, name);
    const mfcc = goldenClip(set, name).blocks.mfcc;
    const T = g.n_frames;
    const d = delta(Float64Array.from(mfcc.flat()), 13, T, 9);
    const rows = Array.from({ length: 13 }, (_, r) => d.subarray(r * T, (r + 1) * T));
    // frames with a full window: scipy's float64 correlation rounded to float32, the same numbers
    const inner = (m: ArrayLike<number>[] | number[][]) => m.map((row) => Array.from(row).slice(4, T - 4));
    expect(maxRelError(inner(rows), inner(g.blocks.mfcc_delta))).toBeLessThan(1e-7);
    // the 4 edge frames at each end: scipy fits their line with a float32 LAPACK least squares
    // (sgelsd), a few float32 ulps from the exact slope computed here
    expect(maxRelError(rows, g.blocks.mfcc_delta)).toBeLessThan(1e-6);
  });
});

describe('delta', () => {
  it('is the slope of a line, everywhere, edges included', () => {
    const T = 20;
    const x = Float64Array.from({ length: 2 * T }, (_, i) => (i < T ? 3 * i - 7 : -0.5 * (i - T)));
    const d = delta(x, 2, T);
    expect(Array.from(d.subarray(0, T)).every((v) => Math.abs(v - 3) < 1e-6)).toBe(true);
    expect(Array.from(d.subarray(T)).every((v) => Math.abs(v + 0.5) < 1e-6)).toBe(true);
  });

  it('needs at least `width` frames, as librosa does', () => {
    expect(() => delta(new Float64Array(13 * 8), 13, 8)).toThrow(/at least 9 frames/);
    expect(() => delta(new Float64Array(13 * 9), 13, 9)).not.toThrow();
    expect(() => delta(new Float64Array(10), 1, 10, 4)).toThrow(/odd/);
  });
});
