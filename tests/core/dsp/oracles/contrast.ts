import type { ContrastBandStats } from '../../../../src/core/dsp/contrast';
import { isWasmF32 } from '../../../../src/core/dsp/wasm/kernels';

/**
 * Parity oracle of the WASM kernel contrast_bands (kernels.ts contrastBandsWasm, same arguments):
 * per band triple (lo, count, q) and frame, the mean of the q smallest and of the q largest of
 * S[lo .. lo + count), by insertion into two sorted lists. Outputs [band][frame]. Pass it to
 * spectralContrast as its `bandStats`.
 */
export const contrastBandsJs: ContrastBandStats = (S, nFrames, nBins, bands) => {
  if (isWasmF32(S)) throw new Error('contrastBandsJs reads JS arrays only');
  const nRows = bands.length / 3;
  const valley = new Float64Array(nRows * nFrames);
  const peak = new Float64Array(nRows * nFrames);
  let maxQ = 1;
  for (let k = 0; k < nRows; k++) maxQ = Math.max(maxQ, bands[3 * k + 2]);
  const low = new Float64Array(maxQ + 1); // ascending: the q smallest so far
  const high = new Float64Array(maxQ + 1); // descending: the q largest so far
  for (let k = 0; k < nRows; k++) {
    const lo = bands[3 * k];
    const count = bands[3 * k + 1];
    // numpy's sorted[:q] holds all values of a band narrower than q (none: the mean is NaN)
    const q = Math.min(bands[3 * k + 2], count);
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
  return { valley, peak };
};
