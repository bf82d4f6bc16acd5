/**
 * librosa.estimate_tuning -> piptrack -> pitch_tuning, emulating librosa's float32 arithmetic
 * step by step: the result is the arg-max of a 0.01-wide histogram, so a last-bit difference in a
 * pitch can move the answer by a whole bin.
 */
import { type WasmF32, isWasmF32, piptrackPeaksWasm } from './wasm/kernels';

const f32 = Math.fround;

export interface TuningOptions {
  sr: number;
  nFft: number;
  binsPerOctave: number;
  fmin?: number;
  fmax?: number;
  threshold?: number;
  resolution?: number;
}

/** Pitches (float32 Hz) and magnitudes of piptrack's peaks, in no particular order. */
export function piptrackPeaks(
  S: Float32Array | Float64Array | WasmF32,
  nFrames: number,
  nBins: number,
  opts: TuningOptions,
): { pitches: Float64Array; mags: Float64Array } {
  const { sr, nFft } = opts;
  const fmin = Math.max(opts.fmin ?? 150.0, 0);
  const fmax = Math.min(opts.fmax ?? 4000.0, sr / 2);
  const threshold = f32(opts.threshold ?? 0.1);
  const binHz = 1.0 / (nFft * (1.0 / sr));
  let kLo = nBins;
  let kHi = 0;
  for (let k = 0; k < nBins; k++) {
    const f = k * binHz;
    if (fmin <= f && f < fmax) {
      kLo = Math.min(kLo, k);
      kHi = Math.max(kHi, k + 1);
    }
  }
  // bin 0 is never a local max (edge padding), so it can be skipped whatever fmin is
  kLo = Math.max(kLo, 1);
  if ((S instanceof Float32Array || isWasmF32(S)) && nFrames * nBins === S.length) {
    return piptrackPeaksWasm(S, nFrames, nBins, kLo, Math.max(kLo, kHi), threshold, sr, nFft);
  }
  if (isWasmF32(S)) throw new Error(`piptrack: |X| of ${S.length} values for ${nFrames} x ${nBins}`);
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
}

/** np.median of float32 values (the mean of the two middle ones is taken in float32). NaN-free input. */
export function medianFloat32(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  const v = Float64Array.from(values);
  const k = (n - 1) >> 1;
  const lower = selectKth(v, k);
  if (n % 2 === 1) return lower;
  // everything after k is >= v[k] now: the upper middle value is their minimum
  let upper = Infinity;
  for (let i = k + 1; i < n; i++) if (v[i] < upper) upper = v[i];
  return f32(f32(lower + upper) / 2);
}

/** Hoare quickselect: reorders a so that a[k] is its k-th smallest (0-based), a[..k] <= a[k] <= a[k..]. */
function selectKth(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    // median-of-three pivot keeps sorted and reversed inputs linear
    const x = a[lo], y = a[mid], z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

/** librosa.pitch_tuning on float32 frequencies; returns the left edge of the arg-max bin. */
export function pitchTuning(frequencies: ArrayLike<number>, binsPerOctave: number, resolution = 0.01): number {
  const nBins = Math.ceil(1.0 / resolution);
  const edges = new Float64Array(nBins + 1);
  const step = 1.0 / nBins;
  for (let i = 0; i <= nBins; i++) edges[i] = i * step + -0.5;
  edges[nBins] = 0.5;
  const counts = new Int32Array(nBins);
  let any = false;
  for (let i = 0; i < frequencies.length; i++) {
    const f = frequencies[i];
    if (!(f > 0)) continue;
    any = true;
    const octs = f32(Math.log2(f32(f / (440.0 / 16))));
    const x = f32(binsPerOctave * octs);
    let r = f32(x - Math.floor(x));
    if (r >= 0.5) r = f32(r - 1.0);
    if (r < edges[0] || r > edges[nBins]) continue;
    let b = Math.min(nBins - 1, Math.max(0, Math.floor((r - edges[0]) * nBins)));
    while (b > 0 && r < edges[b]) b--;
    while (b < nBins - 1 && r >= edges[b + 1]) b++;
    counts[b]++;
  }
  if (!any) return 0.0;
  let best = 0;
  for (let i = 1; i < nBins; i++) if (counts[i] > counts[best]) best = i;
  return edges[best];
}

/** librosa.estimate_tuning(S=magnitude) for a frame-major float32-valued |X|. */
export function estimateTuning(S: Float32Array | Float64Array | WasmF32, nFrames: number, nBins: number, opts: TuningOptions): number {
  const { pitches, mags } = piptrackPeaks(S, nFrames, nBins, opts);
  const threshold = pitches.length > 0 ? medianFloat32(mags) : 0.0;
  const selected: number[] = [];
  for (let i = 0; i < pitches.length; i++) if (mags[i] >= threshold && pitches[i] > 0) selected.push(pitches[i]);
  return pitchTuning(selected, opts.binsPerOctave, opts.resolution ?? 0.01);
}
