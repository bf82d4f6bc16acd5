import type { PiptrackScan } from '../../../../src/core/dsp/tuning';
import { isWasmF32 } from '../../../../src/core/dsp/wasm/kernels';

const f32 = Math.fround;

/**
 * Parity oracle of the WASM kernel piptrack_peaks (kernels.ts piptrackPeaksWasm, same arguments):
 * piptrack's peaks over bins kLo .. kHi - 1 of a frame-major float32 |X|, emulating librosa's
 * float32 arithmetic step by step. Pass it to piptrackPeaks / estimateTuning as their `scan`.
 */
export const piptrackPeaksJs: PiptrackScan = (S, nFrames, nBins, kLo, kHi, threshold, sr, nFft) => {
  if (isWasmF32(S)) throw new Error('piptrackPeaksJs reads JS arrays only');
  const pitches: number[] = [];
  const mags: number[] = [];
  const last = nBins - 1;
  for (let t = 0; t < nFrames; t++) {
    const o = t * nBins;
    let max = 0;
    for (let k = 0; k < nBins; k++) if (S[o + k] > max) max = S[o + k];
    const ref = f32(threshold * max);
    const xAt = (k: number): number => (S[o + k] > ref ? S[o + k] : 0);
    for (let k = kLo; k < kHi; k++) {
      const x = xAt(k);
      const isMax = k === last ? x > xAt(k - 1) : x > xAt(k - 1) && x >= xAt(k + 1);
      if (!isMax) continue;
      let shift = 0;
      let avg: number;
      if (k === last) {
        avg = f32(S[o + k] - S[o + k - 1]);
      } else {
        const s0 = S[o + k - 1];
        const s1 = S[o + k];
        const s2 = S[o + k + 1];
        // the numba stencil: float32 sums, then `2 * x` and `/ 2` promote to float64
        const a = f32(s2 + s0) - 2 * s1;
        const b = f32(s2 - s0) / 2;
        shift = Math.abs(b) >= Math.abs(a) ? 0 : f32(-b / a);
        avg = f32(s2 - s0) / 2; // np.gradient (float32, exact halving)
      }
      const dskew = f32(f32(0.5 * avg) * shift);
      pitches.push(f32(((k + shift) * sr) / nFft));
      mags.push(f32(S[o + k] + dskew));
    }
  }
  return { pitches: Float64Array.from(pitches), mags: Float64Array.from(mags) };
};
