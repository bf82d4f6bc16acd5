import { chromaStft } from '../dsp/chroma';
import { fftIsReady } from '../dsp/fft';
import { spectralContrast } from '../dsp/contrast';
import { type HalfDecimator, cqtMagnitude, cqtMagnitudeResident } from '../dsp/cqt';
import { harmonicSignal, harmonicSignalResident } from '../dsp/hpss';
import { melSpectrogramFromMagnitude, melSpectrogramResident } from '../dsp/mel';
import { dct2OrthoMatrix, mfccFromLogMel } from '../dsp/mfcc';
import { powerToDb } from '../dsp/power_to_db';
import { stftComplex64, stftMagnitudeF32 } from '../dsp/stft';
import { estimateTuning } from '../dsp/tuning';
import {
  type StftResident,
  type WasmF32,
  type WasmF64,
  cqtTonnetzWasm,
  dctRowsWasm,
  heapF32,
  inWasmSession,
  isWasmF32,
  powerToDbWasmResident,
  residentCopyF32,
  residentF32,
  prepareStft,
  residentRowMeans,
  residentView,
  stftWasmResident,
  withWasmSession,
} from '../dsp/wasm/kernels';
import { chromaCqt, cqToChroma, tonnetz, tonnetzPhi } from '../dsp/tonnetz';
import { type FeatureBlock, type FeatureConfig, resolveFeatureConfig } from './config';
import { extractLong } from './extract-long';

/** Loads the SIMD FFT; optional (without it the float64 JS FFT is used, same results, slower). */
export { initFft as initFeatureExtraction } from '../dsp/fft';

const N_FFT = 2048;
const HOP = 512;
const N_MELS = 128;
const CQT_BPO = 36;

export interface ExtractOptions {
  /** Also return the per-frame blocks, shaped [n_features][n_frames] as librosa returns them. */
  returnBlocks?: boolean;
  /** 2:1 decimator for the CQT octaves (default: soxr HQ's 2:1 stage in WASM, dsp/decimate). */
  decimate?: HalfDecimator;
  /** If given, milliseconds spent per stage are added here. */
  timings?: Record<string, number>;
  /**
   * Signals of more than this many frames go through the chunked path (extract-long.ts: bounded
   * memory, the same numbers); default LONG_SIGNAL_FRAMES. Tests set it low to compare both paths.
   */
  longFrames?: number;
  /** Chunk size of the chunked path (frames). */
  chunkFrames?: number;
  /** The chunked path may overwrite a resident signal's memory (its caller is done with it). */
  consumeSignal?: boolean;
  /**
   * Hands the per-frame intermediates to the caller as they are made (the extended preset,
   * presets.ts, computes its statistics from them): the vector itself is unchanged. Such calls take
   * the whole-signal path, never the chunked one.
   */
  frames?: FrameSink;
}

/**
 * Receives views of extractFeatures' intermediates, valid only during the call (they may live in
 * WASM memory that the next kernel reuses): read or copy them before returning, allocate no WASM memory.
 */
export interface FrameSink {
  /** The analysed signal (float32 values) and its |X| (float32, frame-major: bin k of frame t at t * nBins + k). */
  spectrum(y: Float32Array | Float64Array, S: Float32Array, nFrames: number, nBins: number): void;
  /** A reference block's frames, [rows][cols] row-major, of which the first nFrames columns are the block's. */
  block(block: FeatureBlock, frames: ArrayLike<number>, rows: number, nFrames: number, cols: number): void;
}

/** ~3 minutes at 22.05 kHz: longer signals are analysed chunk by chunk (bounded memory). */
export const LONG_SIGNAL_FRAMES = 8192;

export interface FeatureResult {
  /** Block means in FEATURE_BLOCKS order (166 numbers for the default config). */
  vector: Float64Array;
  blocks?: Partial<Record<FeatureBlock, number[][]>>;
  /** Estimated tunings in fractions of a bin (null when the block needing it is not computed). */
  tuning: { chroma: number | null; cqt: number | null };
  nFrames: number;
}

function rowMeans(X: ArrayLike<number>, nRows: number, nFrames: number, cols = nFrames): Float64Array {
  const out = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    let s = 0;
    for (let t = 0; t < nFrames; t++) s += X[r * cols + t];
    out[r] = s / nFrames;
  }
  return out;
}

function toRows(X: ArrayLike<number>, nRows: number, nFrames: number, cols = nFrames): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < nRows; r++) {
    const row = new Array<number>(nFrames);
    for (let t = 0; t < nFrames; t++) row[t] = X[r * cols + t];
    rows.push(row);
  }
  return rows;
}

/**
 * The reference's feature vector (librosa 0.11 semantics, see golden/DEFAULTS.md) for a mono
 * signal already at config.sampleRate, holding float32 values as librosa.load returns them.
 * `await initFeatureExtraction()` once first for speed. Synchronous; filter banks and CQT bases
 * are cached per (sample rate, tuning), so at most ~100 of each per sample rate.
 */
export function extractFeatures(
  signal: Float32Array | Float64Array | WasmF32,
  config: Partial<FeatureConfig> = {},
  options: ExtractOptions = {},
): FeatureResult {
  // a signal resident in WASM memory (loadMonoResident) is used in place, inside its session
  if (isWasmF32(signal) && !inWasmSession()) throw new Error('extractFeatures: a resident signal needs its withWasmSession');
  const y: Float32Array | Float64Array | WasmF32 = isWasmF32(signal) && !fftIsReady() ? residentCopyF32(signal) : signal;
  const cfg = resolveFeatureConfig(config);
  const sr = cfg.sampleRate;
  const want = new Set(cfg.blocks);
  const frames = 1 + Math.floor(y.length / HOP);
  if (fftIsReady() && !options.returnBlocks && !options.frames && !options.decimate && sr === 22050 && frames > (options.longFrames ?? LONG_SIGNAL_FRAMES)) {
    return extractLongPath(y, cfg, want, options);
  }
  const timings = options.timings;
  let clock = performance.now();
  const lap = (name: string): void => {
    if (!timings) return;
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + (now - clock);
    clock = now;
  };

  // per block: its row means over the T frames (and the frames themselves when asked for)
  const computed = new Map<FeatureBlock, { means: Float64Array; frames?: number[][] }>();
  const put = (block: FeatureBlock, data: ArrayLike<number>, rows: number, cols = T): void => {
    computed.set(block, { means: rowMeans(data, rows, T, cols), frames: options.returnBlocks ? toRows(data, rows, T, cols) : undefined });
    options.frames?.block(block, data, rows, T, cols);
  };
  const tuning: FeatureResult['tuning'] = { chroma: null, cqt: null };
  let T = 0;
  let yh: Float64Array | null = null;
  let chromaCq: Float64Array | null = null;
  let cqFrames = 0;

  // The STFT-based blocks. In a WASM session (the default) |X|, the complex spectrum, the HPSS
  // mask and |STFT(harmonic)| never leave WASM memory: no copies, no per-clip JS allocations.
  const spectral = (resident: boolean): void => {
    const withComplex = want.has('tonnetz');
    const spec = resident ? stftWasmResident(y, N_FFT, HOP, withComplex) : stftComplex64(y as Float32Array | Float64Array, N_FFT, HOP);
    const S = spec.S;
    T = spec.nFrames;
    const nBins = spec.nBins;
    lap('stft');
    if (options.frames) {
      // views of the resident signal and |X| (no copies), read by the sink before any other kernel runs
      const yView = isWasmF32(y) ? heapF32(y.ptr, y.length) : y;
      const sView = isWasmF32(S) ? heapF32(S.ptr, S.length) : (S as Float32Array);
      options.frames.spectrum(yView, sView, T, nBins);
      lap('frames');
    }
    if (want.has('mel') || want.has('mfcc')) {
      const melOpts = { sr, nFft: N_FFT, nMels: N_MELS };
      // (clips of under 8 frames take the copying path: its small-input branches are the JS loops)
      if (resident && T >= 8) {
        // the mel and log-mel matrices stay in WASM memory: read through views, never copied
        const mel = melSpectrogramResident(S as WasmF32, T, melOpts);
        lap('mel');
        if (want.has('mel')) {
          computed.set('mel', { means: residentRowMeans(mel, N_MELS, T, T), frames: options.returnBlocks ? toRows(residentView(mel), N_MELS, T) : undefined });
          options.frames?.block('mel', residentView(mel), N_MELS, T, T);
        }
        if (want.has('mfcc')) {
          const logMel = powerToDbWasmResident(mel, 1e-10, 80.0);
          put('mfcc', dctRowsWasm(dct2OrthoMatrix(N_MELS, cfg.nMfcc), cfg.nMfcc, N_MELS, logMel, T), cfg.nMfcc);
          lap('mfcc');
        }
      } else {
        const mel = melSpectrogramFromMagnitude(S, T, melOpts);
        lap('mel');
        if (want.has('mel')) put('mel', mel, N_MELS);
        if (want.has('mfcc')) {
          put('mfcc', mfccFromLogMel(powerToDb(mel), N_MELS, T, cfg.nMfcc), cfg.nMfcc);
          lap('mfcc');
        }
      }
    }
    if (want.has('chroma')) {
      tuning.chroma = estimateTuning(S, T, nBins, { sr, nFft: N_FFT, binsPerOctave: 12 });
      put('chroma', chromaStft(S, T, { sr, nFft: N_FFT, tuning: tuning.chroma }), 12);
      lap('chroma');
    }
    if (want.has('contrast')) {
      put('contrast', spectralContrast(S, T, nBins, { sr, nFft: N_FFT }), 7);
      lap('contrast');
    }
    if (want.has('tonnetz')) {
      const h = resident
        ? harmonicSignalResident(y.length, spec as StftResident, N_FFT, HOP)
        : harmonicSignal(y as Float32Array | Float64Array, spec as ReturnType<typeof stftComplex64>, S as Float32Array);
      lap('hpss');
      const H = resident ? stftWasmResident(h, N_FFT, HOP, false) : stftMagnitudeF32(h as Float64Array, N_FFT, HOP);
      tuning.cqt = estimateTuning(H.S, H.nFrames, H.nBins, { sr, nFft: N_FFT, binsPerOctave: CQT_BPO });
      lap('cqt_tuning');
      if (resident && !options.decimate) {
        // the CQT from the resident harmonic signal, its magnitude read in place
        const C = cqtMagnitudeResident(h as WasmF64, { sr, tuning: tuning.cqt, hop: HOP, binsPerOctave: CQT_BPO });
        lap('cqt');
        if (C.nFrames < T) throw new Error(`CQT has ${C.nFrames} frames, STFT ${T}`);
        // chroma_cqt and tonnetz in WASM too (the same sums as tonnetz.ts), on the first T frames
        put('tonnetz', cqtTonnetzWasm(C.magnitude, C.nBins, C.nFrames, T, cqToChroma(C.nBins, CQT_BPO), tonnetzPhi()), 6);
        lap('tonnetz');
      } else yh = resident ? Float64Array.from(residentView(h as WasmF64)) : (h as Float64Array);
    }
  };
  if (fftIsReady()) {
    prepareStft(N_FFT);
    if (inWasmSession()) spectral(true);
    else withWasmSession(() => spectral(true));
  } else {
    spectral(false);
  }

  if (yh !== null && tuning.cqt !== null) {
    const C = cqtMagnitude(yh as Float64Array, { sr, tuning: tuning.cqt, decimate: options.decimate, hop: HOP, binsPerOctave: CQT_BPO });
    lap('cqt');
    chromaCq = chromaCqt(C.magnitude, C.nBins, C.nFrames, CQT_BPO);
    cqFrames = C.nFrames;
  }
  if (chromaCq !== null) {
    if (cqFrames < T) throw new Error(`CQT has ${cqFrames} frames, STFT ${T}`);
    let chroma: Float64Array = chromaCq;
    if (cqFrames > T) {
      const trimmed = new Float64Array(12 * T);
      for (let c = 0; c < 12; c++) trimmed.set(chroma.subarray(c * cqFrames, c * cqFrames + T), c * T);
      chroma = trimmed;
    }
    put('tonnetz', tonnetz(chroma, T), 6);
    lap('tonnetz');
  }

  const parts: Float64Array[] = [];
  const blocks: Partial<Record<FeatureBlock, number[][]>> = {};
  for (const b of cfg.blocks) {
    const { means, frames } = computed.get(b)!;
    parts.push(means);
    if (options.returnBlocks) blocks[b] = frames!;
  }
  const vector = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    vector.set(p, at);
    at += p.length;
  }
  return { vector, ...(options.returnBlocks ? { blocks } : {}), tuning, nFrames: T };
}

/** The chunked path for long signals (extract-long.ts), in a session, the signal made resident. */
function extractLongPath(y: Float32Array | Float64Array | WasmF32, cfg: FeatureConfig, want: Set<FeatureBlock>, options: ExtractOptions): FeatureResult {
  const run = (): FeatureResult => {
    const resident = isWasmF32(y) ? y : residentF32(y instanceof Float32Array ? y : Float32Array.from(y));
    const consume = isWasmF32(y) ? !!options.consumeSignal : true;
    const r = extractLong(resident, cfg.sampleRate, cfg.nMfcc, want, { chunkFrames: options.chunkFrames, consume });
    const parts: Float64Array[] = cfg.blocks.map((b) => r.means.get(b)!);
    const vector = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      vector.set(p, at);
      at += p.length;
    }
    return { vector, tuning: r.tuning, nFrames: r.nFrames };
  };
  return inWasmSession() ? run() : withWasmSession(run);
}
