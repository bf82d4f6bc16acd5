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
  const sq = new Float32Array(y.length + 2 * pad); // zeros in the padding (pad_mode 'constant')
  for (let i = 0; i < y.length; i++) {
    const v = Math.fround(y[i]);
    sq[pad + i] = v * v;
  }
  const out = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const mean = Math.fround(pairwiseSumF32(sq, t * hop, frameLength) / frameLength);
    out[t] = Math.fround(Math.sqrt(mean));
  }
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
  const len = n + 2 * pad;
  const neg = (i: number): boolean => {
    const j = i < pad ? 0 : i >= pad + n ? n - 1 : i - pad;
    return y[j] < negThreshold;
  };
  // crossings[i] = 1 where sample i's sign differs from sample i-1's; prefix sums of them
  const prefix = new Int32Array(len + 1);
  let prev = neg(0);
  for (let i = 1; i < len; i++) {
    const cur = neg(i);
    prefix[i + 1] = prefix[i] + (cur !== prev ? 1 : 0);
    prev = cur;
  }
  const out = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const a = t * hop;
    // samples a+1 .. a+frameLength-1 of the padded signal
    out[t] = (prefix[a + frameLength] - prefix[a + 1]) / frameLength;
  }
  return out;
}

export interface SpectralOptions {
  sr: number;
  nFft: number;
}

/** float32's smallest normal number (librosa's tiny(S) for a float32 S): quieter frames are not normalised. */
const TINY_F32 = 1.1754943508222875e-38;

/** One frame's util.normalize(S, norm=1): float32 S / float64 L1 norm, rounded to float32, into `out`. */
function normaliseFrame(S: ArrayLike<number>, at: number, nBins: number, work: Float64Array, out: Float64Array): void {
  for (let k = 0; k < nBins; k++) work[k] = Math.abs(S[at + k]);
  let length = pairwiseSumF64(work, 0, nBins);
  if (length < TINY_F32) length = 1.0;
  for (let k = 0; k < nBins; k++) out[k] = Math.fround(S[at + k] / length);
}

function checkMagnitude(S: ArrayLike<number>, nFrames: number, nBins: number, what: string): void {
  if (S.length < nFrames * nBins) throw new Error(`${what}: |X| holds ${S.length} values, expected ${nFrames} x ${nBins}`);
}

/** spectral_centroid(S=|X|): per frame sum_k f_k * S_k / sum_k S_k (librosa's float32 normalised S, float64 sums). */
export function spectralCentroid(S: ArrayLike<number>, nFrames: number, nBins: number, opts: SpectralOptions): Float64Array {
  checkMagnitude(S, nFrames, nBins, 'spectral_centroid');
  const freq = fftFrequencies(opts.sr, opts.nFft);
  const work = new Float64Array(nBins);
  const norm = new Float64Array(nBins);
  const out = new Float64Array(nFrames);
  for (let t = 0; t < nFrames; t++) {
    normaliseFrame(S, t * nBins, nBins, work, norm);
    for (let k = 0; k < nBins; k++) work[k] = freq[k] * norm[k];
    out[t] = pairwiseSumF64(work, 0, nBins);
  }
  return out;
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
  checkMagnitude(S, nFrames, nBins, 'spectral_bandwidth');
  const centroid = opts.centroid ?? spectralCentroid(S, nFrames, nBins, opts);
  const freq = fftFrequencies(opts.sr, opts.nFft);
  const work = new Float64Array(nBins);
  const norm = new Float64Array(nBins);
  const out = new Float64Array(nFrames);
  for (let t = 0; t < nFrames; t++) {
    normaliseFrame(S, t * nBins, nBins, work, norm);
    const c = centroid[t];
    for (let k = 0; k < nBins; k++) {
      const d = Math.abs(c - freq[k]);
      work[k] = norm[k] * (d * d);
    }
    out[t] = Math.sqrt(pairwiseSumF64(work, 0, nBins));
  }
  return out;
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
