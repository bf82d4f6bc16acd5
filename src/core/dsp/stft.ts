import { realFft64 } from './fft64';
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
}

/**
 * librosa.stft(center=True, pad_mode='constant', periodic Hann): n_fft/2 zeros on each side, the
 * float64 FFT of fft64.ts (the time stretch's STFT, and the one the WASM STFT reproduces).
 */
export function stft(y: ArrayLike<number>, opts: StftOptions = {}): Spectrogram {
  const nFft = opts.nFft ?? 2048;
  const hop = opts.hop ?? 512;
  const nBins = (nFft >> 1) + 1;
  const nFrames = 1 + Math.floor(y.length / hop);
  const pad = nFft >> 1;
  const padded = new Float64Array(y.length + 2 * pad);
  for (let i = 0; i < y.length; i++) padded[pad + i] = y[i];
  const re = new Float64Array(nFrames * nBins);
  const im = new Float64Array(nFrames * nBins);
  const fft = realFft64(nFft);
  const window = hannPeriodic(nFft);
  for (let t = 0; t < nFrames; t++) fft.forwardWindowed(padded, t * hop, window, re, im, t * nBins);
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
 * |stft(y)| as librosa holds it (float64 FFT, complex64 parts, float32 magnitude) without keeping
 * the complex spectrogram: the WASM kernel (kernels.c stft_f64), bit for bit the JS parity oracle
 * `magnitude(stft(y))` of tests/core/dsp/oracles/stft.ts.
 */
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
