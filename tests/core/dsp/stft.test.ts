import { describe, expect, it } from 'vitest';
import { stft, stftMagnitudeF32 } from '../../../src/core/dsp/stft';
import { magnitude } from './oracles/stft';
import { hannPeriodic } from '../../../src/core/dsp/window';
import { maxRelError } from '../../helpers/golden';
import { SETS, binRows, loadIntermediates } from './intermediates';

describe.each(SETS)('stft (%s intermediates)', (set) => {
  const { it: g, y } = loadIntermediates(set);

  it('periodic hann window', () => {
    expect(maxRelError(hannPeriodic(2048), g.hann_window_periodic_2048)).toBeLessThan(1e-15);
  });

  it('|STFT| is librosa float32 |X|, almost all values bit-identical', () => {
    const spec = stft(y);
    expect(spec.nFrames).toBe(g.stft.n_frames);
    expect(spec.nFrames).toBe(1 + Math.floor(y.length / 512));
    const S = magnitude(spec);
    const rows = binRows(S, spec.nFrames, spec.nBins);
    expect(maxRelError(rows, g.stft.magnitude)).toBeLessThan(1e-7);
    let same = 0;
    let total = 0;
    for (let k = 0; k < rows.length; k++) {
      for (let t = 0; t < spec.nFrames; t++) {
        total++;
        if (rows[k][t] === g.stft.magnitude[k][t]) same++;
      }
    }
    expect(same / total).toBeGreaterThan(0.999);
    expect(Float64Array.from(stftMagnitudeF32(y).S)).toEqual(S);
  });
});
