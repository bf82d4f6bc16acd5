import { describe, expect, it } from 'vitest';
import { spectralContrast } from '../../../src/core/dsp/contrast';
import { stft } from '../../../src/core/dsp/stft';
import { magnitude } from './oracles/stft';
import { goldenAudioPath, goldenClip, maxRelError } from '../../helpers/golden';
import { readWavMono } from '../../helpers/wav';
import { rowsOf } from './intermediates';

const clips = [
  ['synth', 'neutral__neutral_03_en-f3'],
  ['speech', 'sadness__en_f3_slow'],
] as const;

describe.each(clips)('spectral_contrast (%s %s)', (set, name) => {
  it('matches the golden contrast block on |X| (magnitude, two separate top_db floors)', () => {
    const g = goldenClip(set, name);
    const y = readWavMono(goldenAudioPath(set, g.file)).samples;
    const spec = stft(y);
    const c = spectralContrast(magnitude(spec), spec.nFrames, spec.nBins, { sr: 22050, nFft: 2048 });
    expect(maxRelError(rowsOf(c, 7, spec.nFrames), g.blocks.contrast)).toBeLessThan(1e-6);
  });
});

describe('spectral_contrast limits', () => {
  it('refuses bands above Nyquist, as librosa does', () => {
    expect(() => spectralContrast(new Float64Array(1025), 1, 1025, { sr: 12800, nFft: 2048 })).toThrow(/Nyquist/);
    expect(() => spectralContrast(new Float64Array(1025), 1, 1025, { sr: 16000, nFft: 2048 })).not.toThrow();
  });
});
