import { realFft64 } from './fft64';
import { Lru } from './lru';
import { fftIsReady } from './fft';
import { decimateHalf } from './decimate';
import { planRuns } from '../audio/soxr-exact';
import { soxrHqPlan } from '../audio/resample';
import {
  type BasisRowValues,
  type CqtCompactOctave,
  type CqtRowHolder,
  type CqtSharedRow,
  type CqtWasmSpec,
  type SoxrStageRun,
  type WasmF64,
  cqtBasisRowWasm,
  cqtOctaveWasm,
  cqtWasm,
  isWasmF64,
} from './wasm/kernels';

/** A 2:1 decimator matching soxr.resample(y, 2, 1, 'soxr_hq') + fix_length(ceil(n/2)), no gain. */
export type HalfDecimator = (x: Float64Array) => Float64Array;

export const C1_HZ = 440.0 * 2.0 ** ((24 - 69) / 12.0);

/** librosa.filters.WINDOW_BANDWIDTHS['hann'] */
const HANN_BANDWIDTH = 1.50018310546875;

export interface CqtOptions {
  sr: number;
  tuning: number;
  /** Default: soxr HQ's 2:1 stage in WASM (dsp/decimate). */
  decimate?: HalfDecimator;
  hop?: number;
  fmin?: number;
  nBins?: number;
  binsPerOctave?: number;
  sparsity?: number;
  /** FFT of the per-octave STFTs: librosa works in complex64 here, so float32 pffft is enough
   *  (default when initFft() has run, else the float64 JS FFT). */
  precision?: 'f64' | 'f32';
}

const ratioCache = new Map<string, Float64Array>();

/** cqt_frequencies / interval_frequencies(sort=True) at fmin * 2^(tuning/bpo). */
export function cqtFrequencies(nBins: number, fmin: number, binsPerOctave: number, tuning: number): Float64Array {
  const f0 = fmin * 2.0 ** (tuning / binsPerOctave);
  // the sorted interval ratios do not depend on the tuning: made once per geometry
  const key = `${nBins}/${binsPerOctave}`;
  let ratios = ratioCache.get(key);
  if (!ratios) {
    const nOct = Math.ceil(nBins / binsPerOctave);
    const all: number[] = [];
    for (let o = 0; o < nOct; o++) for (let j = 0; j < binsPerOctave; j++) all.push(2.0 ** o * 2.0 ** (j / binsPerOctave));
    ratios = Float64Array.from(all.slice(0, nBins).sort((a, b) => a - b));
    if (ratioCache.size >= 64) ratioCache.clear();
    ratioCache.set(key, ratios);
  }
  const out = new Float64Array(nBins);
  for (let i = 0; i < nBins; i++) out[i] = ratios[i] * f0;
  return out;
}

/**
 * filters._relative_bandwidth: per-bin alpha from the log-frequency spacing. Plain loops, no
 * callbacks: this runs once per clip (per tuning), and a small function is cheap for V8 to optimise.
 */
function relativeBandwidth(freqs: Float64Array): Float64Array {
  const n = freqs.length;
  const logf = new Float64Array(n);
  for (let i = 0; i < n; i++) logf[i] = Math.log2(freqs[i]);
  const alpha = new Float64Array(n);
  alpha[0] = 1 / (logf[1] - logf[0]);
  alpha[n - 1] = 1 / (logf[n - 1] - logf[n - 2]);
  for (let i = 1; i < n - 1; i++) alpha[i] = 2 / (logf[i + 1] - logf[i - 1]);
  // alpha[i] held bins per octave until here
  for (let i = 0; i < n; i++) {
    const b = alpha[i];
    alpha[i] = (2.0 ** (2 / b) - 1) / (2.0 ** (2 / b) + 1);
  }
  return alpha;
}

/** Sparse rows of an octave's frequency-domain basis (already scaled by sqrt(sr / rate)). */
interface OctaveBasis {
  nFft: number;
  rowStart: Int32Array; // nRows + 1
  /** 2 * FFT bin: the real part's index in an interleaved spectrum */
  idx: Int32Array;
  re: Float64Array;
  /** (-im, im) pairs: the WASM product's second factor (the imaginary parts at odd indices) */
  imPairs: Float64Array;
}

type BasisRow = BasisRowValues;

/** A computed basis row and the geometry it was computed for (rows are shared between octaves). */
interface SharedRow {
  nFft: number;
  lo: number;
  hi: number;
  ilen: number;
  row: BasisRow;
}

/**
 * __vqt_filter_fft for one octave at sample rate `rate` (hann wavelets, L1 norm, pad to 2^k).
 * A row depends on freq / rate, the integer window geometry and (continuously) ilen; octaves
 * are the same wavelets at halved rates, so rows are shared through `rowCache` (keyed by freq / rate)
 * when freq / rate, nFft and the window geometry are identical, and only their ilen / nFft factor
 * is re-applied.
 */
function octaveBasis(
  freqs: Float64Array,
  alpha: Float64Array,
  rate: number,
  sr: number,
  sparsity: number,
  rowCache: Map<number, SharedRow[]>,
): OctaveBasis {
  const n = freqs.length;
  const lengths = new Float64Array(n);
  let maxLength = -Infinity;
  for (let i = 0; i < n; i++) {
    lengths[i] = ((1.0 / alpha[i]) * rate) / (freqs[i] + 0);
    maxLength = Math.max(maxLength, lengths[i]);
  }
  const nFft = 2 ** Math.ceil(Math.log2(maxLength));
  const gain = Math.sqrt(sr / rate);
  const rows: BasisRow[] = [];
  const ratios = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    const ilen = lengths[r];
    const lo = Math.floor(-ilen / 2);
    const hi = Math.floor(ilen / 2);
    const key = freqs[r] / rate;
    let shared = rowCache.get(key);
    let hit = shared?.find((e) => e.nFft === nFft && e.lo === lo && e.hi === hi);
    if (!hit) {
      hit = { nFft, lo, hi, ilen, row: cqtBasisRowWasm(freqs[r], rate, ilen, nFft, sparsity) };
      if (shared) shared.push(hit);
      else rowCache.set(key, (shared = [hit]));
    }
    rows.push(hit.row);
    ratios[r] = hit.ilen === ilen ? gain : gain * (ilen / hit.ilen);
    total += hit.row.bins.length;
  }
  const rowStart = new Int32Array(n + 1);
  const idx = new Int32Array(total);
  const re = new Float64Array(total);
  const imPairs = new Float64Array(2 * total);
  let at = 0;
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    rowStart[r] = at;
    for (let j = 0; j < row.bins.length; j++, at++) {
      idx[at] = 2 * row.bins[j];
      re[at] = row.re[j] * ratios[r];
      const v = row.im[j] * ratios[r];
      imPairs[2 * at] = -v;
      imPairs[2 * at + 1] = v;
    }
  }
  rowStart[n] = at;
  return { nFft, rowStart, idx, re, imPairs };
}

interface CqtPlan {
  freqs: Float64Array;
  lengths: Float64Array; // at the full rate, for the final scaling
  /** 1 / sqrt(lengths) */
  scales: Float64Array;
  octaves: OctaveBasis[]; // top octave first
}

/** CQT bases depend on the tuning estimate: at most 100 per geometry, ~150 KB each. */
const planCache = new Lru<string, CqtPlan>(128);

/** A plan for the WASM path: the distinct wavelet rows (computed in WASM memory) and how octaves use them. */
interface CqtCompactPlan {
  freqs: Float64Array;
  scales: Float64Array;
  rows: CqtSharedRow[];
  octaves: CqtCompactOctave[];
  holder: CqtRowHolder;
}

/** CQT bases depend on the tuning estimate: at most 100 per geometry, ~15 KB of rows each. */
const compactCache = new Lru<string, CqtCompactPlan>(128);

/**
 * cqtPlan's geometry without the rows themselves: the same per-octave lengths, FFT sizes, gains,
 * row sharing (octaveBasis's rule) and scale factors; the rows are computed in WASM when first used.
 */
function cqtPlanCompact(sr: number, fmin: number, nBins: number, bpo: number, tuning: number, sparsity: number): CqtCompactPlan {
  const key = `${sr}/${fmin}/${nBins}/${bpo}/${tuning}/${sparsity}`;
  const cached = compactCache.get(key);
  if (cached) return cached;
  const { freqs, alpha } = tunedBands(nBins, fmin, bpo, tuning);
  const plan = { freqs, scales: filterScales(freqs, alpha, sr), ...octaveGeometry(freqs, alpha, sr, bpo), holder: {} };
  compactCache.set(key, plan);
  return plan;
}

/** 1 / sqrt(filter length) per bin at the full rate. */
function filterScales(freqs: Float64Array, alpha: Float64Array, sr: number): Float64Array {
  const scales = new Float64Array(freqs.length);
  for (let i = 0; i < freqs.length; i++) scales[i] = 1 / Math.sqrt(((1.0 / alpha[i]) * sr) / (freqs[i] + 0));
  return scales;
}

/**
 * Per octave (top first, the rate halving each time): the filter lengths, the FFT size and which
 * distinct wavelet row each bin uses (octaveBasis's sharing rule: the same freq / rate, FFT size and
 * integer window geometry) with its scale. Flat loops over arrays (no maps or callbacks): V8
 * optimises this per-clip code in a few ms instead of tens.
 */
function octaveGeometry(freqs: Float64Array, alpha: Float64Array, sr: number, bpo: number): { rows: CqtSharedRow[]; octaves: CqtCompactOctave[] } {
  const nBins = freqs.length;
  const nOct = Math.ceil(nBins / bpo);
  const rows: CqtSharedRow[] = [];
  // per distinct row: freq / rate, FFT size, window start and end (the sharing rule's key)
  const rowKey: number[] = [];
  const rowFft: number[] = [];
  const rowA: number[] = [];
  const rowB: number[] = [];
  const octaves: CqtCompactOctave[] = [];
  const lengths = new Float64Array(bpo);
  let rate = sr;
  for (let o = 0; o < nOct; o++) {
    const hi = nBins - bpo * o;
    const lo = Math.max(0, hi - bpo);
    const n = hi - lo;
    let maxLength = -Infinity;
    for (let i = 0; i < n; i++) {
      lengths[i] = ((1.0 / alpha[lo + i]) * rate) / (freqs[lo + i] + 0);
      maxLength = Math.max(maxLength, lengths[i]);
    }
    const nFft = 2 ** Math.ceil(Math.log2(maxLength));
    const gain = Math.sqrt(sr / rate);
    const rowIdx = new Int32Array(n);
    const ratios = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const ilen = lengths[r];
      const a = Math.floor(-ilen / 2);
      const b = Math.floor(ilen / 2);
      const k = freqs[lo + r] / rate;
      let q = 0;
      while (q < rows.length && !(rowKey[q] === k && rowFft[q] === nFft && rowA[q] === a && rowB[q] === b)) q++;
      if (q === rows.length) {
        rows.push({ freq: freqs[lo + r], rate, ilen, nFft });
        rowKey.push(k);
        rowFft.push(nFft);
        rowA.push(a);
        rowB.push(b);
      }
      rowIdx[r] = q;
      ratios[r] = rows[q].ilen === ilen ? gain : gain * (ilen / rows[q].ilen);
    }
    octaves.push({ nFft, rowIdx, ratios });
    rate /= 2.0;
  }
  return { rows, octaves };
}

function cqtPlan(sr: number, fmin: number, nBins: number, bpo: number, tuning: number, sparsity: number): CqtPlan {
  const key = `${sr}/${fmin}/${nBins}/${bpo}/${tuning}/${sparsity}`;
  const cached = planCache.get(key);
  if (cached) return cached;
  const freqs = cqtFrequencies(nBins, fmin, bpo, tuning);
  const alpha = relativeBandwidth(freqs);
  const lengths = new Float64Array(nBins);
  for (let i = 0; i < nBins; i++) lengths[i] = ((1.0 / alpha[i]) * sr) / (freqs[i] + 0);
  const nOct = Math.ceil(nBins / bpo);
  const octaves: OctaveBasis[] = [];
  const rowCache = new Map<number, SharedRow[]>();
  let rate = sr;
  for (let i = 0; i < nOct; i++) {
    const hi = nBins - bpo * i;
    const lo = Math.max(0, hi - bpo);
    octaves.push(octaveBasis(freqs.subarray(lo, hi), alpha.subarray(lo, hi), rate, sr, sparsity, rowCache));
    rate /= 2.0;
  }
  const plan = { freqs, lengths, scales: lengths.map((l) => 1 / Math.sqrt(l)), octaves };
  planCache.set(key, plan);
  return plan;
}

let paddedBuffer = new Float32Array(0);

/** Signals up to ~1 min at 44.1 kHz reuse one buffer; longer ones get their own (not kept). */
const KEEP_PADDED = 1 << 22;

function paddedScratch(n: number): Float32Array {
  if (n > KEEP_PADDED) return new Float32Array(n);
  if (paddedBuffer.length < n) paddedBuffer = new Float32Array(n);
  return paddedBuffer.subarray(0, n);
}

/**
 * One octave: basis @ stft(y, n_fft, hop, window=ones, center, zero pad), complex, [row][frame].
 * On the float32 path (pffft frames, products in WASM) as librosa's complex64; else all float64 in
 * JS: the fallback when pffft is not loaded (or n_fft is not a multiple of 32), not a test oracle.
 */
function octaveResponse(
  y: ArrayLike<number>,
  basis: OctaveBasis,
  hop: number,
  precision: 'f32' | 'f64',
): { outRe: Float64Array; outIm: Float64Array; T: number } {
  const nFft = basis.nFft;
  const half = nFft >> 1;
  const pad = half;
  const T = 1 + Math.floor(y.length / hop);
  const { rowStart, idx, re, imPairs } = basis;
  // pffft's real transform needs a multiple of 32 points
  if (precision === 'f32' && nFft % 32 === 0) {
    // float32 once (frames overlap up to nFft / hop times in the low octaves), in a buffer kept
    // between calls: per-clip allocations of this size cost more than the copy when workers run
    const padded = paddedScratch(y.length + 2 * pad);
    padded.fill(0, 0, pad);
    padded.set(y, pad);
    padded.fill(0, pad + y.length);
    return { ...cqtOctaveWasm(nFft, padded, hop, T, basis), T };
  }
  const nRows = rowStart.length - 1;
  const outRe = new Float64Array(nRows * T);
  const outIm = new Float64Array(nRows * T);
  // spectrum of one frame as [re0, im0, re1, im1, ..., re_half, im_half]
  const spec = new Float64Array(nFft + 2);
  const fft = realFft64(nFft);
  const padded = new Float64Array(y.length + 2 * pad);
  padded.set(y, pad);
  const frame = new Float64Array(nFft);
  const specRe = new Float64Array(half + 1);
  const specIm = new Float64Array(half + 1);
  for (let t = 0; t < T; t++) {
    frame.set(padded.subarray(t * hop, t * hop + nFft));
    fft.forward(frame, specRe, specIm);
    for (let k = 0; k <= half; k++) {
      spec[2 * k] = specRe[k];
      spec[2 * k + 1] = specIm[k];
    }
    dotRows(spec, rowStart, idx, re, imPairs, nRows, outRe, outIm, t, T);
  }
  return { outRe, outIm, T };
}

/** Sparse basis rows times one interleaved spectrum, written to column t of the outputs. */
function dotRows(
  spec: Float64Array,
  rowStart: Int32Array,
  idx: Int32Array,
  re: Float64Array,
  imPairs: Float64Array,
  nRows: number,
  outRe: Float64Array,
  outIm: Float64Array,
  t: number,
  T: number,
): void {
  for (let r = 0; r < nRows; r++) {
    let accRe = 0;
    let accIm = 0;
    for (let j = rowStart[r]; j < rowStart[r + 1]; j++) {
      const k = idx[j];
      const dr = spec[k];
      const di = spec[k + 1];
      const im = imPairs[2 * j + 1];
      accRe += re[j] * dr - im * di;
      accIm += re[j] * di + im * dr;
    }
    outRe[r * T + t] = accRe;
    outIm[r * T + t] = accIm;
  }
}

/** A tuning's filter centres and relative bandwidths, and how far its top filter reaches. */
interface TunedBands {
  freqs: Float64Array;
  alpha: Float64Array;
  /** librosa's filter_cutoff of the top filter */
  cutoff: number;
}

/** Per geometry and tuning (0.01-bin steps: at most 100 per geometry): the early-downsampling decision and the plan share them. */
const bandsCache = new Lru<string, TunedBands>(256);

function tunedBands(nBins: number, fmin: number, bpo: number, tuning: number): TunedBands {
  return bandsCache.getOrCreate(`${nBins}/${fmin}/${bpo}/${tuning}`, () => {
    const freqs = cqtFrequencies(nBins, fmin, bpo, tuning);
    const alpha = relativeBandwidth(freqs);
    return { freqs, alpha, cutoff: maxFilterCutoff(freqs, alpha) };
  });
}

/** The highest frequency the CQT's top filter reaches (librosa's filter_cutoff), per geometry. */
function topFilterCutoff(nBins: number, fmin: number, bpo: number, tuning: number): number {
  return tunedBands(nBins, fmin, bpo, tuning).cutoff;
}

function maxFilterCutoff(freqs: Float64Array, alpha: Float64Array): number {
  let cutoff = 0;
  for (let i = 0; i < freqs.length; i++) cutoff = Math.max(cutoff, freqs[i] * (1 + (0.5 * HANN_BANDWIDTH) / (1 / alpha[i])));
  return cutoff;
}

export interface CqtResult {
  /** |CQT| [bin][frame], bins ascending in frequency. */
  magnitude: Float64Array;
  nBins: number;
  nFrames: number;
  freqs: Float64Array;
}

/** The soxr HQ 2:1 plan, prepared for the WASM kernels per input length (bit-exact, float32). */
function halveRuns(n: number): { stages: SoxrStageRun[]; counts: number[] } {
  return planRuns(soxrHqPlan(2), Math.ceil(n / 2));
}

/**
 * |librosa.cqt(y, sr, hop, fmin=C1, n_bins=252, bins_per_octave=36, tuning)|: per octave (top first)
 * a boxcar STFT times the sparse basis, then a 2:1 decimation (times sqrt 2) for the next octave.
 * After initFft() (precision 'f32', no custom `decimate`) everything runs in WASM memory as librosa
 * does it in float32: octave signals from python-soxr's 2:1 stage bit for bit, scaled and rounded
 * to float32 as librosa.resample(scale=True) leaves them (kernels.ts cqtWasm). Otherwise in JS with
 * float64 octave signals (dsp/decimate, or the `decimate` given).
 */
export function cqtMagnitude(y: ArrayLike<number>, opts: CqtOptions): CqtResult {
  const r = cqtCompute(y, opts, false);
  return { ...r, magnitude: r.magnitude as Float64Array };
}

/**
 * cqtMagnitude of a signal resident in WASM memory (float32 values), its magnitude left there too
 * (inside withWasmSession, after initFft()).
 */
export function cqtMagnitudeResident(y: WasmF64, opts: CqtOptions): { magnitude: WasmF64; nBins: number; nFrames: number; freqs: Float64Array } {
  const r = cqtCompute(y, opts, true);
  if (!isWasmF64(r.magnitude)) throw new Error('cqtMagnitudeResident: the WASM path did not apply');
  return { ...r, magnitude: r.magnitude };
}

/**
 * The WASM path's CQT geometry for a tuning (for extract-long.ts, which runs the octaves itself): the
 * plan and the number of early 2:1 steps, or null when that path does not apply (no pffft size).
 */
export function cqtWasmGeometry(
  sr: number,
  tuning: number,
  opts: { hop?: number; fmin?: number; nBins?: number; binsPerOctave?: number; sparsity?: number } = {},
): { spec: Omit<CqtWasmSpec, 'halve' | 'early' | 'hop'>; early: number; freqs: Float64Array } | null {
  const hop = opts.hop ?? 512;
  const fmin = opts.fmin ?? C1_HZ;
  const nBins = opts.nBins ?? 252;
  const bpo = opts.binsPerOctave ?? 36;
  const nOctaves = Math.ceil(nBins / bpo);
  const cutoff = topFilterCutoff(nBins, fmin, bpo, tuning);
  const nyquist = sr / 2.0;
  if (cutoff > nyquist) throw new Error(`CQT: top filter reaches ${cutoff.toFixed(1)} Hz, above the Nyquist frequency ${nyquist} Hz`);
  let twos = 0;
  for (let h = hop; h % 2 === 0 && h > 0; h /= 2) twos++;
  const early = Math.min(Math.max(0, Math.ceil(Math.log2(nyquist / cutoff)) - 1 - 1), Math.max(0, twos - nOctaves + 1));
  const sparsity = opts.sparsity ?? 0.01;
  const compact = cqtPlanCompact(sr / 2 ** early, fmin, nBins, bpo, tuning, sparsity);
  if (!compact.octaves.every((o) => o.nFft % 32 === 0)) return null;
  return {
    spec: { rows: compact.rows, sparsity, holder: compact.holder, octaves: compact.octaves, scales: compact.scales, nBins },
    early,
    freqs: compact.freqs,
  };
}

/** The exact soxr HQ 2:1 stage (planRuns) for an n-sample octave signal. */
export { halveRuns as cqtHalveRuns };

function cqtCompute(y: ArrayLike<number> | WasmF64, opts: CqtOptions, resident: boolean): { magnitude: Float64Array | WasmF64; nBins: number; nFrames: number; freqs: Float64Array } {
  let sr = opts.sr;
  let hop = opts.hop ?? 512;
  const fmin = opts.fmin ?? C1_HZ;
  const nBins = opts.nBins ?? 252;
  const bpo = opts.binsPerOctave ?? 36;
  const nOctaves = Math.ceil(nBins / bpo);

  // librosa's early downsampling: at high sample rates the signal is first decimated as far as
  // the filters and the hop allow (once at 44.1/48 kHz, never at 22.05 kHz)
  const cutoff = topFilterCutoff(nBins, fmin, bpo, opts.tuning);
  const nyquist = sr / 2.0;
  if (cutoff > nyquist) {
    throw new Error(`CQT: top filter reaches ${cutoff.toFixed(1)} Hz, above the Nyquist frequency ${nyquist} Hz`);
  }
  let twos = 0;
  for (let h = hop; h % 2 === 0 && h > 0; h /= 2) twos++;
  const early = Math.min(
    Math.max(0, Math.ceil(Math.log2(nyquist / cutoff)) - 1 - 1),
    Math.max(0, twos - nOctaves + 1),
  );
  const precision = opts.precision ?? (fftIsReady() ? 'f32' : 'f64');
  const custom = opts.decimate;
  const sparsity = opts.sparsity ?? 0.01;
  if (precision === 'f32' && !custom) {
    const compact = cqtPlanCompact(sr / 2 ** early, fmin, nBins, bpo, opts.tuning, sparsity);
    if (compact.octaves.every((o) => o.nFft % 32 === 0)) {
      const { magnitude, nFrames } = cqtWasm(y as WasmF64 | Float64Array | Float32Array, {
        rows: compact.rows,
        sparsity,
        holder: compact.holder,
        octaves: compact.octaves,
        scales: compact.scales,
        nBins,
        hop,
        halve: halveRuns,
        early,
      }, resident);
      return { magnitude, nBins, nFrames, freqs: compact.freqs };
    }
  }
  if (isWasmF64(y)) throw new Error('CQT: a resident signal needs the WASM path');
  const plan = cqtPlan(sr / 2 ** early, fmin, nBins, bpo, opts.tuning, sparsity);

  // librosa resamples with scale=True: each 2:1 step is followed by a gain of sqrt 2
  const halveScaled = (x: ArrayLike<number>): Float64Array => {
    const x64 = x instanceof Float64Array ? x : Float64Array.from(x);
    if (!custom) return decimateHalf(x64, Math.SQRT2);
    const half = custom(x64);
    for (let j = 0; j < half.length; j++) half[j] *= Math.SQRT2;
    return half;
  };
  let signal: ArrayLike<number> = y;
  for (let d = 0; d < early; d++) {
    signal = halveScaled(signal);
    hop /= 2;
    sr /= 2.0;
  }

  const nOct = plan.octaves.length;
  const responsesRe: Float64Array[] = [];
  const responsesIm: Float64Array[] = [];
  const frames: number[] = [];
  let myY: ArrayLike<number> = signal;
  let myHop = hop;
  for (let i = 0; i < nOct; i++) {
    const basis = plan.octaves[i];
    const { outRe, outIm, T } = octaveResponse(myY, basis, myHop, precision);
    responsesRe.push(outRe);
    responsesIm.push(outIm);
    frames.push(T);
    if (i < nOct - 1 && myHop % 2 === 0) {
      myHop /= 2;
      myY = halveScaled(myY);
    }
  }
  const nFrames = Math.min(...frames);
  const magnitude = new Float64Array(nBins * nFrames);
  let end = nBins;
  for (let i = 0; i < nOct; i++) {
    const T = frames[i];
    const nRows = responsesRe[i].length / T;
    const take = Math.min(nRows, end);
    for (let r = 0; r < take; r++) {
      const srcRow = nRows - take + r;
      const dstRow = end - take + r;
      const scale = plan.scales[dstRow];
      for (let t = 0; t < nFrames; t++) {
        const a = responsesRe[i][srcRow * T + t];
        const b = responsesIm[i][srcRow * T + t];
        magnitude[dstRow * nFrames + t] = Math.sqrt(a * a + b * b) * scale;
      }
    }
    end -= take;
  }
  return { magnitude, nBins, nFrames, freqs: plan.freqs };
}
