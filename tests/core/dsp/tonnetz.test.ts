import { describe, expect, it } from 'vitest';
import { chromaCqt, cqToChroma, tonnetz, tonnetzPhi } from '../../../src/core/dsp/tonnetz';
import { maxRelError } from '../../helpers/golden';
import { SETS, loadIntermediates, rowsOf } from './intermediates';

describe.each(SETS)('chroma_cqt and tonnetz (%s intermediates)', (set) => {
  const { it: g } = loadIntermediates(set);
  const T = g.stft.n_frames;

  it('cq_to_chroma and phi', () => {
    expect(maxRelError(rowsOf(cqToChroma(252, 36), 12, 252), g.cqt.cq_to_chroma)).toBe(0);
    expect(maxRelError(rowsOf(tonnetzPhi(), 6, 12), g.tonnetz.phi)).toBeLessThan(1e-15);
  });

  it('chroma_cqt from the golden |CQT|, tonnetz from the golden chroma', () => {
    const C = Float64Array.from(g.cqt.magnitude.flat());
    const chroma = chromaCqt(C, 252, T, 36);
    expect(maxRelError(rowsOf(chroma, 12, T), g.chroma_cqt)).toBeLessThan(1e-6);
    const ton = tonnetz(Float64Array.from(g.chroma_cqt.flat()), T);
    expect(maxRelError(rowsOf(ton, 6, T), g.tonnetz.matrix)).toBeLessThan(1e-6);
  });
});
