import { roundHalfEven } from './numpyRound';
import { realFft64 } from './fft64';
import { Lru } from './lru';
import { pairwiseSumF64 } from './pairwise';

/**
 * F0 by probabilistic YIN, as librosa 0.11 computes it:
 *
 *   librosa.pyin(y, fmin=librosa.note_to_hz('C2'), fmax=librosa.note_to_hz('C7'), sr=22050)
 *
 * with librosa's defaults (read from librosa/core/pitch.py and sequence.py): frame_length 2048,
 * hop frame_length // 4, center=True with zero padding, 100 thresholds under a beta(2, 18) prior,
 * Boltzmann trough prior with parameter 2, 0.1-semitone pitch bins, max_transition_rate 35.92
 * octaves/s, switch_prob 0.01, no_trough_prob 0.01, fill_na NaN. Step by step:
 *
 * 1. frames of the zero-padded signal; per frame the cumulative mean normalised difference
 *    d'(k) = d(k) / (sum_{m=1..k} d(m) / k + tiny), d(k) = 2 (r(0) - r(k)) - sum_{m<k} y(m)^2,
 *    r the autocorrelation by FFT (librosa: rfft, |.|^2, irfft at next_fast_len(2N-1) = 4096);
 *    for float32 input numpy runs r, the energy cumsum, d and its cumsum in float32, which is
 *    emulated here (the FFT itself is float64, rounded: librosa's float32 FFT noise is not
 *    reproducible, and moves d' by ~1e-7, which no golden frame's outputs notice);
 * 2. parabolic interpolation shifts (0 at the edges and where the vertex is more than a bin away);
 * 3. troughs (local minima, plus the first lag if below the second); for each threshold the troughs
 *    under it share its beta probability by the Boltzmann prior; the global minimum gets
 *    no_trough_prob of the thresholds no trough is under;
 * 4. each trough's period (+ shift) -> a pitch bin (round half even, clipped to [0, n_bins]: bin
 *    n_bins, above fmax, is dropped as librosa drops it); voiced_prob = their sum clipped to [0, 1];
 *    unvoiced states share 1 - voiced_prob;
 * 5. Viterbi (log domain, log(p + tiny)) over 2 n_bins states with the transition
 *    kron([[0.99, 0.01], [0.01, 0.99]], transition_local(n_bins, 101, 'triangle', wrap=False)).
 *    That matrix is banded (|i - j| <= 50 bins) but librosa's zeros become log(tiny) = -708.4,
 *    not -inf, so a far state still competes: here the band is scanned entry by entry and
 *    everything outside it enters as prefix / suffix maxima of value + log(tiny); inside it, bins
 *    that provably cannot reach the best are skipped (see viterbi()). Ties go to the lowest state
 *    as np.argmax's do and every sum is the same float64 operation as librosa's
 *    (value[t-1, k] + log_trans[k, j], then + log_prob): O(T n_bins width) at most instead of
 *    O(T n_bins^2).
 *
 * Differences from librosa that remain: the FFT size is a power of two >= 2N - 1 (librosa:
 * scipy's next_fast_len, the same 4096 for N = 2048; any size >= 2N - 1 gives the same lags), the
 * FFT's rounding, the order of the prior's dot product (BLAS) and 1-ulp differences of Math.log /
 * 2 ** x from numpy's. On the committed goldens and 30 EmoDB clips the decoded path is identical,
 * f0 agrees to 2e-16 and voiced_prob to 1e-15 (tests/core/dsp/pyin.test.ts, bench/features/pyin.ts).
 */

export interface PyinOptions {
  /** Hz; default librosa.note_to_hz('C2') = 65.406... */
  fmin?: number;
  /** Hz; default librosa.note_to_hz('C7') = 2093.004... */
  fmax?: number;
  /** sample rate of y; default 22050 */
  sr?: number;
  /** default 2048 */
  frameLength?: number;
  /** default frameLength / 4 (floored) */
  hopLength?: number;
  /** value of f0 on unvoiced frames; null = the decoded bin's frequency (librosa's fill_na=None). Default NaN. */
  fillNa?: number | null;
}

export interface PyinResult {
  /** Hz per frame; fillNa (NaN) where unvoiced */
  f0: Float64Array;
  /** 1 = voiced */
  voicedFlag: Uint8Array;
  /** probability that the frame is voiced */
  voicedProb: Float64Array;
}

/** librosa.note_to_hz for a MIDI number: 440 * 2 ** ((midi - 69) / 12). */
export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

export const PYIN_FMIN_C2 = midiToHz(36);
export const PYIN_FMAX_C7 = midiToHz(96);

// librosa.pyin's fixed defaults
const N_THRESHOLDS = 100;
const BOLTZMANN = 2;
const RESOLUTION = 0.1;
const MAX_TRANSITION_RATE = 35.92;
const SWITCH_PROB = 0.01;
const NO_TROUGH_PROB = 0.01;

/** np.finfo(float64).tiny (librosa.util.tiny of a float64 array) */
const TINY = 2.2250738585072014e-308;
const LOG_TINY = Math.log(TINY);

/**
 * np.diff(scipy.stats.beta.cdf(np.linspace(0, 1, 101), 2, 18)): librosa's prior over the 100
 * thresholds, as scipy 1.17 (boost's ibeta) computes it; the last 10 are exactly 0 (the CDF
 * reaches 1.0). Tabled rather than recomputed: a closed form of I_x(2, 18) matches only 61-84 of
 * the 100 to the last bit, and its saturated tail can go negative, which log(p + tiny) turns into
 * NaN. tests/core/dsp/pyin.test.ts checks the table against the golden's scipy values.
 */
export const BETA_PROBS_2_18: readonly number[] = [
  0.015273761488896611, 0.03934218854553849, 0.055339105649281795, 0.06512720747537441, 0.07021053177029321,
  0.07179527483811107, 0.07084133886071853, 0.0681058900990742, 0.06418004701421542, 0.059519675426898844,
  0.054471142167447195, 0.04929276758269485, 0.04417261924674942, 0.03924320288968142, 0.03459353066446669,
  0.030278980287732016, 0.026329300292483593, 0.022755065699038846, 0.0195528440126721, 0.0167092928450141,
  0.014204376958821041, 0.012013863549233506, 0.010111229558903423, 0.008469093296324837, 0.007060264155202001,
  0.005858488433591713, 0.004838955783262877, 0.003978619379049753, 0.003256373216461772, 0.002653121786139412,
  0.0021517705267155574, 0.0017371597391910854, 0.0013959598945542107, 0.001116542340725668, 0.0008888361915884158,
  0.0007041795524869165, 0.0005551711099676115, 0.00043552640805488707, 0.00033994177956131466,
  0.0002639678391002098, 0.0002038936235582156, 0.00015664184226427125, 0.00011967523605460606,
  9.091371070402143e-05, 6.866167960661862e-05, 5.1544901277011945e-05, 3.845601106977625e-05, 2.850790854758145e-05,
  2.0994159916187805e-05, 1.535559902643424e-05, 1.1152352645371622e-05, 8.040569739020675e-06,
  5.753195485014295e-06, 4.084194844433675e-06, 2.875694958492936e-06, 2.00757832202747e-06, 1.3891181658287621e-06,
  9.523028268176859e-07, 6.465464913452124e-07, 4.3452935238885715e-07, 2.889508310399691e-07, 1.900152554190626e-07,
  1.2350047506881623e-07, 7.928666545531371e-08, 5.024540628006946e-08, 3.1408386891307316e-08,
  1.9351227287245365e-08, 1.1741251970676103e-08, 7.009026470328195e-09, 4.1123809912946285e-09,
  2.368817253461941e-09, 1.3379253260836776e-09, 7.399387769169152e-10, 4.000907383172603e-10,
  2.1114376913544675e-10, 1.0854883658595327e-10, 5.4245830050092536e-11, 2.6287305665562144e-11,
  1.2318812636635812e-11, 5.564992910933597e-12, 2.4147350785597155e-12, 1.0021983243291288e-12,
  3.959055305813308e-13, 1.4799272918253337e-13, 5.206945985491984e-14, 1.709743457922741e-14, 5.10702591327572e-15,
  1.4432899320127035e-15, 3.3306690738754696e-16, 1.1102230246251565e-16,
  ...Array<number>(10).fill(0),
];

interface Plan {
  sr: number;
  fmin: number;
  frameLength: number;
  hop: number;
  minPeriod: number;
  maxPeriod: number;
  nFft: number;
  nBins: number;
  binsPerSemitone: number;
  /** thresholds[1..100] */
  thresholds: Float64Array;
  betaProbs: Float64Array;
  /** pairwise np.sum(beta_probs[:m]) for m = 0..100 */
  betaHead: Float64Array;
  /** scipy.stats.boltzmann.pmf(k, lambda, N) = boltzFact[N] * boltzExp[k] */
  boltzExp: Float64Array;
  boltzFact: Float64Array;
  /** half band width in bins */
  half: number;
  width: number;
  /**
   * log_trans into target bin b from source bin i = b + e - half, at [b * width + e]: colStay
   * within a voicing block, log(0.99 T[i, b] + tiny); colSwitch across, log(0.01 T[i, b] + tiny);
   * -Infinity where i is not a bin
   */
  colStay: Float64Array;
  colSwitch: Float64Array;
  /**
   * [b * tailStride + dd]: the largest col entry into b from a source at a distance >= dd, below
   * b (L) or above it (R): a scan's bounds; -Infinity from dd = half + 1 to the row's end
   */
  tailStayL: Float64Array;
  tailStayR: Float64Array;
  tailSwitchL: Float64Array;
  tailSwitchR: Float64Array;
  /** a power of two >= half + 2 */
  tailStride: number;
  logInit: number;
  freqs: Float64Array;
}

// the preset uses one set of arguments; a few more stay cached (a plan is ~2 MB of tables)
const plans = new Lru<string, Plan>(4);

function plan(sr: number, fmin: number, fmax: number, frameLength: number, hop: number): Plan {
  const key = `${sr}|${fmin}|${fmax}|${frameLength}|${hop}`;
  const cached = plans.get(key);
  if (cached) return cached;
  if (!(fmin > 0)) throw new Error(`pyin: fmin=${fmin} must be strictly positive`);
  if (!(fmin < fmax)) throw new Error(`pyin: fmin=${fmin} must be less than fmax=${fmax}`);
  if (fmax > sr / 2) throw new Error(`pyin: fmax=${fmax} cannot exceed the Nyquist frequency ${sr / 2}`);
  if (sr / fmin >= frameLength - 1) throw new Error(`pyin: fmin=${fmin} is too small for frameLength=${frameLength} at sr=${sr}`);
  const minPeriod = Math.floor(sr / fmax);
  const maxPeriod = Math.min(Math.ceil(sr / fmin), frameLength - 1);
  let nFft = 4;
  while (nFft < 2 * frameLength - 1) nFft *= 2;

  const thresholds = new Float64Array(N_THRESHOLDS);
  const step = 1 / N_THRESHOLDS;
  for (let i = 1; i <= N_THRESHOLDS; i++) thresholds[i - 1] = i === N_THRESHOLDS ? 1 : i * step; // np.linspace(0, 1, 101)[1:]
  const betaProbs = Float64Array.from(BETA_PROBS_2_18);
  const betaHead = new Float64Array(N_THRESHOLDS + 1);
  for (let m = 0; m <= N_THRESHOLDS; m++) betaHead[m] = pairwiseSumF64(betaProbs, 0, m);
  const boltzExp = new Float64Array(frameLength);
  const boltzFact = new Float64Array(frameLength + 1);
  for (let k = 0; k < frameLength; k++) boltzExp[k] = Math.exp(-BOLTZMANN * k);
  for (let m = 1; m <= frameLength; m++) boltzFact[m] = (1 - Math.exp(-BOLTZMANN)) / (1 - Math.exp(-BOLTZMANN * m));

  const binsPerSemitone = Math.ceil(1 / RESOLUTION);
  const nBins = Math.floor(12 * binsPerSemitone * Math.log2(fmax / fmin)) + 1;
  const maxSemitonesPerFrame = roundHalfEven((MAX_TRANSITION_RATE * 12 * hop) / sr);
  const width = maxSemitonesPerFrame * binsPerSemitone + 1;
  if (width > nBins) throw new Error(`pyin: transition width ${width} exceeds the ${nBins} pitch bins`);
  // transition_local(nBins, width, 'triangle', wrap=False): row i is the symmetric triangle
  // scipy.signal.windows.triang(width) centred on i, cut at the ends, divided by its numpy sum
  // (width = 10 m + 1 is odd: the triangle has a centre bin and pad_center + roll put it on i)
  const half = width >> 1;
  const win = new Float64Array(width);
  for (let m = 1; m <= half + 1; m++) win[m - 1] = win[width - m] = (2 * m) / (width + 1);
  const stay = 1 - SWITCH_PROB; // transition_loop(2, 1 - switch_prob)
  const swap = (1 - stay) / (2 - 1);
  const colStay = new Float64Array(nBins * width).fill(-Infinity);
  const colSwitch = new Float64Array(nBins * width).fill(-Infinity);
  const row = new Float64Array(nBins);
  for (let i = 0; i < nBins; i++) {
    row.fill(0);
    for (let d = -half; d <= half; d++) if (i + d >= 0 && i + d < nBins) row[i + d] = win[half + d];
    const sum = pairwiseSumF64(row, 0, nBins);
    for (let b = Math.max(0, i - half); b <= Math.min(nBins - 1, i + half); b++) {
      const tr = row[b] / sum; // transition /= transition.sum(axis=1, keepdims=True)
      const e = i - b + half;
      colStay[b * width + e] = Math.log(stay * tr + TINY); // np.kron(t_switch, transition)
      colSwitch[b * width + e] = Math.log(swap * tr + TINY);
    }
  }
  let tailStride = 2;
  while (tailStride < half + 2) tailStride *= 2;
  const tails = (col: Float64Array, side: -1 | 1): Float64Array => {
    const tail = new Float64Array(nBins * tailStride).fill(-Infinity);
    for (let b = 0; b < nBins; b++) {
      for (let dd = half; dd >= 0; dd--) {
        const at = b * tailStride + dd;
        tail[at] = Math.max(tail[at + 1], col[b * width + half + side * dd]);
      }
    }
    return tail;
  };
  const tailStayL = tails(colStay, -1);
  const tailStayR = tails(colStay, 1);
  const tailSwitchL = tails(colSwitch, -1);
  const tailSwitchR = tails(colSwitch, 1);
  const freqs = new Float64Array(nBins);
  for (let k = 0; k < nBins; k++) freqs[k] = fmin * 2 ** (k / (12 * binsPerSemitone));
  const p: Plan = {
    sr, fmin, frameLength, hop, minPeriod, maxPeriod, nFft, nBins, binsPerSemitone, thresholds, betaProbs, betaHead, boltzExp, boltzFact,
    half, width, colStay, colSwitch, tailStayL, tailStayR, tailSwitchL, tailSwitchR, tailStride, logInit: Math.log(1 / (2 * nBins) + TINY), freqs,
  };
  plans.set(key, p);
  return p;
}

/**
 * librosa.pyin (see the top of this file). y: mono samples at `sr`; a Float32Array runs librosa's
 * float32 arithmetic (as for librosa.load's output), a Float64Array its float64 arithmetic.
 */
export function pyin(y: Float32Array | Float64Array, options: PyinOptions = {}): PyinResult {
  const sr = options.sr ?? 22050;
  const frameLength = options.frameLength ?? 2048;
  const hop = options.hopLength ?? Math.floor(frameLength / 4);
  const fillNa = options.fillNa === undefined ? NaN : options.fillNa;
  const P = plan(sr, options.fmin ?? PYIN_FMIN_C2, options.fmax ?? PYIN_FMAX_C7, frameLength, hop);
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) throw new Error(`pyin: sample ${i} is not finite`);

  const f32 = y instanceof Float32Array;
  const pad = frameLength >> 1;
  const nFrames = 1 + Math.floor((y.length + 2 * pad - frameLength) / hop);
  const nBins = P.nBins;
  const nLags = P.maxPeriod - P.minPeriod + 1;

  // observation log-probabilities: voiced bins are mostly log(tiny); kept sparse per frame
  const voicedProb = new Float64Array(nFrames);
  const logUnvoiced = new Float64Array(nFrames);
  const obsStart = new Int32Array(nFrames + 1);
  const obsBin: number[] = [];
  const obsLog: number[] = [];

  const fft = realFft64(P.nFft);
  const frame = new Float64Array(P.nFft);
  const re = new Float64Array(P.nFft / 2 + 1);
  const im = new Float64Array(P.nFft / 2 + 1);
  const acf = new Float64Array(P.nFft);
  const diff = new Float64Array(P.maxPeriod + 1);
  const cmnd = new Float64Array(nLags);
  const shifts = new Float64Array(nLags);
  const obs = new Float64Array(nBins + 1);
  const troughs = new Int32Array(nLags);
  const firstBelow = new Int32Array(nLags);
  const trProb = new Float64Array(nLags);
  const nUnder = new Int32Array(N_THRESHOLDS);
  const seen = new Int32Array(N_THRESHOLDS); // troughs under threshold j so far (their positions)

  for (let t = 0; t < nFrames; t++) {
    // frame t = padded[t hop .. t hop + frameLength), padded = [pad zeros, y, pad zeros]
    const start = t * hop - pad;
    frame.fill(0);
    const m0 = Math.max(0, -start);
    const m1 = Math.min(frameLength, y.length - start);
    for (let m = m0; m < m1; m++) frame[m] = y[start + m];
    fft.forward(frame, re, im);
    for (let k = 0; k < re.length; k++) {
      re[k] = re[k] * re[k] + im[k] * im[k];
      im[k] = 0;
    }
    fft.inverse(re, im, acf);

    // d(k) = 2 (r(0) - r(k)) - cumsum(y^2)[k - 1]; d(0) = 0
    // d'(k) = d(k) / (cumsum(d[1..k]) / k + tiny), k = minPeriod .. maxPeriod
    diff[0] = 0;
    let energy = 0;
    let cum = 0;
    if (f32) {
      const r0 = Math.fround(acf[0]);
      for (let k = 1; k <= P.maxPeriod; k++) {
        energy = Math.fround(energy + Math.fround(frame[k - 1] * frame[k - 1]));
        diff[k] = Math.fround(2 * Math.fround(r0 - Math.fround(acf[k])) - energy);
      }
      for (let k = 1; k <= P.maxPeriod; k++) {
        cum = Math.fround(cum + diff[k]);
        if (k >= P.minPeriod) cmnd[k - P.minPeriod] = diff[k] / (cum / k + TINY);
      }
    } else {
      const r0 = acf[0];
      for (let k = 1; k <= P.maxPeriod; k++) {
        energy += frame[k - 1] * frame[k - 1];
        diff[k] = 2 * (r0 - acf[k]) - energy;
      }
      for (let k = 1; k <= P.maxPeriod; k++) {
        cum += diff[k];
        if (k >= P.minPeriod) cmnd[k - P.minPeriod] = diff[k] / (cum / k + TINY);
      }
    }

    // parabolic shifts
    shifts[0] = 0;
    shifts[nLags - 1] = 0;
    for (let k = 1; k < nLags - 1; k++) {
      const a = cmnd[k + 1] + cmnd[k - 1] - 2 * cmnd[k];
      const b = (cmnd[k + 1] - cmnd[k - 1]) / 2;
      shifts[k] = Math.abs(b) >= Math.abs(a) ? 0 : -b / a;
    }

    // troughs: util.localmin (x[k] < x[k-1] and x[k] <= x[k+1]; the last lag: x < its left
    // neighbour), and the first lag if below the second
    let nTr = 0;
    if (nLags > 1 && cmnd[0] < cmnd[1]) troughs[nTr++] = 0;
    for (let k = 1; k < nLags - 1; k++) if (cmnd[k] < cmnd[k - 1] && cmnd[k] <= cmnd[k + 1]) troughs[nTr++] = k;
    if (nLags > 1 && cmnd[nLags - 1] < cmnd[nLags - 2]) troughs[nTr++] = nLags - 1;

    obs.fill(0);
    let vp = 0;
    if (nTr > 0) {
      // firstBelow[i]: the first threshold index j with height < thresholds[j] (N_THRESHOLDS: none)
      nUnder.fill(0);
      let globalMin = 0;
      for (let i = 0; i < nTr; i++) {
        const h = cmnd[troughs[i]];
        if (h < cmnd[troughs[globalMin]]) globalMin = i;
        let j = N_THRESHOLDS;
        if (h < 1) {
          j = Math.max(0, Math.floor(h * N_THRESHOLDS) - 1);
          while (!(h < P.thresholds[j])) j++;
        }
        firstBelow[i] = j;
        if (j < N_THRESHOLDS) nUnder[j]++;
      }
      for (let j = 1; j < N_THRESHOLDS; j++) nUnder[j] += nUnder[j - 1];
      // trough_prior[i, j] = boltzmann.pmf(position of i among the troughs under j, 2, nUnder[j]),
      // probs = trough_prior . beta_probs
      seen.fill(0);
      for (let i = 0; i < nTr; i++) {
        let s = 0;
        for (let j = firstBelow[i]; j < N_THRESHOLDS; j++) {
          const pmf = P.boltzFact[nUnder[j]] * P.boltzExp[seen[j]++];
          s += pmf * P.betaProbs[j];
        }
        trProb[i] = s;
      }
      trProb[globalMin] += NO_TROUGH_PROB * P.betaHead[firstBelow[globalMin]];
      // candidates in lag order; the last one into a bin wins (numpy fancy assignment)
      for (let i = 0; i < nTr; i++) {
        if (trProb[i] === 0) continue;
        const lag = troughs[i];
        const period = P.minPeriod + lag + shifts[lag];
        const f0 = P.sr / period;
        let bin = roundHalfEven(12 * P.binsPerSemitone * Math.log2(f0 / P.fmin));
        if (!(bin >= 0)) bin = 0;
        if (bin > nBins) bin = nBins;
        obs[bin] = trProb[i];
      }
      for (let b = 0; b < nBins; b++) vp += obs[b];
      vp = Math.min(1, Math.max(0, vp));
    }
    voicedProb[t] = vp;
    logUnvoiced[t] = Math.log((1 - vp) / nBins + TINY);
    for (let b = 0; b < nBins; b++) {
      if (obs[b] !== 0) {
        obsBin.push(b);
        obsLog.push(Math.log(obs[b] + TINY));
      }
    }
    obsStart[t + 1] = obsBin.length;
  }

  const states = viterbi(P, nFrames, logUnvoiced, obsStart, obsBin, obsLog);
  const f0 = new Float64Array(nFrames);
  const voicedFlag = new Uint8Array(nFrames);
  for (let t = 0; t < nFrames; t++) {
    const s = states[t];
    voicedFlag[t] = s < nBins ? 1 : 0;
    f0[t] = s < nBins || fillNa === null ? P.freqs[s % nBins] : fillNa;
  }
  return { f0, voicedFlag, voicedProb };
}

/**
 * The smallest distance dd >= 1 with m + tail[tb + dd] < sure (tail is non-increasing in dd and
 * -Infinity from half + 1 to the row's end): binary lifting in log2(stride) steps, each a select rather than a
 * branch (a plain bisection's branches mispredicted half the time and cost more than the scans).
 */
function reachDistance(tail: Float64Array, tb: number, stride: number, m: number, sure: number): number {
  if (m + tail[tb + 1] < sure) return 1; // nothing beyond the target's own bin (most voiced bands)
  let pos = 0;
  for (let step = stride >> 1; step > 0; step >>= 1) pos += m + tail[tb + pos + step] >= sure ? step : 0;
  return pos + 1;
}

/**
 * librosa.sequence._viterbi on the banded pYIN transition: value[t, j] = log_prob[t, j] +
 * max_k (value[t - 1, k] + log_trans[k, j]), the first k on ties (np.argmax); returns the states
 * of the best path. Per target j the sources are six groups, in state order: voiced states below
 * the band, the voiced band, voiced states above it, and the same three of the unvoiced block.
 * Out of the band log_trans is log(tiny), so those groups are prefix / suffix maxima of
 * value + log(tiny). Within a band only the bins that can reach the best are scanned: with m the
 * largest value on one side of the target and tail(dd) the largest log_trans into j from a
 * distance >= dd on that side, no bin at a distance >= dd can reach a sum s once m + tail(dd) < s
 * (rounding is monotonic, so not even a tie), and s is one reached for sure (the best of the
 * out-of-band groups and, in each band, of the target's own bin and each side's argmax). The two
 * targets of a pitch bin (voiced, unvoiced) have the same sources with the 0.99 and 0.01 columns
 * swapped, so each band is scanned once for both. Groups are combined by (sum, then lower state),
 * which is np.argmax's order. On speech this scans ~41 of the 2 x 101 in-band sources per bin.
 */
function viterbi(
  P: Plan,
  nFrames: number,
  logUnvoiced: Float64Array,
  obsStart: Int32Array,
  obsBin: number[],
  obsLog: number[],
): Uint16Array {
  const n = P.nBins;
  const S = 2 * n;
  const { half, width, colStay, colSwitch, tailStayL, tailStayR, tailSwitchL, tailSwitchR, tailStride } = P;
  const ptr = new Uint16Array(nFrames * S);
  let prev = new Float64Array(S);
  let cur = new Float64Array(S);
  const logProb = new Float64Array(S);
  const setLogProb = (t: number): void => {
    logProb.fill(LOG_TINY, 0, n);
    logProb.fill(logUnvoiced[t], n, S);
    for (let q = obsStart[t]; q < obsStart[t + 1]; q++) logProb[obsBin[q]] = obsLog[q];
  };
  setLogProb(0);
  for (let j = 0; j < S; j++) prev[j] = logProb[j] + P.logInit;

  // per block: prefix / suffix maxima of value + log(tiny) (first argmax), window maxima of value
  const preV = new Float64Array(S);
  const preI = new Int32Array(S);
  const sufV = new Float64Array(S);
  const sufI = new Int32Array(S);
  // per bin b of a block: max and argmax of value over [b - half, b] (left) and [b, b + half] (right)
  const leftMax = new Float64Array(S);
  const leftArg = new Int32Array(S);
  const rightMax = new Float64Array(S);
  const rightArg = new Int32Array(S);
  const deque = new Int32Array(n);

  for (let t = 1; t < nFrames; t++) {
    for (let blk = 0; blk < S; blk += n) {
      preV[blk] = prev[blk] + LOG_TINY;
      preI[blk] = blk;
      for (let k = blk + 1; k < blk + n; k++) {
        const w = prev[k] + LOG_TINY;
        if (w > preV[k - 1]) {
          preV[k] = w;
          preI[k] = k;
        } else {
          preV[k] = preV[k - 1];
          preI[k] = preI[k - 1];
        }
      }
      const last = blk + n - 1;
      sufV[last] = prev[last] + LOG_TINY;
      sufI[last] = last;
      for (let k = last - 1; k >= blk; k--) {
        const w = prev[k] + LOG_TINY;
        if (w >= sufV[k + 1]) {
          sufV[k] = w;
          sufI[k] = k;
        } else {
          sufV[k] = sufV[k + 1];
          sufI[k] = sufI[k + 1];
        }
      }
      // the left and right windows' maxima (monotonic deques)
      let head = 0;
      let tail = 0;
      for (let b = 0; b < n; b++) {
        while (tail > head && prev[blk + deque[tail - 1]] <= prev[blk + b]) tail--;
        deque[tail++] = b;
        while (deque[head] < b - half) head++;
        leftMax[blk + b] = prev[blk + deque[head]];
        leftArg[blk + b] = deque[head];
      }
      head = 0;
      tail = 0;
      for (let b = n - 1; b >= 0; b--) {
        while (tail > head && prev[blk + deque[tail - 1]] <= prev[blk + b]) tail--;
        deque[tail++] = b;
        while (deque[head] > b + half) head++;
        rightMax[blk + b] = prev[blk + deque[head]];
        rightArg[blk + b] = deque[head];
      }
    }
    setLogProb(t);
    const ptrRow = t * S;
    // both targets of bin b at once: jV = b (voiced) and jU = n + b (unvoiced); from the voiced band
    // jV takes log_trans with 0.99 (stay) and jU with 0.01 (switch), from the unvoiced band the reverse
    for (let b = 0; b < n; b++) {
      const lo = Math.max(0, b - half);
      const hi = Math.min(n - 1, b + half);
      // out-of-band groups: value + log(tiny), the same for both targets
      let bestV = -Infinity;
      let argV = 0;
      for (let blk = 0; blk < S; blk += n) {
        if (lo > 0) {
          const v = preV[blk + lo - 1];
          if (v > bestV || (v === bestV && preI[blk + lo - 1] < argV)) {
            bestV = v;
            argV = preI[blk + lo - 1];
          }
        }
        if (hi < n - 1) {
          const v = sufV[blk + hi + 1];
          if (v > bestV || (v === bestV && sufI[blk + hi + 1] < argV)) {
            bestV = v;
            argV = sufI[blk + hi + 1];
          }
        }
      }
      let bestU = bestV;
      let argU = argV;
      const tb = b * tailStride;
      const cb = b * width + half;
      // sums reached for sure: in each band the target's own bin and each side's argmax
      for (let blk = 0; blk < S; blk += n) {
        const colV = blk === 0 ? colStay : colSwitch;
        const colU = blk === 0 ? colSwitch : colStay;
        for (let q = 0; q < 3; q++) {
          const i = q === 0 ? b : q === 1 ? leftArg[blk + b] : rightArg[blk + b];
          const k = blk + i;
          const c = cb + i - b;
          const vV = prev[k] + colV[c];
          if (vV > bestV || (vV === bestV && k < argV)) {
            bestV = vV;
            argV = k;
          }
          const vU = prev[k] + colU[c];
          if (vU > bestU || (vU === bestU && k < argU)) {
            bestU = vU;
            argU = k;
          }
        }
      }
      // in each band, the bins that can reach or tie the best (see above), scanned in state order
      for (let blk = 0; blk < S; blk += n) {
        const stayV = blk === 0;
        const colV = stayV ? colStay : colSwitch;
        const colU = stayV ? colSwitch : colStay;
        const lm = leftMax[blk + b];
        const rm = rightMax[blk + b];
        const dlV = reachDistance(stayV ? tailStayL : tailSwitchL, tb, tailStride, lm, bestV);
        const drV = reachDistance(stayV ? tailStayR : tailSwitchR, tb, tailStride, rm, bestV);
        const dlU = reachDistance(stayV ? tailSwitchL : tailStayL, tb, tailStride, lm, bestU);
        const drU = reachDistance(stayV ? tailSwitchR : tailStayR, tb, tailStride, rm, bestU);
        const needV = dlV > 1 || drV > 1;
        const needU = dlU > 1 || drU > 1;
        if (!needV && !needU) continue;
        const from = Math.max(0, b - Math.max(needV ? dlV : 0, needU ? dlU : 0) + 1);
        const to = Math.min(n - 1, b + Math.max(needV ? drV : 0, needU ? drU : 0) - 1);
        let bbV = -Infinity;
        let baV = 0;
        let bbU = -Infinity;
        let baU = 0;
        if (needV && needU) {
          for (let c = cb + from - b, k = blk + from, end = blk + to; k <= end; c++, k++) {
            const p = prev[k];
            const vV = p + colV[c];
            if (vV > bbV) {
              bbV = vV;
              baV = k;
            }
            const vU = p + colU[c];
            if (vU > bbU) {
              bbU = vU;
              baU = k;
            }
          }
        } else {
          const col = needV ? colV : colU;
          let bb = -Infinity;
          let ba = 0;
          for (let c = cb + from - b, k = blk + from, end = blk + to; k <= end; c++, k++) {
            const v = prev[k] + col[c];
            if (v > bb) {
              bb = v;
              ba = k;
            }
          }
          if (needV) {
            bbV = bb;
            baV = ba;
          } else {
            bbU = bb;
            baU = ba;
          }
        }
        if (bbV > bestV || (bbV === bestV && baV < argV)) {
          bestV = bbV;
          argV = baV;
        }
        if (bbU > bestU || (bbU === bestU && baU < argU)) {
          bestU = bbU;
          argU = baU;
        }
      }
      ptr[ptrRow + b] = argV;
      cur[b] = logProb[b] + bestV;
      ptr[ptrRow + n + b] = argU;
      cur[n + b] = logProb[n + b] + bestU;
    }
    const tmp = prev;
    prev = cur;
    cur = tmp;
  }
  const states = new Uint16Array(nFrames);
  let s = 0;
  for (let j = 1; j < S; j++) if (prev[j] > prev[s]) s = j;
  states[nFrames - 1] = s;
  for (let t = nFrames - 2; t >= 0; t--) states[t] = ptr[(t + 1) * S + states[t + 1]];
  return states;
}

/** The percentiles pyinStats reports. */
export const PYIN_PERCENTILES = [10, 50, 90] as const;

export interface PyinStats {
  /** mean f0 of the voiced frames, Hz (np.nanmean(f0)) */
  f0MeanVoiced: number;
  /** population standard deviation of f0 over the voiced frames, Hz (np.nanstd(f0), ddof 0) */
  f0SdVoiced: number;
  /** the 10th, 50th and 90th percentiles of f0 over the voiced frames, Hz (np.nanpercentile, 'linear') */
  f0Percentiles: [number, number, number];
  /** voiced frames / frames (np.mean(voiced_flag)) */
  voicedFraction: number;
  /** mean voiced probability over all frames (np.mean(voiced_prob)) */
  voicedProbMean: number;
}

/**
 * A clip's pYIN track pooled into the extended preset's numbers. F0 statistics are in Hz, over the
 * voiced frames only, so they equal what a Python user computes from librosa's f0 with NaN on
 * unvoiced frames (np.nanmean, np.nanstd, np.nanpercentile). With no voiced frame (silence, noise,
 * whispering) the F0 statistics are 0 rather than NaN, so a vector never holds a NaN; voicedFraction
 * 0 tells that case apart. With no frame at all everything is 0.
 */
export function pyinStats(result: PyinResult): PyinStats {
  const { voicedFlag, voicedProb, f0 } = result;
  const n = voicedFlag.length;
  const voiced: number[] = [];
  for (let t = 0; t < n; t++) if (voicedFlag[t] && Number.isFinite(f0[t])) voiced.push(f0[t]);
  const mean = (xs: ArrayLike<number>): number => (xs.length ? pairwiseSumF64(xs, 0, xs.length) / xs.length : 0);
  let voicedCount = 0;
  for (let t = 0; t < n; t++) voicedCount += voicedFlag[t] ? 1 : 0;
  const stats: PyinStats = {
    f0MeanVoiced: 0,
    f0SdVoiced: 0,
    f0Percentiles: [0, 0, 0],
    voicedFraction: n ? voicedCount / n : 0,
    voicedProbMean: mean(voicedProb),
  };
  if (voiced.length === 0) return stats;
  const m = mean(voiced);
  stats.f0MeanVoiced = m;
  stats.f0SdVoiced = Math.sqrt(mean(voiced.map((v) => (v - m) * (v - m))));
  const sorted = Float64Array.from(voiced).sort();
  stats.f0Percentiles = [percentile(sorted, 10), percentile(sorted, 50), percentile(sorted, 90)];
  return stats;
}

/** np.percentile(method='linear') of sorted values, with numpy's two-sided lerp. */
function percentile(sorted: Float64Array, q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = pos - lo;
  const a = sorted[lo];
  const d = sorted[hi] - a;
  return t >= 0.5 ? sorted[hi] - d * (1 - t) : a + d * t;
}
