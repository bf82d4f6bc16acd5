import { realFft64 } from './fft64';
import { hannPeriodic } from './window';
import { F32_TINY } from './normalize';
import { istftMaskedWasm } from './wasm/kernels';

/** A frame-major complex spectrogram (stft.ts Spectrogram, or float32 parts from the WASM STFT). */
export interface ComplexFrames {
  nFrames: number;
  nBins: number;
  re: ArrayLike<number>;
  im: ArrayLike<number>;
}

/**
 * librosa.istft(center=True, length=len): periodic Hann synthesis window, overlap-add, divide by
 * the summed squared window where it exceeds float32 tiny, drop the first n_fft/2 samples.
 * 'f64' (default): the float64 FFT of fft64.ts in JS (the time stretch's inverse, and the HPSS one
 * when pffft is not loaded). 'f32' (needs initFft()): librosa's complex64 inverse, the masked
 * spectrum rounded to float32, pffft between two WASM kernels (kernels.ts istftMaskedWasm), bit
 * for bit its JS parity oracle tests/core/dsp/oracles/istft.ts.
 */
export function istft(
  spec: ComplexFrames,
  length: number,
  opts: {
    nFft?: number;
    hop?: number;
    precision?: 'f64' | 'f32';
    /** Real mask applied to the complex64-rounded spectrum on the fly (saves a masked copy). */
    mask?: ArrayLike<number>;
    /** Round the output samples to float32 (free on the 'f32' path). */
    roundF32?: boolean;
  } = {},
): Float64Array {
  const nFft = opts.nFft ?? 2048;
  const hop = opts.hop ?? 512;
  const pad = nFft >> 1;
  const nFrames = Math.min(spec.nFrames, Math.ceil((length + 2 * pad) / hop));
  const { nBins } = spec;
  const mask = opts.mask;
  if ((opts.precision ?? 'f64') === 'f32') {
    const f32 = (x: ArrayLike<number>): Float32Array => (x instanceof Float32Array ? x : Float32Array.from(x));
    const frames = { nFrames: spec.nFrames, nBins, re: f32(spec.re), im: f32(spec.im) };
    const m = mask ? f32(mask) : new Float32Array(spec.nFrames * nBins).fill(1);
    return istftMaskedWasm(nFft, frames, m, nFrames, hop, length, opts.roundF32 ?? false);
  }
  const w = hannPeriodic(nFft);
  const total = nFft + hop * (nFrames - 1);
  const out = new Float64Array(Math.max(total, length + pad));
  const frame = new Float64Array(nFft);
  const fft = realFft64(nFft);
  const maskedRe = new Float64Array(nBins);
  const maskedIm = new Float64Array(nBins);
  for (let t = 0; t < nFrames; t++) {
    const b = t * nBins;
    if (mask) {
      for (let k = 0; k < nBins; k++) {
        maskedRe[k] = Math.fround(spec.re[b + k]) * mask[b + k];
        maskedIm[k] = Math.fround(spec.im[b + k]) * mask[b + k];
      }
    } else {
      for (let k = 0; k < nBins; k++) {
        maskedRe[k] = spec.re[b + k];
        maskedIm[k] = spec.im[b + k];
      }
    }
    fft.inverse(maskedRe, maskedIm, frame);
    const o = t * hop;
    for (let i = 0; i < nFft; i++) out[o + i] += w[i] * frame[i];
  }
  const wss = windowSumSquare(w, hop, nFrames, pad, length);
  const y = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const s = wss[i];
    const v = s > F32_TINY ? out[pad + i] / s : out[pad + i];
    y[i] = opts.roundF32 ? Math.fround(v) : v;
  }
  return y;
}

const periodicCache = new Map<string, Float64Array>();

/**
 * The summed squared window at output samples pad .. pad + length: per sample the frames
 * covering it, added in frame order (the same sums as accumulating w^2 frame by frame). Where
 * every covering frame exists the sum only depends on the sample's phase within the hop, so
 * those values come from a per-(n_fft, hop) table.
 */
function windowSumSquare(w: Float64Array, hop: number, nFrames: number, pad: number, length: number): Float64Array {
  const nFft = w.length;
  const wss = new Float64Array(length);
  const direct = (j: number): number => {
    const tLast = Math.min(nFrames - 1, Math.floor(j / hop));
    let s = 0;
    for (let t = Math.max(0, Math.ceil((j - nFft + 1) / hop)); t <= tLast; t++) {
      const v = w[j - t * hop];
      s += v * v;
    }
    return s;
  };
  if (nFft % hop !== 0) {
    for (let i = 0; i < length; i++) wss[i] = direct(pad + i);
    return wss;
  }
  const key = `${nFft}/${hop}`;
  let periodic = periodicCache.get(key);
  if (!periodic) {
    periodic = new Float64Array(hop);
    for (let r = 0; r < hop; r++) {
      let s = 0;
      for (let off = nFft - hop + r; off >= 0; off -= hop) s += w[off] * w[off];
      periodic[r] = s;
    }
    periodicCache.set(key, periodic);
  }
  // full coverage: j >= nFft - hop (frame 0 reaches back) and j < (nFrames - 1) * hop + hop... i.e.
  // floor(j / hop) <= nFrames - 1 and ceil((j - nFft + 1) / hop) >= 0
  const fullFrom = nFft - hop;
  const fullTo = nFrames * hop; // exclusive
  for (let i = 0; i < length; i++) {
    const j = pad + i;
    wss[i] = j >= fullFrom && j < fullTo ? periodic[j % hop] : direct(j);
  }
  return wss;
}
