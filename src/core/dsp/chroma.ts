import { type FilterBank, filterBankFromDense } from './filterbank';
import { type WasmF32, applyFilterBankWasm } from './wasm/kernels';
import { normalizeColumns, F32_TINY } from './normalize';

export interface ChromaBankOptions {
  sr: number;
  nFft: number;
  nChroma?: number;
  tuning?: number;
  ctroct?: number;
  octwidth?: number;
}

const bankCache = new Map<string, FilterBank>();

/** librosa.filters.chroma (norm=2, base_c=True), rounded to float32 as librosa returns it. */
export function chromaFilterBank(opts: ChromaBankOptions): FilterBank {
  const nChroma = opts.nChroma ?? 12;
  const tuning = opts.tuning ?? 0;
  const ctroct = opts.ctroct ?? 5.0;
  const octwidth = opts.octwidth ?? 2.0;
  const { sr, nFft } = opts;
  const key = `${sr}/${nFft}/${nChroma}/${tuning}/${ctroct}/${octwidth}`;
  const cached = bankCache.get(key);
  if (cached) return cached;

  // frequencies = linspace(0, sr, n_fft, endpoint=False)[1:]
  const step = sr / nFft;
  const a440 = 440.0 * 2.0 ** (tuning / nChroma);
  const frqbins = new Float64Array(nFft);
  for (let i = 1; i < nFft; i++) frqbins[i] = nChroma * Math.log2((i * step) / (a440 / 16));
  frqbins[0] = frqbins[1] - 1.5 * nChroma;
  const binwidth = new Float64Array(nFft);
  for (let i = 0; i < nFft - 1; i++) binwidth[i] = Math.max(frqbins[i + 1] - frqbins[i], 1.0);
  binwidth[nFft - 1] = 1;
  const half = Math.round(nChroma / 2);
  const W = new Float64Array(nChroma * nFft);
  for (let c = 0; c < nChroma; c++) {
    for (let i = 0; i < nFft; i++) {
      const x = frqbins[i] - c + half + 10 * nChroma;
      const D = x - nChroma * Math.floor(x / nChroma) - half; // np.remainder
      const z = (2 * D) / binwidth[i];
      W[c * nFft + i] = Math.exp(-0.5 * z * z);
    }
  }
  for (let i = 0; i < nFft; i++) {
    let s = 0;
    for (let c = 0; c < nChroma; c++) s += W[c * nFft + i] ** 2;
    const len = Math.sqrt(s);
    const o = (frqbins[i] / nChroma - ctroct) / octwidth;
    const octWeight = Math.exp(-0.5 * o * o);
    for (let c = 0; c < nChroma; c++) {
      const v = len < F32_TINY ? W[c * nFft + i] : W[c * nFft + i] / len;
      W[c * nFft + i] = v * octWeight;
    }
  }
  // roll by -3 (base_c) and keep the first n_fft/2 + 1 columns, in float32
  const nCols = (nFft >> 1) + 1;
  const shiftRows = 3 * Math.floor(nChroma / 12);
  const out = new Float64Array(nChroma * nCols);
  for (let c = 0; c < nChroma; c++) {
    const src = (((c + shiftRows) % nChroma) + nChroma) % nChroma;
    for (let i = 0; i < nCols; i++) out[c * nCols + i] = Math.fround(W[src * nFft + i]);
  }
  const bank = filterBankFromDense(out, nChroma, nCols, 1e-12);
  bankCache.set(key, bank);
  return bank;
}

/** chroma_stft(S=|X|): raw projection then per-frame max normalisation; result [chroma][frame]. */
export function chromaStft(S: ArrayLike<number> | WasmF32, nFrames: number, opts: ChromaBankOptions): Float64Array {
  const bank = chromaFilterBank(opts);
  const raw = applyFilterBankWasm(bank, S, nFrames, false);
  return normalizeColumns(raw, bank.nRows, nFrames, 'inf');
}
