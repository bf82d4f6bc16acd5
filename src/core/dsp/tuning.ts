/**
 * librosa.estimate_tuning -> piptrack -> pitch_tuning, emulating librosa's float32 arithmetic
 * step by step: the result is the arg-max of a 0.01-wide histogram, so a last-bit difference in a
 * pitch can move the answer by a whole bin.
 */
import { type WasmF32, estimateTuningWasm, piptrackPeaksWasm } from './wasm/kernels';

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

/** The scan for piptrack's peaks over bins kLo .. kHi - 1: the WASM kernel, or in tests its JS parity oracle. */
export type PiptrackScan = typeof piptrackPeaksWasm;

/**
 * Pitches (float32 Hz) and magnitudes of piptrack's peaks, in no particular order, for a
 * frame-major float32-valued |X| (a Float64Array is read as float32).
 */
/** The bins piptrack scans (fmin <= f < fmax, bin 0 excluded) and its float32 threshold. */
export function piptrackBand(nBins: number, opts: TuningOptions): { kLo: number; kHi: number; threshold: number } {
  const { sr, nFft } = opts;
  const fmin = Math.max(opts.fmin ?? 150.0, 0);
  const fmax = Math.min(opts.fmax ?? 4000.0, sr / 2);
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
  return { kLo, kHi: Math.max(kLo, kHi), threshold: f32(opts.threshold ?? 0.1) };
}

export function piptrackPeaks(
  S: Float32Array | Float64Array | WasmF32,
  nFrames: number,
  nBins: number,
  opts: TuningOptions,
  scan: PiptrackScan = piptrackPeaksWasm,
): { pitches: Float64Array; mags: Float64Array } {
  const { kLo, kHi, threshold } = piptrackBand(nBins, opts);
  if (nFrames * nBins !== S.length) throw new Error(`piptrack: |X| of ${S.length} values for ${nFrames} x ${nBins}`);
  return scan(S instanceof Float64Array ? Float32Array.from(S) : S, nFrames, nBins, kLo, kHi, threshold, opts.sr, opts.nFft);
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

const edgesCache = new Map<number, Float64Array>();

/** pitch_tuning's histogram edges: linspace(-0.5, 0.5, ceil(1 / resolution) + 1). */
export function tuningEdges(resolution: number): Float64Array {
  let edges = edgesCache.get(resolution);
  if (!edges) {
    const nBins = Math.ceil(1.0 / resolution);
    edges = new Float64Array(nBins + 1);
    const step = 1.0 / nBins;
    for (let i = 0; i <= nBins; i++) edges[i] = i * step + -0.5;
    edges[nBins] = 0.5;
    edgesCache.set(resolution, edges);
  }
  return edges;
}

/** librosa.pitch_tuning on float32 frequencies; returns the left edge of the arg-max bin. */
export function pitchTuning(frequencies: ArrayLike<number>, binsPerOctave: number, resolution = 0.01): number {
  const edges = tuningEdges(resolution);
  const nBins = edges.length - 1;
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
export function estimateTuning(
  S: Float32Array | Float64Array | WasmF32,
  nFrames: number,
  nBins: number,
  opts: TuningOptions,
  scan: PiptrackScan = piptrackPeaksWasm,
): number {
  if (scan === piptrackPeaksWasm && !(S instanceof Float64Array)) {
    // all in WASM (kernels.c estimate_tuning): the same steps, bit for bit
    if (nFrames * nBins !== S.length) throw new Error(`piptrack: |X| of ${S.length} values for ${nFrames} x ${nBins}`);
    const { kLo, kHi, threshold } = piptrackBand(nBins, opts);
    const edges = tuningEdges(opts.resolution ?? 0.01);
    const best = estimateTuningWasm(S, nFrames, nBins, kLo, kHi, threshold, opts.sr, opts.nFft, opts.binsPerOctave, edges);
    return best < 0 ? 0.0 : edges[best];
  }
  const { pitches, mags } = piptrackPeaks(S, nFrames, nBins, opts, scan);
  const threshold = pitches.length > 0 ? medianFloat32(mags) : 0.0;
  const selected: number[] = [];
  for (let i = 0; i < pitches.length; i++) if (mags[i] >= threshold && pitches[i] > 0) selected.push(pitches[i]);
  return pitchTuning(selected, opts.binsPerOctave, opts.resolution ?? 0.01);
}
