import { decimateHalfSoxrHq } from '../audio/resample';
import { type Stage, planSoxrHq } from '../audio/soxr-design';
import { firDecimate2Wasm } from './wasm/kernels';

/**
 * The CQT's octave step, `soxr.resample(y, 2, 1, quality='soxr_hq')` then fix_length(ceil(n/2)),
 * times `gain` (librosa's scale=True passes sqrt 2): soxr HQ's single 389-tap 2:1 stage run
 * entirely in WASM (float64 FFT convolution). Equal to the JS float64 path of
 * audio/resample.ts to ~1e-15, so within ~3e-7 of soxr itself.
 */
let halfPlan: Stage[] | null = null;

export function decimateHalf(x: Float64Array, gain = 1): Float64Array {
  const nOut = Math.ceil(x.length / 2);
  const stages = (halfPlan ??= planSoxrHq(2).stages); // designed once: the filter is the cache key
  const only = stages[0];
  if (stages.length === 1 && only.kind === 'fir' && only.L === 1 && only.M === 2) return firDecimate2Wasm(x, only.h, nOut, gain);
  // not expected for soxr HQ at 2:1, but stay correct if the plan ever changes
  const y = decimateHalfSoxrHq(x);
  if (gain !== 1) for (let i = 0; i < y.length; i++) y[i] *= gain;
  return y;
}
