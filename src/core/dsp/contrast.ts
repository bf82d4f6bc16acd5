import { fftFrequencies } from './filterbank';
import { powerToDb } from './power_to_db';
import { type WasmF32, contrastBandsWasm, isWasmF32 } from './wasm/kernels';

export interface ContrastOptions {
  sr: number;
  nFft: number;
  fmin?: number;
  nBands?: number;
  quantile?: number;
}

interface Band {
  lo: number; // first bin sorted
  count: number; // bins sorted
  q: number;
}

const bandCache = new Map<string, Band[]>();

function contrastBands(nBins: number, opts: ContrastOptions): Band[] {
  const fmin = opts.fmin ?? 200.0;
  const nBands = opts.nBands ?? 6;
  const quantile = opts.quantile ?? 0.02;
  const key = `${opts.sr}/${opts.nFft}/${nBins}/${fmin}/${nBands}/${quantile}`;
  const cached = bandCache.get(key);
  if (cached) return cached;
  const freq = fftFrequencies(opts.sr, opts.nFft);
  const octa = [0];
  for (let i = 0; i <= nBands; i++) octa.push(fmin * 2.0 ** i);
  if (octa.slice(0, -1).some((f) => f >= 0.5 * opts.sr)) {
    // librosa raises the same error
    throw new Error(`spectral contrast: band ${fmin} * 2^${nBands - 1} Hz reaches the Nyquist frequency ${opts.sr / 2} Hz`);
  }
  const bands: Band[] = [];
  for (let k = 0; k <= nBands; k++) {
    const lo = octa[k];
    const hi = octa[k + 1];
    let first = -1;
    let lastIdx = -1;
    for (let i = 0; i < nBins; i++) {
      if (freq[i] >= lo && freq[i] <= hi) {
        if (first < 0) first = i;
        lastIdx = i;
      }
    }
    // librosa widens each band by the bin below it, and the last band to Nyquist
    let start = first;
    let end = lastIdx + 1;
    if (k > 0) start = first - 1;
    if (k === nBands) end = nBins;
    const selected = end - start;
    const q = Math.max(roundHalfEven(quantile * selected), 1); // np.rint
    // the last selected bin is dropped from the sort (but counted in q) except in the top band
    const count = k < nBands ? selected - 1 : selected;
    bands.push({ lo: start, count, q });
  }
  bandCache.set(key, bands);
  return bands;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x); // rounds .5 up
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** spectral_contrast on a frame-major magnitude spectrogram; result [nBands+1][frame]. */
export function spectralContrast(S: Float32Array | Float64Array | WasmF32, nFrames: number, nBins: number, opts: ContrastOptions): Float64Array {
  const bands = contrastBands(nBins, opts);
  if (S instanceof Float32Array || isWasmF32(S)) {
    // the same statistics in WASM (bit for bit) on librosa's float32 |X|
    const triples = Int32Array.from(bands.flatMap((b) => [b.lo, b.count, b.q]));
    const { valley, peak } = contrastBandsWasm(S, nFrames, nBins, triples);
    return contrastDb(peak, valley);
  }
  const nRows = bands.length;
  const valley = new Float64Array(nRows * nFrames);
  const peak = new Float64Array(nRows * nFrames);
  const maxQ = Math.max(...bands.map((b) => b.q));
  const low = new Float64Array(maxQ + 1); // ascending: the q smallest so far
  const high = new Float64Array(maxQ + 1); // descending: the q largest so far
  for (let k = 0; k < nRows; k++) {
    const { lo, count } = bands[k];
    // numpy's sorted[:q] holds all values of a band narrower than q (none: the mean is NaN)
    const q = Math.min(bands[k].q, count);
    for (let t = 0; t < nFrames; t++) {
      const base = t * nBins + lo;
      let nLow = 0;
      let nHigh = 0;
      for (let i = 0; i < count; i++) {
        const v = S[base + i];
        if (nLow < q || v < low[nLow - 1]) {
          let j = nLow < q ? nLow++ : nLow - 1;
          while (j > 0 && low[j - 1] > v) {
            low[j] = low[j - 1];
            j--;
          }
          low[j] = v;
        }
        if (nHigh < q || v > high[nHigh - 1]) {
          let j = nHigh < q ? nHigh++ : nHigh - 1;
          while (j > 0 && high[j - 1] < v) {
            high[j] = high[j - 1];
            j--;
          }
          high[j] = v;
        }
      }
      let v = 0;
      let p = 0;
      for (let i = 0; i < q; i++) {
        v += low[i];
        p += high[i];
      }
      valley[k * nFrames + t] = v / q;
      peak[k * nFrames + t] = p / q;
    }
  }
  return contrastDb(peak, valley);
}

function contrastDb(peak: Float64Array, valley: Float64Array): Float64Array {
  const pdb = powerToDb(peak);
  const vdb = powerToDb(valley);
  for (let i = 0; i < pdb.length; i++) pdb[i] -= vdb[i];
  return pdb;
}
