import { fftFrequencies } from './filterbank';
import { roundHalfEven } from './numpyRound';
import { powerToDb } from './power_to_db';
import { type WasmF32, contrastBandsWasm } from './wasm/kernels';

export interface ContrastOptions {
  sr: number;
  nFft: number;
  fmin?: number;
  nBands?: number;
  quantile?: number;
}

const bandCache = new Map<string, Int32Array>();

/** Per band, (first bin sorted, bins sorted, quantile count q): the triples contrast_bands reads. */
export function contrastBands(nBins: number, opts: ContrastOptions): Int32Array {
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
  const bands: number[] = [];
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
    bands.push(start, count, q);
  }
  const triples = Int32Array.from(bands);
  bandCache.set(key, triples);
  return triples;
}

/** Per-band valley and peak statistics: the WASM kernel, or in tests its JS parity oracle. */
export type ContrastBandStats = typeof contrastBandsWasm;

/**
 * spectral_contrast on a frame-major float32-valued |X| (a Float64Array is read as float32);
 * result [nBands+1][frame]. The band statistics run in WASM (kernels.c contrast_bands).
 */
export function spectralContrast(
  S: Float32Array | Float64Array | WasmF32,
  nFrames: number,
  nBins: number,
  opts: ContrastOptions,
  bandStats: ContrastBandStats = contrastBandsWasm,
): Float64Array {
  const bands = contrastBands(nBins, opts);
  const { valley, peak } = bandStats(S instanceof Float64Array ? Float32Array.from(S) : S, nFrames, nBins, bands);
  return contrastDb(peak, valley);
}

export function contrastDb(peak: Float64Array, valley: Float64Array): Float64Array {
  const pdb = powerToDb(peak);
  const vdb = powerToDb(valley);
  for (let i = 0; i < pdb.length; i++) pdb[i] -= vdb[i];
  return pdb;
}
