import { fftFrequencies } from './filterbank';
import { pairwiseSumF32, pairwiseSumF64 } from './pairwise';

/**
 * librosa 0.11's frame-level shape features (librosa.feature.rms, zero_crossing_rate,
 * spectral_centroid, spectral_bandwidth, spectral_rolloff, spectral_flatness) as pure functions.
 * The spectral ones take the magnitude |X| the pipeline already has: frame-major (bin k of frame t
 * at [t * nBins + k]), float32 values (librosa's np.abs of its complex64 STFT), which is also
 * librosa's memory order (its |X| is bin-contiguous), so its sums over bins are numpy's pairwise
 * sums over a contiguous run, reproduced here (pairwise.ts). Results are one value per frame,
 * float32-valued where librosa's are float32 (rms, flatness), float64 otherwise.
 */

export interface FrameOptions {
  frameLength?: number;
  hop?: number;
  /** Pad frameLength/2 samples on each side (librosa's center=True, the default). */
  center?: boolean;
}

let scratch = new Float32Array(0);

/** A float32 work array of exactly n values, reused between calls (no per-clip allocation). */
function scratchF32(n: number): Float32Array {
  if (scratch.length < n) scratch = new Float32Array(Math.max(n, 2 * scratch.length));
  return scratch.subarray(0, n);
}

function frameCount(n: number, frameLength: number, hop: number, center: boolean): number {
  const padded = center ? n + 2 * (frameLength >> 1) : n;
  if (padded < frameLength) throw new Error(`framing: ${n} samples are fewer than one frame of ${frameLength}`);
  return 1 + Math.floor((padded - frameLength) / hop);
}

/**
 * librosa.feature.rms(y=y, frame_length, hop_length, center, pad_mode='constant'): per frame
 * sqrt(mean(x^2)) in float32 (float32 squares, numpy's pairwise float32 sum of the frame, / frame_length).
 */
export function rms(y: ArrayLike<number>, opts: FrameOptions = {}): Float64Array {
  const frameLength = opts.frameLength ?? 2048;
  const hop = opts.hop ?? 512;
  const center = opts.center ?? true;
  const T = frameCount(y.length, frameLength, hop, center);
  const pad = center ? frameLength >> 1 : 0;
  const sq = scratchF32(y.length + 2 * pad); // zeros in the padding (pad_mode 'constant')
  sq.fill(0, 0, pad);
  sq.fill(0, pad + y.length);
  for (let i = 0; i < y.length; i++) {
    const v = Math.fround(y[i]);
    sq[pad + i] = v * v;
  }
  const out = new Float64Array(T);
  const f = Math.fround;
  if (frameLength === 2048 && hop % 128 === 0) {
    // numpy's pairwise sum of 2048 values is a fixed tree over 16 blocks of 128 (pairwise.ts), and with
    // a hop that is a multiple of 128 the frames share their blocks: sum each block once
    const nBlocks = Math.floor(sq.length / 128);
    const leaf = new Float32Array(nBlocks);
    for (let b = 0; b < nBlocks; b++) leaf[b] = pairwiseSumF32(sq, b * 128, 128);
    const step = hop / 128;
    for (let t = 0; t < T; t++) {
      const b = t * step;
      // 256-, 512-, 1024- and 2048-value nodes of the tree
      const p0 = f(leaf[b] + leaf[b + 1]);
      const p1 = f(leaf[b + 2] + leaf[b + 3]);
      const p2 = f(leaf[b + 4] + leaf[b + 5]);
      const p3 = f(leaf[b + 6] + leaf[b + 7]);
      const p4 = f(leaf[b + 8] + leaf[b + 9]);
      const p5 = f(leaf[b + 10] + leaf[b + 11]);
      const p6 = f(leaf[b + 12] + leaf[b + 13]);
      const p7 = f(leaf[b + 14] + leaf[b + 15]);
      const q0 = f(f(p0 + p1) + f(p2 + p3));
      const q1 = f(f(p4 + p5) + f(p6 + p7));
      out[t] = f(Math.sqrt(f(f(q0 + q1) / frameLength)));
    }
    return out;
  }
  for (let t = 0; t < T; t++) out[t] = f(Math.sqrt(f(pairwiseSumF32(sq, t * hop, frameLength) / frameLength)));
  return out;
}

/**
 * librosa.feature.zero_crossing_rate(y, frame_length, hop_length, center): the signal padded by
 * repeating its edge samples (pad_mode 'edge', not zeros), then per frame the fraction of its
 * frame_length samples whose sign bit differs from the previous sample's (the frame's first sample
 * never counts), values with |x| <= 1e-10 (float32) counted as +0.
 */
export function zeroCrossingRate(y: ArrayLike<number>, opts: FrameOptions = {}): Float64Array {
  const frameLength = opts.frameLength ?? 2048;
  const hop = opts.hop ?? 512;
  const center = opts.center ?? true;
  const n = y.length;
  const T = frameCount(n, frameLength, hop, center);
  const pad = center ? frameLength >> 1 : 0;
  const negThreshold = -Math.fround(1e-10);
  // A crossing at padded position p: sample p's sign differs from sample p-1's. Only positions between
  // two signal samples can hold one (the edge padding repeats y[0] and y[n-1]). Frame t counts the
  // positions a+1 .. a+frameLength-1 (a = t * hop): sum per hop-long segment, then per frame the
  // segments it covers, less its first position.
  const nSeg = Math.ceil((n + 2 * pad) / hop) + 1;
  const seg = new Int32Array(nSeg);
  const len = n + 2 * pad;
  const at = new Uint8Array(T); // a crossing at a frame's first position
  let prev = n > 0 && y[0] < negThreshold;
  for (let i = 1; i < n; i++) {
    const cur = y[i] < negThreshold;
    if (cur !== prev) {
      const p = pad + i;
      seg[Math.floor(p / hop)]++;
      if (p % hop === 0 && p / hop < T) at[p / hop] = 1;
    }
    prev = cur;
  }
  const out = new Float64Array(T);
  const full = Math.floor(frameLength / hop);
  const rest = frameLength - full * hop;
  for (let t = 0; t < T; t++) {
    const a = t * hop;
    let c = -at[t];
    for (let j = 0; j < full; j++) c += seg[t + j];
    if (rest) {
      // a frame length that is not a multiple of the hop: the last partial segment position by position
      for (let p = a + full * hop; p < Math.min(a + frameLength, len); p++) {
        const i = p - pad;
        if (i >= 1 && i < n && (y[i] < negThreshold) !== (y[i - 1] < negThreshold)) c++;
      }
    }
    out[t] = c / frameLength;
  }
  return out;
}

export interface SpectralOptions {
  sr: number;
  nFft: number;
}

/** float32's smallest normal number (librosa's tiny(S) for a float32 S): quieter frames are not normalised. */
const TINY_F32 = 1.1754943508222875e-38;

/**
 * One frame's util.normalize(S, norm=1): float32 S / float64 L1 norm, rounded to float32, into `out`
 * (|X| is never negative: its own values are its magnitudes).
 */
function normaliseFrame(S: ArrayLike<number>, at: number, nBins: number, out: Float64Array): void {
  let length = pairwiseSumF64(S, at, nBins);
  if (length < TINY_F32) length = 1.0;
  for (let k = 0; k < nBins; k++) out[k] = Math.fround(S[at + k] / length);
}

function checkMagnitude(S: ArrayLike<number>, nFrames: number, nBins: number, what: string): void {
  if (S.length < nFrames * nBins) throw new Error(`${what}: |X| holds ${S.length} values, expected ${nFrames} x ${nBins}`);
}

/** spectral_centroid(S=|X|): per frame sum_k f_k * S_k / sum_k S_k (librosa's float32 normalised S, float64 sums). */
export function spectralCentroid(S: ArrayLike<number>, nFrames: number, nBins: number, opts: SpectralOptions): Float64Array {
  return centroidBandwidth(S, nFrames, nBins, opts, null, false).centroid;
}

/**
 * spectral_bandwidth(S=|X|, p=2, norm=True): per frame sqrt(sum_k S_k/|S|_1 * (f_k - centroid)^2);
 * `centroid` (spectralCentroid of the same S) is computed when not given, as librosa does.
 */
export function spectralBandwidth(
  S: ArrayLike<number>,
  nFrames: number,
  nBins: number,
  opts: SpectralOptions & { centroid?: Float64Array },
): Float64Array {
  return centroidBandwidth(S, nFrames, nBins, opts, opts.centroid ?? null, true).bandwidth!;
}

/** spectralCentroid and spectralBandwidth (p=2) of the same |X| in one pass (each frame normalised once). */
export function spectralCentroidBandwidth(
  S: ArrayLike<number>,
  nFrames: number,
  nBins: number,
  opts: SpectralOptions,
): { centroid: Float64Array; bandwidth: Float64Array } {
  const r = centroidBandwidth(S, nFrames, nBins, opts, null, true);
  return { centroid: r.centroid, bandwidth: r.bandwidth! };
}

function centroidBandwidth(
  S: ArrayLike<number>,
  nFrames: number,
  nBins: number,
  opts: SpectralOptions,
  givenCentroid: Float64Array | null,
  withBandwidth: boolean,
): { centroid: Float64Array; bandwidth?: Float64Array } {
  checkMagnitude(S, nFrames, nBins, withBandwidth ? 'spectral_bandwidth' : 'spectral_centroid');
  const freq = fftFrequencies(opts.sr, opts.nFft);
  const work = new Float64Array(nBins);
  const norm = new Float64Array(nBins);
  const centroid = givenCentroid ?? new Float64Array(nFrames);
  const bandwidth = withBandwidth ? new Float64Array(nFrames) : undefined;
  for (let t = 0; t < nFrames; t++) {
    normaliseFrame(S, t * nBins, nBins, norm);
    if (!givenCentroid) {
      for (let k = 0; k < nBins; k++) work[k] = freq[k] * norm[k];
      centroid[t] = pairwiseSumF64(work, 0, nBins);
    }
    if (bandwidth) {
      const c = centroid[t];
      for (let k = 0; k < nBins; k++) {
        const d = Math.abs(c - freq[k]);
        work[k] = norm[k] * (d * d);
      }
      bandwidth[t] = Math.sqrt(pairwiseSumF64(work, 0, nBins));
    }
  }
  return { centroid, bandwidth };
}

/**
 * spectral_rolloff(S=|X|, roll_percent): per frame the frequency of the first bin whose float32
 * running sum of S reaches float32(roll_percent) * the frame's total (both rounded to float32).
 */
export function spectralRolloff(
  S: ArrayLike<number>,
  nFrames: number,
  nBins: number,
  opts: SpectralOptions & { rollPercent?: number },
): Float64Array {
  checkMagnitude(S, nFrames, nBins, 'spectral_rolloff');
  const rollPercent = opts.rollPercent ?? 0.85;
  if (!(rollPercent > 0 && rollPercent < 1)) throw new RangeError('spectral_rolloff: roll_percent must lie in the range (0, 1)');
  const f = Math.fround;
  const roll32 = f(rollPercent);
  const freq = fftFrequencies(opts.sr, opts.nFft);
  const cum = new Float32Array(nBins);
  const out = new Float64Array(nFrames);
  for (let t = 0; t < nFrames; t++) {
    const at = t * nBins;
    let c = 0;
    for (let k = 0; k < nBins; k++) {
      c = f(c + S[at + k]);
      cum[k] = c;
    }
    const threshold = f(roll32 * c);
    let k = 0;
    while (k < nBins - 1 && cum[k] < threshold) k++;
    out[t] = freq[k];
  }
  return out;
}

/**
 * spectral_flatness(S=|X|, amin, power): per frame the geometric over the arithmetic mean of
 * max(amin, S^power), in float32 as librosa computes it (float32 logs, pairwise float32 means, exp).
 */
export function spectralFlatness(
  S: ArrayLike<number>,
  nFrames: number,
  nBins: number,
  opts: { amin?: number; power?: number } = {},
): Float64Array {
  checkMagnitude(S, nFrames, nBins, 'spectral_flatness');
  const f = Math.fround;
  const amin = opts.amin ?? 1e-10;
  const power = opts.power ?? 2.0;
  if (!(amin > 0)) throw new RangeError('spectral_flatness: amin must be strictly positive');
  const amin32 = f(amin);
  const thresh = new Float32Array(nBins);
  const logs = new Float32Array(nBins);
  const out = new Float64Array(nFrames);
  for (let t = 0; t < nFrames; t++) {
    const at = t * nBins;
    for (let k = 0; k < nBins; k++) {
      const s = S[at + k];
      const p = power === 2.0 ? f(s * s) : power === 1.0 ? s : f(Math.pow(s, power));
      const v = p > amin32 ? p : amin32;
      thresh[k] = v;
      logs[k] = Math.log(v); // stored as float32: numpy's float32 log (within an ulp, mostly equal)
    }
    const gmean = f(Math.exp(f(pairwiseSumF32(logs, 0, nBins) / nBins)));
    const amean = f(pairwiseSumF32(thresh, 0, nBins) / nBins);
    out[t] = f(gmean / amean);
  }
  return out;
}
