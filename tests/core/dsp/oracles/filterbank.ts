import type { FilterBank } from '../../../../src/core/dsp/filterbank';

/**
 * Parity oracle of the WASM kernel bank_apply (src/core/dsp/wasm/kernels.ts applyFilterBankWasm,
 * which the mel and chroma blocks use): bank @ S for a frame-major S ([t * nCols + k]), result
 * feature-major ([row * nFrames + t]), summed run by run in column order.
 */
export function applyFilterBank(bank: FilterBank, S: Float64Array, nFrames: number): Float64Array {
  const { nRows, nCols, weights, runs, rowRuns } = bank;
  const out = new Float64Array(nRows * nFrames);
  for (let t = 0; t < nFrames; t++) {
    const base = t * nCols;
    for (let r = 0; r < nRows; r++) {
      const wBase = r * nCols;
      let acc = 0;
      for (let q = rowRuns[r]; q < rowRuns[r + 1]; q++) {
        const end = runs[2 * q + 1];
        for (let k = runs[2 * q]; k < end; k++) acc += weights[wBase + k] * S[base + k];
      }
      out[r * nFrames + t] = acc;
    }
  }
  return out;
}
