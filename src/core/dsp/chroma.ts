import { type FilterBank, filterBankFromDense } from './filterbank';
import { type BankPointers, type WasmF32, applyBankWasm, withChromaBank } from './wasm/kernels';
import { Lru } from './lru';
import { normalizeColumns, F32_TINY } from './normalize';

export interface ChromaBankOptions {
  sr: number;
  nFft: number;
  nChroma?: number;
  tuning?: number;
  ctroct?: number;
  octwidth?: number;
}

/** Chroma banks depend on the tuning estimate: at most 100 per (sr, n_fft), ~100 KB each. */
const bankCache = new Lru<string, FilterBank>(128);

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

  // frequencies = linspace(0, sr, n_fft, endpoint=False)[1:]. librosa builds all n_fft columns and
  // keeps the first n_fft / 2 + 1; each column is computed on its own, so only those are computed.
  const nCols = (nFft >> 1) + 1;
  const step = sr / nFft;
  const a440 = 440.0 * 2.0 ** (tuning / nChroma);
  const nFrq = Math.min(nFft, nCols + 1);
  const frqbins = new Float64Array(nFrq);
  for (let i = 1; i < nFrq; i++) frqbins[i] = nChroma * Math.log2((i * step) / (a440 / 16));
  frqbins[0] = frqbins[1] - 1.5 * nChroma;
  const half = Math.round(nChroma / 2);
  // roll by -3 (base_c): output row c is librosa's row (c + shift) mod n_chroma; float32 values
  const shiftRows = 3 * Math.floor(nChroma / 12);
  const out = new Float64Array(nChroma * nCols);
  const col = new Float64Array(nChroma);
  for (let i = 0; i < nCols; i++) {
    const binwidth = i < nFft - 1 ? Math.max(frqbins[i + 1] - frqbins[i], 1.0) : 1;
    let s = 0;
    for (let c = 0; c < nChroma; c++) {
      const x = frqbins[i] - c + half + 10 * nChroma;
      const D = x - nChroma * Math.floor(x / nChroma) - half; // np.remainder
      const z = (2 * D) / binwidth;
      const w = Math.exp(-0.5 * z * z);
      col[c] = w;
      s += w ** 2;
    }
    const len = Math.sqrt(s);
    const o = (frqbins[i] / nChroma - ctroct) / octwidth;
    const octWeight = Math.exp(-0.5 * o * o);
    for (let c = 0; c < nChroma; c++) {
      const v = len < F32_TINY ? col[c] : col[c] / len;
      const dst = (((c - shiftRows) % nChroma) + nChroma) % nChroma;
      out[dst * nCols + i] = Math.fround(v * octWeight);
    }
  }
  const bank = filterBankFromDense(out, nChroma, nCols, 1e-12);
  bankCache.set(key, bank);
  return bank;
}

/**
 * Runs `use` with the chroma bank built in WASM (kernels.c chroma_bank_packed): chromaFilterBank's
 * arithmetic and its packed layout, bit for bit (tests/core/dsp/wasm/kernels.test.ts), ~10x faster:
 * every clip brings its own tuning estimate, so most clips of a corpus need a new bank.
 */
export function withChromaBankPacked<T>(opts: ChromaBankOptions, use: (b: BankPointers) => T): T {
  const nChroma = opts.nChroma ?? 12;
  const tuning = opts.tuning ?? 0;
  const ctroct = opts.ctroct ?? 5.0;
  const octwidth = opts.octwidth ?? 2.0;
  const { sr, nFft } = opts;
  const key = `${sr}/${nFft}/${nChroma}/${tuning}/${ctroct}/${octwidth}`;
  const a440 = 440.0 * 2.0 ** (tuning / nChroma);
  return withChromaBank(key, sr / nFft, a440 / 16, nChroma, nFft, ctroct, octwidth, use);
}

/** chroma_stft(S=|X|): raw projection then per-frame max normalisation; result [chroma][frame]. */
export function chromaStft(S: ArrayLike<number> | WasmF32, nFrames: number, opts: ChromaBankOptions): Float64Array {
  const raw = withChromaBankPacked(opts, (bank) => applyBankWasm(bank, S, nFrames, false));
  return normalizeColumns(raw, opts.nChroma ?? 12, nFrames, 'inf');
}
