import { powerToDbWasm } from './wasm/kernels';

/**
 * librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80): the top_db floor is relative to the
 * maximum of the WHOLE matrix, not per frame. Returns a new array. Large inputs go to WASM (its
 * log10 is within a few ulp of Math.log10, ~5x faster than calling it per value).
 */
export function powerToDb(S: ArrayLike<number>, amin = 1e-10, topDb: number | null = 80.0): Float64Array {
  if (S.length >= 256) return powerToDbWasm(S, amin, topDb);
  return powerToDbJs(S, amin, topDb);
}

/**
 * The plain loop (Math.log10): powerToDb's path for small inputs, and the oracle powerToDbWasm is
 * tested against.
 */
export function powerToDbJs(S: ArrayLike<number>, amin = 1e-10, topDb: number | null = 80.0): Float64Array {
  const out = new Float64Array(S.length);
  let max = -Infinity;
  for (let i = 0; i < S.length; i++) {
    const v = 10.0 * Math.log10(Math.max(amin, S[i]));
    out[i] = v;
    if (v > max) max = v;
  }
  if (topDb !== null) {
    const floor = max - topDb;
    for (let i = 0; i < out.length; i++) if (out[i] < floor) out[i] = floor;
  }
  return out;
}
