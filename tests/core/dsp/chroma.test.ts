import { describe, expect, it } from 'vitest';
import { chromaFilterBank, chromaStft } from '../../../src/core/dsp/chroma';
import { stft } from '../../../src/core/dsp/stft';
import { applyFilterBank } from './oracles/filterbank';
import { magnitude } from './oracles/stft';
import { maxRelError } from '../../helpers/golden';
import { SETS, loadIntermediates, rowsOf } from './intermediates';

describe.each(SETS)('chroma_stft (%s intermediates)', (set) => {
  const { it: g, y } = loadIntermediates(set);
  const tuning = g.chroma_stft.tuning_estimated;

  it('filter bank at tuning 0 and at the estimated tuning', () => {
    const b0 = chromaFilterBank({ sr: 22050, nFft: 2048, tuning: 0 });
    expect(maxRelError(rowsOf(b0.weights, 12, 1025), g.chroma_stft.filterbank_at_tuning0)).toBeLessThan(1e-6);
    const bt = chromaFilterBank({ sr: 22050, nFft: 2048, tuning });
    expect(maxRelError(rowsOf(bt.weights, 12, 1025), g.chroma_stft.filterbank_at_tuning)).toBeLessThan(1e-6);
  });

  it('raw projection of |X| and the inf-normalised chroma', () => {
    const spec = stft(y);
    const S = magnitude(spec);
    const raw = applyFilterBank(chromaFilterBank({ sr: 22050, nFft: 2048, tuning }), S, spec.nFrames);
    expect(maxRelError(rowsOf(raw, 12, spec.nFrames), g.chroma_stft.raw_chroma_before_norm)).toBeLessThan(1e-6);
    const chroma = chromaStft(S, spec.nFrames, { sr: 22050, nFft: 2048, tuning });
    for (let t = 0; t < spec.nFrames; t++) {
      let max = 0;
      for (let c = 0; c < 12; c++) max = Math.max(max, chroma[c * spec.nFrames + t]);
      if (max > 0) expect(max).toBeCloseTo(1, 12);
    }
  });
});
