import { realFft32 } from '../../../../src/core/dsp/fft';
import type { ComplexFrames } from '../../../../src/core/dsp/istft';
import { F32_TINY } from '../../../../src/core/dsp/normalize';
import { hannPeriodic } from '../../../../src/core/dsp/window';

/**
 * Parity oracle of istft's 'f32' path (the WASM kernels istft_masked_inputs and istft_overlap_add
 * around pffft, kernels.ts istftMaskedWasm): per frame the masked complex64 spectrum goes through
 * pffft's float32 inverse (needs initFft()), is scaled by 1 / n_fft and windowed, and overlap-added
 * in float64; then divided by the summed squared window, accumulated frame by frame.
 */
export function istftJs(
  spec: ComplexFrames,
  length: number,
  opts: { nFft?: number; hop?: number; mask?: ArrayLike<number>; roundF32?: boolean } = {},
): Float64Array {
  const nFft = opts.nFft ?? 2048;
  const hop = opts.hop ?? 512;
  const pad = nFft >> 1;
  const w = hannPeriodic(nFft);
  const nFrames = Math.min(spec.nFrames, Math.ceil((length + 2 * pad) / hop));
  const size = Math.max(nFft + hop * (nFrames - 1), length + pad);
  const out = new Float64Array(size);
  const wss = new Float64Array(size);
  const { nBins, re, im } = spec;
  const fft = realFft32(nFft);
  const frame = new Float64Array(nFft);
  const maskedRe = new Float64Array(nBins);
  const maskedIm = new Float64Array(nBins);
  for (let t = 0; t < nFrames; t++) {
    const b = t * nBins;
    for (let k = 0; k < nBins; k++) {
      const m = opts.mask ? opts.mask[b + k] : 1;
      maskedRe[k] = Math.fround(re[b + k]) * m;
      maskedIm[k] = Math.fround(im[b + k]) * m;
    }
    fft.inverse(maskedRe, maskedIm, frame);
    const o = t * hop;
    for (let i = 0; i < nFft; i++) {
      out[o + i] += w[i] * frame[i];
      wss[o + i] += w[i] * w[i];
    }
  }
  const y = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const s = wss[pad + i];
    const v = s > F32_TINY ? out[pad + i] / s : out[pad + i];
    y[i] = opts.roundF32 ? Math.fround(v) : v;
  }
  return y;
}
