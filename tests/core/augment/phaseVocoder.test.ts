import { describe, expect, it } from 'vitest';
import { phaseVocoder, vocoderTimeSteps } from '../../../src/core/augment/phaseVocoder';
import { stft } from '../../../src/core/dsp/stft';
import { loadAugmentGoldens, relMaxError } from './fixture';

describe('phaseVocoder vs librosa.phase_vocoder', () => {
  const g = loadAugmentGoldens();
  for (const pv of g.phaseVocoder) {
    it(`rate ${pv.rate}`, () => {
      const D = stft(g.input.subarray(0, pv.nSamples), { nFft: pv.nFft, hop: pv.hop });
      for (let i = 0; i < D.re.length; i++) {
        D.re[i] = Math.fround(D.re[i]);
        D.im[i] = Math.fround(D.im[i]);
      }
      const S = phaseVocoder(D, pv.rate, { nFft: pv.nFft, hop: pv.hop });
      expect(S.nFrames).toBe(pv.nFrames);
      expect(S.nBins).toBe(pv.nBins);
      const errRe = relMaxError(S.re, pv.re);
      const errIm = relMaxError(S.im, pv.im);
      console.log(`phase vocoder rate ${pv.rate}: max rel error re ${errRe.toExponential(2)} im ${errIm.toExponential(2)}`);
      expect(errRe).toBeLessThan(1e-5);
      expect(errIm).toBeLessThan(1e-5);
    });
  }

  it('time steps are np.arange(0, n, rate)', () => {
    expect(Array.from(vocoderTimeSteps(5, 0.8))).toEqual([0, 0.8, 1.6, 2.4000000000000004, 3.2, 4, 4.800000000000001]);
    expect(vocoderTimeSteps(10, 1.25).length).toBe(8);
  });
});
