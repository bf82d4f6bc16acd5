import { realFft64 } from './fft64';
import { realFft32 } from './fft';
import { hannPeriodic } from './window';
import { type StftF32, stftWasm } from './wasm/kernels';

/** Complex spectrogram, frame-major: bin k of frame t is at [t * nBins + k]. */
export interface Spectrogram {
  nFrames: number;
  nBins: number;
  re: Float64Array;
  im: Float64Array;
}

export interface StftOptions {
  nFft?: number;
  hop?: number;
  /** 'hann' = periodic Hann (librosa default); 'ones' = boxcar (librosa's CQT). */
  window?: 'hann' | 'ones';
  /** 'f64': exact float64 FFT (default); 'f32': pffft SIMD float32 (needs initFft()). */
  precision?: 'f64' | 'f32';
}

export function stftFrameCount(nSamples: number, hop: number): number {
  return 1 + Math.floor(nSamples / hop);
}

/** librosa.stft(center=True, pad_mode='constant'): n_fft/2 zeros on each side. */
export function stft(y: ArrayLike<number>, opts: StftOptions = {}): Spectrogram {
  const nFft = opts.nFft ?? 2048;
  const hop = opts.hop ?? 512;
  const nBins = (nFft >> 1) + 1;
  const nFrames = stftFrameCount(y.length, hop);
  const pad = nFft >> 1;
  const padded = new Float64Array(y.length + 2 * pad);
  for (let i = 0; i < y.length; i++) padded[pad + i] = y[i];
  const re = new Float64Array(nFrames * nBins);
  const im = new Float64Array(nFrames * nBins);
  const window = opts.window === 'ones' ? undefined : hannPeriodic(nFft);

  if ((opts.precision ?? 'f64') === 'f64') {
    const fft = realFft64(nFft);
    const w = window ?? new Float64Array(nFft).fill(1);
    for (let t = 0; t < nFrames; t++) fft.forwardWindowed(padded, t * hop, w, re, im, t * nBins);
  } else {
    const fft = realFft32(nFft);
    const half = nFft >> 1;
    for (let t = 0; t < nFrames; t++) {
      const input = fft.inputView();
      const off = t * hop;
      if (window) for (let i = 0; i < nFft; i++) input[i] = padded[off + i] * window[i];
      else for (let i = 0; i < nFft; i++) input[i] = padded[off + i];
      const o = fft.forwardInPlace();
      const b = t * nBins;
      re[b] = o[0];
      re[b + half] = o[1];
      for (let k = 1; k < half; k++) {
        re[b + k] = o[2 * k];
        im[b + k] = o[2 * k + 1];
      }
    }
  }
  return { nFrames, nBins, re, im };
}

/**
 * numpy's abs() of a complex64 (its SIMD loop): larger * sqrt(fma(ratio, ratio, 1)) in float32.
 * Not the correctly rounded hypot: ~23% of values differ in the last bit otherwise.
 */
export function absComplex64(re: number, im: number): number {
  const f = Math.fround;
  const a = Math.abs(f(re));
  const b = Math.abs(f(im));
  const larger = a > b ? a : b;
  if (larger === 0) return 0;
  const ratio = f((a > b ? b : a) / larger);
  return f(f(Math.sqrt(f(1 + ratio * ratio))) * larger);
}

/**
 * |X| frame-major. With `asFloat32` the value is what librosa holds: complex64 components,
 * then a float32 magnitude (float64 FFT + these roundings reproduces librosa's |X| almost bit for bit).
 */
export function magnitude(spec: Spectrogram, asFloat32 = true): Float64Array {
  const { re, im } = spec;
  const out = new Float64Array(re.length);
  if (asFloat32) {
    for (let i = 0; i < out.length; i++) out[i] = absComplex64(re[i], im[i]);
  } else {
    for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
  }
  return out;
}

/**
 * |stft(y)| (float64 FFT, librosa's float32 |X|) without keeping the complex spectrogram: the
 * WASM kernel (wasm/kernels.c), bit-identical to magnitude(stft(y)).
 */
export function stftMagnitude(y: ArrayLike<number>, nFft = 2048, hop = 512): { S: Float64Array; nFrames: number; nBins: number } {
  const { S, nFrames, nBins } = stftMagnitudeF32(y, nFft, hop);
  return { S: Float64Array.from(S), nFrames, nBins };
}

/** stftMagnitude with |X| kept as the float32 array it is (no float64 copy). */
export function stftMagnitudeF32(y: ArrayLike<number>, nFft = 2048, hop = 512): { S: Float32Array; nFrames: number; nBins: number } {
  const { S, nFrames, nBins } = stftWasm(asTyped(y), nFft, hop, false);
  return { S, nFrames, nBins };
}

function asTyped(y: ArrayLike<number>): Float32Array | Float64Array {
  return y instanceof Float32Array || y instanceof Float64Array ? y : Float64Array.from(y);
}

/**
 * stft + magnitude in one pass (WASM): |X| as librosa's float32 values and the complex64 spectrum
 * (float32 parts, frame-major), everything the feature blocks and the HPSS inversion need.
 */
export function stftComplex64(y: ArrayLike<number>, nFft = 2048, hop = 512): Required<StftF32> {
  return stftWasm(asTyped(y), nFft, hop, true) as Required<StftF32>;
}
