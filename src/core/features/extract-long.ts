import { withChromaBankPacked } from '../dsp/chroma';
import { contrastBands, contrastDb } from '../dsp/contrast';
import { runPlanChunked } from '../audio/soxr-chunked';
import { soxrHqPlan } from '../audio/resample';
import { cqtWasmGeometry } from '../dsp/cqt';
import { melFilterBank } from '../dsp/mel';
import { dct2OrthoMatrix } from '../dsp/mfcc';
import { cqToChroma, tonnetzPhi } from '../dsp/tonnetz';
import { piptrackBand, tuningEdges } from '../dsp/tuning';
import { type Arena, type WasmF32, arena } from '../dsp/wasm/kernels';
import type { FeatureBlock } from './config';

const N_FFT = 2048;
const HOP = 512;
const PAD = N_FFT >> 1;
const N_BINS = (N_FFT >> 1) + 1;
const N_MELS = 128;
const CQT_BPO = 36;
/** librosa's HPSS median filter width (harmonic over frames, percussive over bins). */
const KERNEL = 31;
const CTX = KERNEL >> 1;

/** Frames per chunk: ~24 s of signal, ~45 MB of working memory whatever the length. */
export const LONG_CHUNK_FRAMES = 1024;

export interface LongResult {
  means: Map<FeatureBlock, Float64Array>;
  tuning: { chroma: number | null; cqt: number | null };
  nFrames: number;
}

/**
 * extractFeatures for long signals in bounded memory, with the same numbers bit for bit (checked
 * against the whole-signal path in tests/core/features/extract-long.test.ts): the signal goes through
 * in chunks of frames, and what librosa computes over the whole signal is kept per frame or summed:
 *
 * 1. |STFT(y)| chunk by chunk (15 frames of context each side for the harmonic median, read through
 *    the signal-wide reflection): mel sums and the largest log-mel, piptrack's peaks for the chroma
 *    tuning, the contrast band statistics (7 x 2 values per frame), and the HPSS: mask, inverse FFT,
 *    overlap-add carried from chunk to chunk, the harmonic signal written as its samples complete;
 * 2. |STFT(y)| again, now that the log-mel maximum (power_to_db's top_db floor) and the chroma tuning
 *    are known: MFCC and chroma sums;
 * 3. |STFT(harmonic)|: piptrack's peaks for the CQT tuning;
 * 4. the CQT: octave signals by the exact soxr 2:1 stage (written over the input signal, no longer
 *    needed), then octave by octave from the lowest, chunk by chunk, chroma_cqt's sums added in bin
 *    order; then tonnetz per frame.
 *
 * Memory: the signal, the harmonic signal and the octave signals (float32, 4 bytes a sample each;
 * with `consume` the octave signals overwrite the input signal instead) plus ~60 MB; the signal must
 * be resident (inside withWasmSession). Returns the block means.
 */
export function extractLong(
  y: WasmF32,
  sr: number,
  nMfcc: number,
  want: Set<FeatureBlock>,
  opts: { chunkFrames?: number; consume?: boolean } = {},
): LongResult {
  const chunkFrames = opts.chunkFrames ?? LONG_CHUNK_FRAMES;
  const A = arena();
  const X = A.x;
  const n = y.length;
  const T = 1 + Math.floor(n / HOP);
  if (T <= 2 * CTX + 1) throw new Error('extractLong: the signal is too short for the chunked path');
  const C = Math.max(2 * CTX + 1, chunkFrames);
  const needMel = want.has('mel') || want.has('mfcc');
  const needTonnetz = want.has('tonnetz');
  const { plan, win } = A.stft(N_FFT);
  const melBank = needMel ? A.bank(melFilterBank({ sr, nFft: N_FFT, nMels: N_MELS })) : null;
  const bands = contrastBands(N_BINS, { sr, nFft: N_FFT });
  const nBands = bands.length / 3;
  const pBands = A.putI32(bands);
  const ifft = needTonnetz ? A.pffft(N_FFT) : null;

  // kept for the whole run (this session's scope)
  const melSums = A.putF64(new Float64Array(N_MELS));
  const valley = want.has('contrast') ? A.alloc(8 * nBands * T) : 0;
  const peak = want.has('contrast') ? A.alloc(8 * nBands * T) : 0;
  const yh = needTonnetz ? A.alloc(4 * n) : 0;
  // the overlap-add carried between chunks: padded positions accBase .. accBase + accLen
  const accLen = (C + 4) * HOP + N_FFT;
  const acc = needTonnetz ? A.alloc(8 * accLen) : 0;
  const wss = needTonnetz ? A.alloc(8 * accLen) : 0;
  if (needTonnetz) {
    A.f64(acc, accLen).fill(0);
    A.f64(wss, accLen).fill(0);
  }
  const chromaPeaks: { pitches: Float32Array; mags: Float32Array }[] = [];
  let maxLog = -Infinity;

  /** |STFT| (and the complex spectrum) of frames c0 .. c1 of a resident float32 signal, in the current scope. */
  const stftFrames = (sig: number, len: number, c0: number, c1: number, complex: boolean): { mag: number; re: number; im: number } => {
    const nf = c1 - c0;
    const segLen = (nf - 1) * HOP + N_FFT;
    const seg = A.alloc(8 * segLen);
    X.segment_to_f64(sig, 1, len, c0 * HOP - PAD, segLen, seg);
    const mag = A.alloc(4 * nf * N_BINS);
    const re = complex ? A.alloc(4 * nf * N_BINS) : 0;
    const im = complex ? A.alloc(4 * nf * N_BINS) : 0;
    const work = A.alloc(16 * N_FFT);
    X.stft_f64_pairs(plan, seg, nf, HOP, win, re, im, mag, work);
    return { mag, re, im };
  };
  const melChunk = (mag: number, F: number): number => {
    const out = A.alloc(8 * N_MELS * F);
    const frame = A.alloc(8 * N_BINS);
    X.bank_apply(mag, F, N_BINS, 1, melBank!.w, 0, melBank!.runs, melBank!.rowRuns, N_MELS, frame, out);
    return out;
  };
  // piptrack's peaks are float32 values: kept as such (half the memory), in order
  const peaks = (mag: number, F: number, bpo: number): { pitches: Float32Array; mags: Float32Array } => {
    const { kLo, kHi, threshold } = piptrackBand(N_BINS, { sr, nFft: N_FFT, binsPerOctave: bpo });
    const cap = Math.max(1, F * (kHi - kLo));
    const pP = A.alloc(8 * cap);
    const pM = A.alloc(8 * cap);
    const count = X.piptrack_peaks(mag, F, N_BINS, kLo, kHi, threshold, sr, N_FFT, pP, pM);
    return { pitches: Float32Array.from(A.f64(pP, count)), mags: Float32Array.from(A.f64(pM, count)) };
  };
  const tuningOf = (list: { pitches: Float32Array; mags: Float32Array }[], bpo: number): number =>
    A.scope(() => {
      const total = list.reduce((k, l) => k + l.pitches.length, 0);
      const pP = A.alloc(4 * Math.max(1, total));
      const pM = A.alloc(4 * Math.max(1, total));
      let at = 0;
      for (const l of list) {
        A.f32(pP + 4 * at, l.pitches.length).set(l.pitches);
        A.f32(pM + 4 * at, l.mags.length).set(l.mags);
        at += l.pitches.length;
      }
      list.length = 0;
      const edges = tuningEdges(0.01);
      const pE = A.putF64(edges);
      const counts = A.alloc(4 * edges.length);
      const work = A.alloc(4 * Math.max(1, total));
      const best = X.tuning_from_peaks_f32(pP, pM, total, work, bpo, edges.length - 1, pE, counts);
      return best < 0 ? 0.0 : edges[best];
    });

  // ---- pass 1
  for (let f0 = 0; f0 < T; f0 += C) {
    const f1 = Math.min(T, f0 + C);
    const F = f1 - f0;
    A.scope(() => {
      const c0 = needTonnetz ? Math.max(0, f0 - CTX) : f0;
      const c1 = needTonnetz ? Math.min(T, f1 + CTX) : f1;
      const { mag, re, im } = stftFrames(y.ptr, n, c0, c1, needTonnetz);
      const core = 4 * (f0 - c0) * N_BINS;
      const magCore = mag + core;
      if (needMel) {
        const mel = melChunk(magCore, F);
        X.row_sums_acc(mel, N_MELS, F, melSums);
        const log = A.alloc(8 * N_MELS * F);
        const m = X.power_to_db(mel, N_MELS * F, 1e-10, 0, 0, log);
        if (m > maxLog) maxLog = m;
      }
      if (want.has('chroma')) chromaPeaks.push(peaks(magCore, F, 12));
      if (want.has('contrast')) {
        const v = A.alloc(8 * nBands * F);
        const p = A.alloc(8 * nBands * F);
        let maxQ = 1;
        for (let b = 0; b < nBands; b++) maxQ = Math.max(maxQ, bands[3 * b + 2]);
        const slots = A.alloc(16 * maxQ);
        X.contrast_bands(magCore, F, N_BINS, pBands, nBands, v, p, slots);
        X.copy_cols(v, nBands, F, valley, T, f0);
        X.copy_cols(p, nBands, F, peak, T, f0);
      }
      if (needTonnetz) {
        const harm = A.alloc(4 * F * N_BINS);
        const perc = A.alloc(4 * F * N_BINS);
        const mask = A.alloc(4 * F * N_BINS);
        const line = A.alloc(4 * (F + 2 * CTX + 8));
        X.median_time_chunk(mag, c0, N_BINS, T, f0, F, harm, line);
        const scratch = A.alloc(4 * (N_BINS + 2 * KERNEL + 40));
        X.median_rows(magCore, F, N_BINS, KERNEL, perc, scratch);
        X.mask_from_medians(harm, perc, F * N_BINS, mask);
        const frames = A.alloc(4 * F * N_FFT);
        X.istft_masked_inputs(re + core, im + core, mask, F, N_FFT, frames);
        X.pffft_inverse_frames(ifft!.setup, frames, N_FFT, F, ifft!.work);
        // acc[0] is padded position f0 * HOP
        X.ola_add(frames, F, N_FFT, HOP, win, acc, wss);
        // samples complete up to padded position f1 * HOP (the whole rest after the last frame)
        const doneTo = f1 === T ? n + PAD : f1 * HOP;
        const from = Math.max(f0 * HOP, PAD);
        if (doneTo > from) X.ola_emit(acc + 8 * (from - f0 * HOP), wss + 8 * (from - f0 * HOP), doneTo - from, yh + 4 * (from - PAD));
        // carry the overlap of the last frames to the start
        const keep = F * HOP;
        const a = A.f64(acc, accLen);
        const w = A.f64(wss, accLen);
        a.copyWithin(0, keep, keep + N_FFT - HOP);
        a.fill(0, N_FFT - HOP);
        w.copyWithin(0, keep, keep + N_FFT - HOP);
        w.fill(0, N_FFT - HOP);
      }
    });
  }
  const tuning: LongResult['tuning'] = { chroma: null, cqt: null };
  if (want.has('chroma')) tuning.chroma = tuningOf(chromaPeaks, 12);

  // ---- pass 2: MFCC (the top_db floor is known now) and chroma (the tuning is)
  const mfccSums = A.putF64(new Float64Array(nMfcc));
  const chromaSums = A.putF64(new Float64Array(12));
  if (want.has('mfcc') || want.has('chroma')) {
    const D = want.has('mfcc') ? A.putF64(dct2OrthoMatrix(N_MELS, nMfcc)) : 0;
    const floor = maxLog - 80.0;
    for (let f0 = 0; f0 < T; f0 += C) {
      const f1 = Math.min(T, f0 + C);
      const F = f1 - f0;
      A.scope(() => {
        const { mag } = stftFrames(y.ptr, n, f0, f1, false);
        if (want.has('mfcc')) {
          const mel = melChunk(mag, F);
          const log = A.alloc(8 * N_MELS * F);
          X.power_to_db(mel, N_MELS * F, 1e-10, 0, 0, log);
          X.clip_floor(log, N_MELS * F, floor);
          const out = A.alloc(8 * nMfcc * F);
          X.dct_rows(D, nMfcc, N_MELS, log, F, out);
          X.row_sums_acc(out, nMfcc, F, mfccSums);
        }
        if (want.has('chroma')) {
          withChromaBankPacked({ sr, nFft: N_FFT, tuning: tuning.chroma! }, (bank) =>
            A.scope(() => {
              const raw = A.alloc(8 * 12 * F);
              const frame = A.alloc(8 * N_BINS);
              X.bank_apply(mag, F, N_BINS, 0, bank.w, bank.wF32 ? 1 : 0, bank.runs, bank.rowRuns, 12, frame, raw);
              X.norm_inf_sums(raw, 12, F, chromaSums);
            }),
          );
        }
      });
    }
  }

  const means = new Map<FeatureBlock, Float64Array>();
  const meanOf = (p: number, rows: number): Float64Array => A.f64(p, rows).map((v) => v / T);
  if (want.has('mel')) means.set('mel', meanOf(melSums, N_MELS));
  if (want.has('mfcc')) means.set('mfcc', meanOf(mfccSums, nMfcc));
  if (want.has('chroma')) means.set('chroma', meanOf(chromaSums, 12));
  if (want.has('contrast')) {
    const c = contrastDb(A.f64(peak, nBands * T).slice(), A.f64(valley, nBands * T).slice());
    const m = new Float64Array(nBands);
    for (let b = 0; b < nBands; b++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += c[b * T + t];
      m[b] = s / T;
    }
    means.set('contrast', m);
  }

  if (needTonnetz) {
    // ---- pass 3: the CQT tuning from |STFT(harmonic)|
    const cqtPeaks: { pitches: Float32Array; mags: Float32Array }[] = [];
    for (let f0 = 0; f0 < T; f0 += C) {
      const f1 = Math.min(T, f0 + C);
      A.scope(() => cqtPeaks.push(peaks(stftFrames(yh, n, f0, f1, false).mag, f1 - f0, CQT_BPO)));
    }
    tuning.cqt = tuningOf(cqtPeaks, CQT_BPO);
    const free = opts.consume ? y.ptr : A.alloc(4 * n);
    means.set('tonnetz', cqtTonnetzMeans(A, yh, free, n, T, sr, tuning.cqt, C));
  }
  return { means, tuning, nFrames: T };
}

/**
 * Pass 4: the CQT of the harmonic signal and tonnetz, octave signals written to `free` (n floats),
 * chroma_cqt summed octave by octave from the lowest.
 */
function cqtTonnetzMeans(A: Arena, yh: number, free: number, n: number, T: number, sr: number, tuning: number, C: number): Float64Array {
  const X = A.x;
  const g = cqtWasmGeometry(sr, tuning, { hop: HOP, binsPerOctave: CQT_BPO });
  if (!g || g.early !== 0) throw new Error('extractLong: this CQT geometry needs the whole-signal path');
  const { octaves, scales, nBins } = g.spec;
  const rows = A.cqtRows(g.spec);
  const M = cqToChroma(nBins, CQT_BPO);
  const classOf = new Int32Array(nBins).fill(-1);
  for (let c = 0; c < 12; c++) for (let b = 0; b < nBins; b++) if (M[c * nBins + b] !== 0) classOf[b] = c;
  const pClass = A.putI32(classOf);
  const pScales = A.putF64(scales);
  const pShared = A.putI32(rows.start);
  const chroma = A.alloc(8 * 12 * T);
  A.f64(chroma, 12 * T).fill(0);
  // octave signals: octave 0 is the harmonic signal; the others go where the input signal was
  const sigs: { p: number; len: number; hop: number }[] = [{ p: yh, len: n, hop: HOP }];
  let at = free;
  for (let i = 1; i < octaves.length; i++) {
    const prev = sigs[i - 1];
    if (prev.hop % 2 !== 0) break;
    // the exact soxr 2:1 stage chunk by chunk, straight into place (the same values as cqtWasm's)
    const nOut = Math.ceil(prev.len / 2);
    runPlanChunked(A, soxrHqPlan(2), prev.len, nOut, (lo, hi, dst) => X.segment_f32(prev.p, prev.len, lo, hi - lo, dst), at);
    X.div_f32_by_f64(at, nOut, Math.sqrt(0.5));
    const next = { p: at, len: nOut, hop: prev.hop / 2 };
    at += 4 * next.len;
    if (at > free + 4 * n) throw new Error('extractLong: octave signals overflow');
    sigs.push(next);
  }
  if (sigs.length !== octaves.length) throw new Error('extractLong: the hop does not halve for every octave');
  // bins are ascending from the lowest octave: the last one first
  const ends: number[] = [];
  let end = nBins;
  for (let i = 0; i < octaves.length; i++) {
    ends.push(end);
    end -= Math.min(octaves[i].rowIdx.length, end);
  }
  for (let i = octaves.length - 1; i >= 0; i--) {
    const basis = octaves[i];
    const { p: sig, len, hop } = sigs[i];
    const nFft = basis.nFft;
    const nRows = basis.rowIdx.length;
    const take = Math.min(nRows, ends[i]);
    if (take <= 0) continue;
    let nnz = 0;
    let lo = nFft;
    let hi = 0;
    for (let r = 0; r < nRows; r++) {
      const q = basis.rowIdx[r];
      const count = rows.start[q + 1] - rows.start[q];
      nnz += count;
      if (count) {
        lo = Math.min(lo, 2 * rows.minBin[q]);
        hi = Math.max(hi, 2 * rows.maxBin[q] + 2);
      }
    }
    const full = lo <= 0 || hi > nFft;
    const from = full ? 0 : lo;
    const stride = full ? nFft + 2 : hi - lo;
    const plan = A.pffft(nFft);
    A.scope(() => {
      const pRowStart = A.alloc(4 * (nRows + 1));
      const pIdx = A.alloc(4 * Math.max(1, nnz));
      const pRe = A.alloc(8 * Math.max(1, nnz));
      const pIm = A.alloc(16 * Math.max(1, nnz));
      const pRowIdx = A.putI32(basis.rowIdx);
      const pRatios = A.putF64(basis.ratios);
      X.cqt_octave_assemble(rows.bins, rows.re, rows.im, pShared, pRowIdx, pRatios, nRows, from, pRowStart, pIdx, pRe, pIm);
      const dstFirst = ends[i] - take;
      for (let f0 = 0; f0 < T; f0 += C) {
        const F = Math.min(T, f0 + C) - f0;
        A.scope(() => {
          const segLen = (F - 1) * hop + nFft;
          const seg = A.alloc(4 * segLen);
          X.segment_f32(sig, len, f0 * hop - (nFft >> 1), segLen, seg);
          const pIn = A.alloc(4 * nFft);
          const pSpec = A.alloc(4 * F * stride);
          const pFrame = A.alloc(8 * (stride + 4));
          const pOutRe = A.alloc(8 * nRows * F);
          const pOutIm = A.alloc(8 * nRows * F);
          X.pffft_frames_band(plan.setup, seg, nFft, hop, F, pIn, plan.b, plan.work, from, full ? nFft : stride, pSpec, stride);
          X.cqt_octave_dot(pSpec, F, stride, full ? 1 : 0, nFft, pRowStart, pIdx, pRe, pIm, nRows, pOutRe, pOutIm, pFrame);
          const mag = A.alloc(8 * take * F);
          X.cqt_magnitudes(pOutRe, pOutIm, F, nRows - take, take, pScales + 8 * dstFirst, F, mag);
          X.chroma_acc_rows(mag, take, F, dstFirst, pClass, chroma, T, f0);
        });
      }
    });
  }
  const phi = A.putF64(tonnetzPhi());
  const tz = A.alloc(8 * 6 * T);
  X.tonnetz_from_chroma(chroma, T, phi, tz);
  const sums = A.putF64(new Float64Array(6));
  X.row_sums_acc(tz, 6, T, sums);
  return A.f64(sums, 6).map((v) => v / T);
}
