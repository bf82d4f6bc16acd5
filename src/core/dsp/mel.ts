import { type FilterBank, fftFrequencies, filterBankFromDense } from './filterbank';
import { type WasmF32, type WasmF64, applyFilterBankWasm, applyFilterBankWasmResident } from './wasm/kernels';

const F_SP = 200.0 / 3;
const MIN_LOG_HZ = 1000.0;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27.0;

/** Slaney mel scale (librosa htk=False). */
function hzToMel(f: number): number {
  return f >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOGSTEP : f / F_SP;
}

function melToHz(m: number): number {
  return m >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (m - MIN_LOG_MEL)) : F_SP * m;
}

/** numpy.linspace(start, stop, num) as numpy computes it (i * step + start, last = stop). */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

export interface MelOptions {
  sr: number;
  nFft: number;
  nMels: number;
  fmin?: number;
  fmax?: number;
}

/** The n_mels + 2 edge frequencies of librosa.filters.mel. */
export function melEdgesHz(nMels: number, fmin: number, fmax: number): Float64Array {
  const mels = linspace(hzToMel(fmin), hzToMel(fmax), nMels + 2);
  return mels.map(melToHz);
}

const bankCache = new Map<string, FilterBank>();

/**
 * librosa.filters.mel(norm='slaney', htk=False), float32 as librosa stores it: each triangle is
 * written into a float32 array, then scaled in place by the slaney area factor.
 */
export function melFilterBank(opts: MelOptions): FilterBank {
  const fmin = opts.fmin ?? 0;
  const fmax = opts.fmax ?? opts.sr / 2;
  const key = `${opts.sr}/${opts.nFft}/${opts.nMels}/${fmin}/${fmax}`;
  const cached = bankCache.get(key);
  if (cached) return cached;
  const { nMels } = opts;
  const fftF = fftFrequencies(opts.sr, opts.nFft);
  const nCols = fftF.length;
  const melF = melEdgesHz(nMels, fmin, fmax);
  const w = new Float64Array(nMels * nCols);
  for (let i = 0; i < nMels; i++) {
    const d0 = melF[i + 1] - melF[i];
    const d1 = melF[i + 2] - melF[i + 1];
    const enorm = 2.0 / (melF[i + 2] - melF[i]);
    for (let k = 0; k < nCols; k++) {
      const lower = -(melF[i] - fftF[k]) / d0;
      const upper = (melF[i + 2] - fftF[k]) / d1;
      const v = Math.max(0, Math.min(lower, upper));
      w[i * nCols + k] = Math.fround(Math.fround(v) * enorm);
    }
  }
  const bank = filterBankFromDense(w, nMels, nCols);
  bankCache.set(key, bank);
  return bank;
}

/** melspectrogram from a frame-major power spectrogram; result [mel][frame]. */
export function melSpectrogram(power: ArrayLike<number>, nFrames: number, opts: MelOptions): Float64Array {
  return applyFilterBankWasm(melFilterBank(opts), power, nFrames, false);
}

/** melSpectrogram of the float32 power |X|^2 (librosa's S**2 on float32 |X|), from |X| itself. */
export function melSpectrogramFromMagnitude(S: ArrayLike<number> | WasmF32, nFrames: number, opts: MelOptions): Float64Array {
  return applyFilterBankWasm(melFilterBank(opts), S, nFrames, true);
}

/** melSpectrogramFromMagnitude of a resident |X|, the result resident (inside withWasmSession). */
export function melSpectrogramResident(S: WasmF32, nFrames: number, opts: MelOptions): WasmF64 {
  return applyFilterBankWasmResident(melFilterBank(opts), S, nFrames, true);
}
