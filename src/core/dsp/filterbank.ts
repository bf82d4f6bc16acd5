/**
 * A filter bank (rows x cols, dense row-major weights) with, per row, the runs of columns whose
 * weight is nonzero (rowRuns[r] .. rowRuns[r+1] index pairs [start, end) in `runs`).
 */
export interface FilterBank {
  nRows: number;
  nCols: number;
  weights: Float64Array;
  runs: Int32Array;
  rowRuns: Int32Array;
}

/**
 * Index the nonzero runs of a dense bank. Weights below `relativeFloor` x the bank's max are set
 * to zero first (the chroma bank's Gaussian tails reach 1e-30; 1e-12 keeps results within 1e-9).
 */
export function filterBankFromDense(weights: Float64Array, nRows: number, nCols: number, relativeFloor = 0): FilterBank {
  if (relativeFloor > 0) {
    let max = 0;
    for (let i = 0; i < weights.length; i++) max = Math.max(max, Math.abs(weights[i]));
    const floor = relativeFloor * max;
    for (let i = 0; i < weights.length; i++) if (Math.abs(weights[i]) < floor) weights[i] = 0;
  }
  const runs: number[] = [];
  const rowRuns = new Int32Array(nRows + 1);
  for (let r = 0; r < nRows; r++) {
    rowRuns[r] = runs.length / 2;
    let k = 0;
    while (k < nCols) {
      while (k < nCols && weights[r * nCols + k] === 0) k++;
      if (k === nCols) break;
      const start = k;
      while (k < nCols && weights[r * nCols + k] !== 0) k++;
      runs.push(start, k);
    }
  }
  rowRuns[nRows] = runs.length / 2;
  return { nRows, nCols, weights, runs: Int32Array.from(runs), rowRuns };
}

/** numpy.fft.rfftfreq(n_fft, 1/sr), computed the same way (k * (1 / (n * d))). */
export function fftFrequencies(sr: number, nFft: number): Float64Array {
  const val = 1.0 / (nFft * (1.0 / sr));
  const out = new Float64Array((nFft >> 1) + 1);
  for (let k = 0; k < out.length; k++) out[k] = k * val;
  return out;
}
