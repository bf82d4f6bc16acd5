import { medianRows } from './median';
import { F32_TINY } from './normalize';
import { type ComplexFrames, istft } from './istft';
import { fftIsReady, realFft32 } from './fft';
import { type StftResident, harmonicMaskWasm, harmonicMaskWasmResident, istftMaskedWasm } from './wasm/kernels';

const f32 = Math.fround;

/**
 * Harmonic soft mask of librosa.decompose.hpss(margin=1, power=2): medians over `kernel` frames
 * (harmonic) and `kernel` bins (percussive) with 'reflect' edges, then
 * M = H^2 / (H^2 + P^2) in float32, 0.5 where max(H, P) < float32 tiny.
 * `S` is a frame-major float32-valued |X| (non-negative); the mask comes back frame-major.
 */
export function harmonicMaskJs(S: Float64Array, nFrames: number, nBins: number, kernel = 31): Float64Array {
  // medians run on float32 bit patterns (order-preserving for |X| >= 0): time medians on a
  // bin-major copy (contiguous rows), frequency medians on the frame-major one
  const n = S.length;
  const valuesF = new Float32Array(n);
  for (let i = 0; i < n; i++) valuesF[i] = S[i];
  const keys = new Int32Array(valuesF.buffer);
  const keysT = new Int32Array(n);
  for (let t = 0; t < nFrames; t++) for (let k = 0; k < nBins; k++) keysT[k * nFrames + t] = keys[t * nBins + k];
  const harmT = new Float32Array(n);
  const perc = new Float32Array(n);
  const harmTKeys = new Int32Array(harmT.buffer);
  const percKeys = new Int32Array(perc.buffer);
  medianRows(keysT, nBins, nFrames, kernel, harmTKeys);
  medianRows(keys, nFrames, nBins, kernel, percKeys);
  const mask = new Float64Array(n);
  for (let t = 0; t < nFrames; t++) {
    for (let k = 0, i = t * nBins; k < nBins; k++, i++) {
      const h = harmT[k * nFrames + t];
      const p = perc[i];
      const z = h > p ? h : p;
      if (z < F32_TINY) {
        mask[i] = 0.5;
        continue;
      }
      const rh = f32(h / z);
      const rp = f32(p / z);
      const mh = f32(rh * rh);
      const mp = f32(rp * rp);
      mask[i] = f32(mh / f32(mh + mp));
    }
  }
  return mask;
}

/** harmonicMaskJs computed by the WASM kernel (bit-identical, ~5x faster); float32 values. */
export function harmonicMask(S: ArrayLike<number>, nFrames: number, nBins: number, kernel = 31): Float32Array {
  return harmonicMaskWasm(S, nFrames, nBins, kernel);
}

/**
 * librosa.effects.harmonic(y): HPSS soft mask on the STFT, inverted to `y.length` samples and
 * rounded to float32 (librosa's output dtype). Pass `spec`/`mag` to reuse an existing STFT of y.
 */
export function harmonicSignal(
  y: ArrayLike<number>,
  spec: ComplexFrames,
  mag: ArrayLike<number>,
  /** The ISTFT may use the float32 FFT: librosa's own irfft runs in float32 here (complex64 input). */
  opts: { kernel?: number; istftPrecision?: 'f64' | 'f32' } = {},
): Float64Array {
  const mask = harmonicMask(mag, spec.nFrames, spec.nBins, opts.kernel ?? 31);
  return istft(spec, y.length, { mask, precision: opts.istftPrecision ?? (fftIsReady() ? 'f32' : 'f64'), roundF32: true });
}

/**
 * harmonicSignal for an STFT left in WASM memory (inside withWasmSession, after initFft()): the
 * mask stays there too. Same values as harmonicSignal on the float32 path.
 */
export function harmonicSignalResident(length: number, spec: StftResident, nFft = 2048, hop = 512, kernel = 31): Float64Array {
  if (!spec.re || !spec.im) throw new Error('harmonicSignalResident needs the complex spectrum');
  const mask = harmonicMaskWasmResident(spec.S, spec.nFrames, spec.nBins, kernel);
  const nFrames = Math.min(spec.nFrames, Math.ceil((length + 2 * (nFft >> 1)) / hop));
  return istftMaskedWasm(realFft32(nFft), { nFrames: spec.nFrames, nBins: spec.nBins, re: spec.re, im: spec.im }, mask, nFrames, hop, length, true);
}
