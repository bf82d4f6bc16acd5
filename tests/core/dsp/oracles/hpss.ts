import { F32_TINY } from '../../../../src/core/dsp/normalize';
import { medianRows } from './median';

const f32 = Math.fround;

/**
 * Parity oracle of the WASM kernel harmonic_mask (src/core/dsp/hpss.ts harmonicMask, which
 * documents the mask): the same medians and float32 arithmetic in JS. Frame-major in and out.
 */
export function harmonicMaskJs(S: Float64Array, nFrames: number, nBins: number, kernel = 31): Float64Array {
  // medians run on float32 bit patterns (order-preserving for |X| >= 0): time medians on a
  // bin-major copy (contiguous rows), frequency medians on the frame-major one
  const n = S.length;
  const valuesF = new Float32Array(n);
  for (let i = 0; i < n; i++) valuesF[i] = S[i];
  const keys = new Int32Array(valuesF.buffer);
  const keysT = new Int32Array(n);
  for (let t = 0; t < nFrames; t++) for (let k = 0; k < nBins; k++) keysT[k * nFrames + t] = keys[t * nBins + k];
  const harmT = new Float32Array(n);
  const perc = new Float32Array(n);
  const harmTKeys = new Int32Array(harmT.buffer);
  const percKeys = new Int32Array(perc.buffer);
  medianRows(keysT, nBins, nFrames, kernel, harmTKeys);
  medianRows(keys, nFrames, nBins, kernel, percKeys);
  const mask = new Float64Array(n);
  for (let t = 0; t < nFrames; t++) {
    for (let k = 0, i = t * nBins; k < nBins; k++, i++) {
      const h = harmT[k * nFrames + t];
      const p = perc[i];
      const z = h > p ? h : p;
      if (z < F32_TINY) {
        mask[i] = 0.5;
        continue;
      }
      const rh = f32(h / z);
      const rp = f32(p / z);
      const mh = f32(rh * rh);
      const mp = f32(rp * rp);
      mask[i] = f32(mh / f32(mh + mp));
    }
  }
  return mask;
}
