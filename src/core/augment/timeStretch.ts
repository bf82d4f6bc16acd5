import { istft } from '../dsp/istft';
import { stft } from '../dsp/stft';
import { roundHalfEven } from '../dsp/numpyRound';
import type { Augmented } from './params';
import { phaseVocoder } from './phaseVocoder';

const N_FFT = 2048;
const HOP = 512;

/** Length of librosa.effects.time_stretch's output: int(round(n / rate)). */
export function stretchedLength(n: number, rate: number): number {
  return roundHalfEven(n / rate);
}

/**
 * librosa.effects.time_stretch(y, rate): stft (2048/512, hann, zero-padded centre) -> phase_vocoder(rate)
 * -> istft(length=round(n/rate)). rate > 1 shortens. The STFT is rounded to complex64 first, as
 * librosa holds it.
 */
export function timeStretch(y: ArrayLike<number>, rate: number): Augmented<{ aug: 'stretch'; rate: number }> {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`timeStretch: rate must be a positive number, got ${rate}`);
  const D = stft(y, { nFft: N_FFT, hop: HOP });
  for (let i = 0; i < D.re.length; i++) {
    D.re[i] = Math.fround(D.re[i]);
    D.im[i] = Math.fround(D.im[i]);
  }
  const S = phaseVocoder(D, rate, { nFft: N_FFT, hop: HOP });
  const out = istft(S, stretchedLength(y.length, rate), { nFft: N_FFT, hop: HOP });
  return { y: Float32Array.from(out), params: { aug: 'stretch', rate } };
}
