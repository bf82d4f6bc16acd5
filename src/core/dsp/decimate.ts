import { decimateHalfSoxrHq, soxrHqPlan } from '../audio/resample';
import type { Stage } from '../audio/soxr-design';
import { firDecimate2Wasm } from './wasm/kernels';

let halfStages: Stage[] | null = null;

/**
 * The CQT's octave step, `soxr.resample(y, 2, 1, quality='soxr_hq')` then fix_length(ceil(n/2)),
 * times `gain` (librosa's scale=True passes sqrt 2): soxr HQ's single 389-tap 2:1 stage run
 * entirely in WASM (float64 FFT convolution), bit for bit the generic float64 path of
 * audio/resample.ts, so within ~3e-7 of soxr itself.
 */
export function decimateHalf(x: Float64Array, gain = 1): Float64Array {
  const nOut = Math.ceil(x.length / 2);
  // held here for good: the filter array keys the WASM spectrum cache, so it must not be redesigned
  // after the shared plan cache evicts it (pitch shifting passes through many ratios)
  const stages = (halfStages ??= soxrHqPlan(2).stages);
  const only = stages[0];
  if (stages.length === 1 && only.kind === 'fir' && only.L === 1 && only.M === 2) return firDecimate2Wasm(x, only.h, nOut, gain);
  // not expected for soxr HQ at 2:1, but stay correct if the plan ever changes
  const y = decimateHalfSoxrHq(x);
  if (gain !== 1) for (let i = 0; i < y.length; i++) y[i] *= gain;
  return y;
}
