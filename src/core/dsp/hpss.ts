import { type ComplexFrames, istft } from './istft';
import { fftIsReady } from './fft';
import { type StftResident, type WasmF64, harmonicMaskWasm, harmonicMaskWasmResident, istftMaskedWasmResident } from './wasm/kernels';

/**
 * Harmonic soft mask of librosa.decompose.hpss(margin=1, power=2): medians over `kernel` frames
 * (harmonic) and `kernel` bins (percussive) with 'reflect' edges, then
 * M = H^2 / (H^2 + P^2) in float32, 0.5 where max(H, P) < float32 tiny. `S` is a frame-major
 * float32-valued |X| (non-negative); the mask comes back frame-major, float32. The WASM kernel
 * (kernels.c harmonic_mask), bit for bit its JS parity oracle tests/core/dsp/oracles/hpss.ts.
 */
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
 * mask and the signal stay there too. Same values as harmonicSignal on the float32 path.
 */
export function harmonicSignalResident(length: number, spec: StftResident, nFft = 2048, hop = 512, kernel = 31): WasmF64 {
  if (!spec.re || !spec.im) throw new Error('harmonicSignalResident needs the complex spectrum');
  const mask = harmonicMaskWasmResident(spec.S, spec.nFrames, spec.nBins, kernel);
  const nFrames = Math.min(spec.nFrames, Math.ceil((length + 2 * (nFft >> 1)) / hop));
  return istftMaskedWasmResident(nFft, { nFrames: spec.nFrames, nBins: spec.nBins, re: spec.re, im: spec.im }, mask, nFrames, hop, length, true);
}
