import { absComplex64, type Spectrogram } from '../../../../src/core/dsp/stft';

/**
 * Parity oracle of the WASM STFT's magnitude (kernels.c stft_f64; src/core/dsp/stft.ts
 * stftMagnitudeF32 / stftComplex64): |X| frame-major as librosa holds it, complex64 components then
 * a float32 magnitude. On the float64 JS `stft()` this reproduces librosa's |X| almost bit for bit.
 */
export function magnitude(spec: Spectrogram): Float64Array {
  const { re, im } = spec;
  const out = new Float64Array(re.length);
  for (let i = 0; i < out.length; i++) out[i] = absComplex64(re[i], im[i]);
  return out;
}
