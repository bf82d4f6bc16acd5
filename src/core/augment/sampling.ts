import type { Rng } from '../train/rng';

/** Uniform double in [0, 1) with 53 random bits (two 32-bit draws), like numpy's next_double. */
export function nextDouble(rng: Rng): number {
  const a = rng.nextUint32() >>> 5;
  const b = rng.nextUint32() >>> 6;
  return (a * 67108864 + b) / 9007199254740992;
}

/** numpy Generator.uniform(low, high): low + (high - low) * u. */
export function uniform(rng: Rng, low: number, high: number): number {
  return low + (high - low) * nextDouble(rng);
}

/** Fills `out` with N(0, 1) draws (Box-Muller, both values of each pair used). */
export function fillStandardNormal(rng: Rng, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - nextDouble(rng); // (0, 1]: log stays finite
    const u2 = nextDouble(rng);
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}
