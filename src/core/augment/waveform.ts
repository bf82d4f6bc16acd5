import { Rng } from '../train/rng';
import { NOISE_FACTOR, type Augmented } from './params';
import { fillStandardNormal } from './sampling';

/** y + factor * max|y| * N(0,1), the Gaussian draw seeded by `noiseSeed` (float64 sum, then float32). */
export function addNoise(
  y: ArrayLike<number>,
  noiseSeed: number,
  factor = NOISE_FACTOR,
): Augmented<{ aug: 'noise'; noiseSeed: number; factor: number; noiseAmp: number }> {
  let peak = 0;
  for (let i = 0; i < y.length; i++) peak = Math.max(peak, Math.abs(y[i]));
  const noiseAmp = factor * peak;
  const z = fillStandardNormal(new Rng(noiseSeed), new Float64Array(y.length));
  const out = new Float32Array(y.length);
  for (let i = 0; i < out.length; i++) out[i] = y[i] + noiseAmp * z[i];
  return { y: out, params: { aug: 'noise', noiseSeed, factor, noiseAmp } };
}

/** np.roll(y, k): sample i moves to (i + k) mod n; k may be negative or exceed n. */
export function timeShift(y: ArrayLike<number>, k: number): Augmented<{ aug: 'shift'; shiftSamples: number }> {
  if (!Number.isInteger(k)) throw new RangeError(`timeShift: shift must be an integer, got ${k}`);
  const n = y.length;
  const out = new Float32Array(n);
  if (n > 0) {
    const s = ((k % n) + n) % n;
    for (let i = 0; i < n; i++) out[(i + s) % n] = y[i];
  }
  return { y: out, params: { aug: 'shift', shiftSamples: k } };
}

/** y * g as numpy does for a float32 array times a Python float: float32 multiply by float32(g). */
export function applyGain(y: ArrayLike<number>, g: number): Augmented<{ aug: 'gain'; gain: number }> {
  const g32 = Math.fround(g);
  const out = new Float32Array(y.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.fround(y[i]) * g32;
  return { y: out, params: { aug: 'gain', gain: g } };
}
