import { describe, expect, it } from 'vitest';
import { harmonicSignal } from '../../../src/core/dsp/hpss';
import { istft } from '../../../src/core/dsp/istft';
import { stft } from '../../../src/core/dsp/stft';
import { magnitude } from './oracles/stft';
import { maxRelError } from '../../helpers/golden';
import { SETS, loadIntermediates } from './intermediates';

describe.each(SETS)('hpss harmonic + istft (%s intermediates)', (set) => {
  const { it: g, y } = loadIntermediates(set);

  it('istft(stft(y)) gives y back', () => {
    const back = istft(stft(y), y.length);
    expect(maxRelError(back, Array.from(y))).toBeLessThan(1e-12);
  });

  it('effects.harmonic(y) matches librosa', () => {
    const spec = stft(y);
    const yh = harmonicSignal(y, spec, magnitude(spec));
    expect(yh.length).toBe(y.length);
    expect(maxRelError(yh, g.hpss_harmonic_signal)).toBeLessThan(1e-5);
  });
});
