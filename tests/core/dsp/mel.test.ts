import { describe, expect, it } from 'vitest';
import { melEdgesHz, melFilterBank, melSpectrogram } from '../../../src/core/dsp/mel';
import { powerToDb } from '../../../src/core/dsp/power_to_db';
import { dct2OrthoMatrix, mfccFromLogMel } from '../../../src/core/dsp/mfcc';
import { stft } from '../../../src/core/dsp/stft';
import { magnitude } from './oracles/stft';
import { maxRelError } from '../../helpers/golden';
import { SETS, loadIntermediates, rowsOf } from './intermediates';

describe.each(SETS)('mel, power_to_db, mfcc (%s intermediates)', (set) => {
  const { it: g, y } = loadIntermediates(set);
  const opts = { sr: 22050, nFft: 2048, nMels: 128 };

  it('slaney edges and float32 filter bank', () => {
    expect(maxRelError(melEdgesHz(128, 0, 11025), g.mel_filterbank.mel_edges_hz)).toBeLessThan(1e-14);
    const bank = melFilterBank(opts);
    expect(maxRelError(rowsOf(bank.weights, 128, 1025), g.mel_filterbank.matrix)).toBeLessThan(1e-7);
  });

  it('mel power, log-mel with the global top_db floor, DCT-II ortho', () => {
    const spec = stft(y);
    const S = magnitude(spec);
    const P = S.map((v) => Math.fround(v * v));
    const mel = melSpectrogram(P, spec.nFrames, opts);
    expect(maxRelError(rowsOf(mel, 128, spec.nFrames), g.mel_power)).toBeLessThan(1e-6);
    const db = powerToDb(mel);
    expect(maxRelError(rowsOf(db, 128, spec.nFrames), g.log_mel_db.matrix)).toBeLessThan(1e-6);
    expect(maxRelError(rowsOf(dct2OrthoMatrix(128, 13), 13, 128), g.dct2_ortho.matrix_first13)).toBeLessThan(1e-14);
    const mfcc = mfccFromLogMel(db, 128, spec.nFrames, 13);
    expect(mfcc.length).toBe(13 * spec.nFrames);
  });

  it('power_to_db clips relative to the whole matrix', () => {
    const db = powerToDb([1, 1e-3, 1e-12, 100]);
    expect(Array.from(db)).toEqual([0, -30, -60, 20]);
  });
});
