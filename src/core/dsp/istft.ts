import { realFft64 } from './fft64';
import { realFft32 } from './fft';
import type { Spectrogram } from './stft';
import { hannPeriodic } from './window';
import { F32_TINY } from './normalize';

/**
 * librosa.istft(center=True, length=len): periodic Hann synthesis window, overlap-add, divide by
 * the summed squared window where it exceeds float32 tiny, drop the first n_fft/2 samples.
 */
export function istft(
  spec: Spectrogram,
  length: number,
  opts: {
    nFft?: number;
    hop?: number;
    precision?: 'f64' | 'f32';
    /** Real mask applied to the complex64-rounded spectrum on the fly (saves a masked copy). */
    mask?: Float64Array;
  } = {},
): Float64Array {
  const nFft = opts.nFft ?? 2048;
  const hop = opts.hop ?? 512;
  const pad = nFft >> 1;
  const w = hannPeriodic(nFft);
  const w2 = w.map((v) => v * v);
  const nFrames = Math.min(spec.nFrames, Math.ceil((length + 2 * pad) / hop));
  const total = nFft + hop * (nFrames - 1);
  const out = new Float64Array(Math.max(total, length + pad));
  const wss = new Float64Array(out.length);
  const frame = new Float64Array(nFft);
  const fft = (opts.precision ?? 'f64') === 'f64' ? realFft64(nFft) : realFft32(nFft);
  const { nBins } = spec;
  const mask = opts.mask;
  const maskedRe = new Float64Array(nBins);
  const maskedIm = new Float64Array(nBins);
  for (let t = 0; t < nFrames; t++) {
    const b = t * nBins;
    if (mask) {
      for (let k = 0; k < nBins; k++) {
        maskedRe[k] = Math.fround(spec.re[b + k]) * mask[b + k];
        maskedIm[k] = Math.fround(spec.im[b + k]) * mask[b + k];
      }
      fft.inverse(maskedRe, maskedIm, frame);
    } else {
      fft.inverse(spec.re.subarray(b, b + nBins), spec.im.subarray(b, b + nBins), frame);
    }
    const o = t * hop;
    for (let i = 0; i < nFft; i++) {
      out[o + i] += w[i] * frame[i];
      wss[o + i] += w2[i];
    }
  }
  const y = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const s = wss[pad + i];
    y[i] = s > F32_TINY ? out[pad + i] / s : out[pad + i];
  }
  return y;
}
