import { realFft64 } from '../../../../src/core/dsp/fft64';
import { hannPeriodic } from '../../../../src/core/dsp/window';
import type { BasisRowValues } from '../../../../src/core/dsp/wasm/kernels';

/** librosa.util.sparsify_rows on one row of magnitudes: the threshold value kept (>=), by a full sort. */
function sparsifyThreshold(mags: Float64Array, quantile: number): number {
  const sorted = Float64Array.from(mags).sort();
  let norm = 0;
  for (let i = 0; i < mags.length; i++) norm += mags[i];
  let cum = 0;
  for (let j = 0; j < sorted.length; j++) {
    cum += sorted[j] / norm;
    if (!(cum < quantile)) return sorted[j];
  }
  return sorted[0];
}

/**
 * Parity oracle of the WASM kernel cqt_basis_row (kernels.ts cqtBasisRowWasm, same arguments): one
 * wavelet of __vqt_filter_fft, a Hann-windowed complex exponential of length ilen centred in nFft
 * samples, L1-normalised, times ilen / nFft, FFT'd (float64) and sparsified (the whole row sorted).
 */
export function basisRowJs(freq: number, rate: number, ilen: number, nFft: number, sparsity: number): BasisRowValues {
  const sigRe = new Float64Array(nFft);
  const sigIm = new Float64Array(nFft);
  const nKeep = (nFft >> 1) + 1;
  const t0 = Math.floor(-ilen / 2);
  const len = Math.floor(ilen / 2) - t0;
  const win = hannPeriodic(len);
  let l1 = 0;
  const lpad = Math.floor((nFft - len) / 2);
  // exp(i * angle) by rotation, re-anchored on exact cos/sin every 32 samples
  const step = (2 * Math.PI * freq) / rate;
  const cs = Math.cos(step);
  const sn = Math.sin(step);
  let cr = 0;
  let ci = 0;
  for (let j = 0; j < len; j++) {
    if ((j & 31) === 0) {
      const angle = ((((t0 + j) * 2) * Math.PI) * freq) / rate;
      cr = Math.cos(angle);
      ci = Math.sin(angle);
    } else {
      const nr = cr * cs - ci * sn;
      ci = cr * sn + ci * cs;
      cr = nr;
    }
    sigRe[lpad + j] = cr * win[j];
    sigIm[lpad + j] = ci * win[j];
    l1 += win[j]; // |exp(i a)| = 1 and the window is >= 0
  }
  const scale = ilen / nFft / l1;
  for (let j = 0; j < len; j++) {
    sigRe[lpad + j] *= scale;
    sigIm[lpad + j] *= scale;
  }
  // a complex FFT of nFft points is the inner transform of the real FFT of 2 * nFft
  realFft64(2 * nFft).complexForward(sigRe, sigIm);
  const mags = new Float64Array(nKeep);
  for (let k = 0; k < nKeep; k++) mags[k] = Math.sqrt(sigRe[k] * sigRe[k] + sigIm[k] * sigIm[k]);
  const thr = sparsifyThreshold(mags, sparsity);
  const bins: number[] = [];
  for (let k = 0; k < nKeep; k++) if (mags[k] >= thr) bins.push(k);
  return { bins: Int32Array.from(bins), re: Float64Array.from(bins, (k) => sigRe[k]), im: Float64Array.from(bins, (k) => sigIm[k]) };
}
