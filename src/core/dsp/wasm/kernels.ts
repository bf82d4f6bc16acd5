import { realFft64 } from '../fft64';
import type { FilterBank } from '../filterbank';
import { hannPeriodic } from '../window';
import v8 from 'node:v8';
import { KERNELS_WASM_BASE64 } from './kernels-wasm';

/**
 * The WASM kernels (kernels.c): instantiated synchronously on first use, one instance per thread.
 * Linear memory is a bump arena: plans (FFT tables) are allocated once and kept; per-call buffers
 * live between a `scratch()` mark and its release. Results are copied out to JS arrays, so no
 * view into WASM memory escapes (a memory.grow would detach it).
 */
// The project's lib settings carry no WebAssembly typings: the few members used are declared here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The module's exports (kernels.c, pffft.c). */
export interface KernelExports {
  memory: WasmMemory;
  __heap_base: { value: number };
  pad_to_f64(y: number, isF32: number, n: number, pad: number, padded: number): void;
  stft_f64(plan: number, padded: number, nFrames: number, hop: number, window: number, re: number, im: number, mag: number): void;
  stft_f64_pairs(plan: number, padded: number, nFrames: number, hop: number, window: number, re: number, im: number, mag: number, work: number): void;
  median_rows(x: number, nRows: number, rowLen: number, size: number, out: number, scratch: number): void;
  median_cols(x: number, nRows: number, nCols: number, size: number, out: number, scratch: number): void;
  harmonic_mask(S: number, nFrames: number, nBins: number, kernel: number, harm: number, perc: number, scratch: number, mask: number): void;
  bank_apply(X: number, T: number, nCols: number, square: number, w: number, wF32: number, runs: number, rowRuns: number, nRows: number, frame: number, out: number): void;
  istft_masked_inputs(re: number, im: number, mask: number, nFrames: number, nFft: number, frames: number): void;
  istft_overlap_add(frames: number, nFrames: number, nFft: number, hop: number, w: number, acc: number, wss: number, accLen: number, length: number, roundF32: number, y: number): void;
  contrast_bands(S: number, nFrames: number, nBins: number, bands: number, nBands: number, valley: number, peak: number, slots: number): void;
  piptrack_peaks(S: number, nFrames: number, nBins: number, kLo: number, kHi: number, threshold: number, sr: number, nFft: number, pitches: number, mags: number): number;
  dct_rows(D: number, nOut: number, nIn: number, L: number, T: number, out: number): void;
  cqt_octave_dot(spec: number, T: number, stride: number, full: number, nFft: number, rowStart: number, idx: number, re: number, imPairs: number, nRows: number, outRe: number, outIm: number, frame: number): void;
  power_to_db(S: number, n: number, amin: number, hasTop: number, topDb: number, out: number): number;
  cqt_basis_rows(nRows: number, pi: number, pf: number, anchors: number, quantile: number, work: number, outBins: number, outRe: number, outIm: number, counts: number): void;
  cqt_basis_row(p: number, nfft: number, len: number, lpad: number, win: number, anchors: number, cs: number, sn: number, ilen: number, quantile: number, work: number, outBins: number, outRe: number, outIm: number): number;
  soxr_poly_fir(xp: number, coefs: number, nc4: number, L: number, div: number, rem: number, dDiv: number, dRem: number, out: number, nOut: number): void;
  pffft_setup_init(setup: number, data: number, n: number, transform: number): number;
  pffft_transform(setup: number, input: number, output: number, work: number, direction: number): void;
  pffft_transform_ordered(setup: number, input: number, output: number, work: number, direction: number): void;
  pffft_zreorder(setup: number, input: number, output: number, direction: number): void;
  soxr_dft_stage(pN: number, pSmall: number, a: number, b: number, w: number, a2: number, b2: number, w2: number, coefs: number, N: number, L: number, step: number, lPow2: number, preload: number, x: number, xl: number, blocks: number, nBlocks: number, out: number, nOut: number): void;
  soxr_interp_fir(xp: number, coefs: number, nc4: number, order: number, phaseBits: number, stepInt: number, stepFrac: number, atInt: number, atFrac: number, out: number, nOut: number): void;
  soxr_half_fir(xp: number, coefs: number, n: number, out: number, nOut: number): void;
  pffft_frames_band(s: number, sig: number, n: number, hop: number, T: number, inp: number, out: number, work: number, from: number, width: number, dst: number, stride: number): void;
  pffft_inverse_frames(s: number, frames: number, n: number, count: number, work: number): void;
  f64_to_f32(x: number, n: number, out: number): void;
  div_f32_by_f64(x: number, n: number, d: number): void;
  pad_f32(x: number, n: number, pad: number, dst: number): void;
  cqt_magnitudes(re: number, im: number, T: number, srcFirst: number, take: number, scale: number, nFrames: number, mag: number): void;
  exp_many(x: number, n: number, out: number): void;
  chroma_bank_packed(frqbins: number, step: number, a440Over16: number, nChroma: number, nFft: number, nCols: number, ctroct: number, octwidth: number, dense: number, col: number, packed: number, triples: number, rowRuns: number): number;
  wav_to_mono(src: number, kind: number, frames: number, nch: number, out: number): void;
  cqt_octave_assemble(bins: number, re: number, im: number, sharedStart: number, rowIdx: number, ratios: number, nRows: number, from: number, rowStart: number, idx: number, outRe: number, outImPairs: number): void;
  log2_many(x: number, n: number, out: number): void;
  estimate_tuning(S: number, nFrames: number, nBins: number, kLo: number, kHi: number, threshold: number, sr: number, nFft: number, pitches: number, mags: number, work: number, bpo: number, nHist: number, edges: number, counts: number): number;
  cqt_tonnetz(C: number, nBins: number, nFramesC: number, T: number, M: number, phi: number, chroma: number, out: number): void;
  row_means(X: number, nRows: number, cols: number, T: number, out: number): void;
  segment_to_f64(y: number, isF32: number, n: number, start: number, len: number, out: number): void;
  segment_f32(x: number, n: number, start: number, len: number, out: number): void;
  median_time_chunk(S: number, c0: number, nBins: number, T: number, f0: number, F: number, out: number, line: number): void;
  mask_from_medians(harm: number, perc: number, n: number, mask: number): void;
  ola_add(frames: number, F: number, nfft: number, hop: number, w: number, acc: number, wss: number): void;
  ola_emit(acc: number, wss: number, count: number, out: number): void;
  row_sums_acc(X: number, nRows: number, F: number, sums: number): void;
  clip_floor(x: number, n: number, floor: number): void;
  norm_inf_sums(X: number, nRows: number, F: number, sums: number): void;
  copy_cols(src: number, nRows: number, F: number, dst: number, T: number, t0: number): void;
  chroma_acc_rows(mag: number, take: number, F: number, dstFirst: number, classOf: number, chroma: number, T: number, t0: number): void;
  tonnetz_from_chroma(chroma: number, T: number, phi: number, out: number): void;
  tuning_from_peaks_f32(pitches: number, mags: number, n: number, work: number, bpo: number, nHist: number, edges: number, counts: number): number;
  tuning_from_peaks(pitches: number, mags: number, n: number, work: number, bpo: number, nHist: number, edges: number, counts: number): number;
  count_nonfinite_f32(x: number, n: number): number;
  fir_decimate2(fwd: number, inv: number, hre: number, him: number, taps: number, x: number, xl: number, gain: number, y: number, nOut: number, seg: number, re: number, im: number): void;
}

/** After a call that grew memory past this, the instance is dropped (a long file must not pin its peak). */
const KEEP_MEMORY_BYTES = 96 << 20;

/**
 * Size of the region for data kept across calls (plans, windows, banks), below the scratch region:
 * a permanent allocation can be made at any time, even inside a scratch scope. Pages never touched
 * cost no memory. When it is full, such data goes to scratch (uploaded again on every call).
 */
const PERMANENT_BYTES = 24 << 20;

interface Instance {
  /** Distinguishes instances (data kept in one is not in the next). */
  id: number;
  x: KernelExports;
  /** Scratch bump pointer (from scratchBase up). */
  top: number;
  /** Permanent bump pointer and the end of its region (where scratch starts). */
  permanentTop: number;
  scratchBase: number;
  scratchDepth: number;
  /** The permanent region ran out: drop this instance at the end of the outermost scope. */
  permanentFull: boolean;
  fftPlans: Map<number, number>;
  /** pffft setups and their buffers, per size and twiddle flavour. */
  pffft: Map<string, PffftPlan>;
  windows: Map<number, number>;
  banks: WeakMap<FilterBank, { w: number; runs: number; rowRuns: number }>;
  /** Filter banks built in WASM (chroma), by configuration key. */
  builtBanks: Map<string, BankPointers>;
  /** Float32 tables uploaded once (filter coefficients): their byte offsets. */
  keptF32: WeakMap<Float32Array, number>;
  /** Filter spectra of 2:1 decimators, per filter and FFT size: (hre, him) pointers. */
  firSpectra: WeakMap<Float64Array, Map<number, { hre: number; him: number }>>;
}

/**
 * A float32 array living in WASM memory for the duration of a `withWasmSession` call: kernels
 * take it where they take a Float32Array, without copying (and no JS allocation). Only valid
 * inside the session that made it.
 */
export interface WasmF32 {
  readonly ptr: number;
  readonly length: number;
  readonly session: number;
  readonly f64?: false;
}

/** The same for float64 data. */
export interface WasmF64 {
  readonly ptr: number;
  readonly length: number;
  readonly session: number;
  readonly f64: true;
}

export type F32Input = Float32Array | WasmF32;

export function isWasmF32(x: unknown): x is WasmF32 {
  return typeof x === 'object' && x !== null && 'ptr' in x && 'session' in x && !(x as WasmF64).f64;
}

export function isWasmF64(x: unknown): x is WasmF64 {
  return typeof x === 'object' && x !== null && 'ptr' in x && 'session' in x && (x as WasmF64).f64 === true;
}

let sessionId = 0;
let openSession = 0;

/**
 * Runs `fn` with a session: WASM-resident outputs (`resident: true`) stay allocated until it
 * returns. Sessions do not nest.
 */
export function withWasmSession<T>(fn: () => T): T {
  if (openSession) throw new Error('wasm kernels: sessions do not nest');
  return scratch(() => {
    openSession = ++sessionId;
    try {
      return fn();
    } finally {
      openSession = 0;
    }
  });
}

function residentOut(ptr: number, length: number): WasmF32 {
  if (!openSession) throw new Error('wasm kernels: resident output outside withWasmSession');
  return { ptr, length, session: openSession };
}

/**
 * tonnetz.ts chromaCqt + tonnetz on a resident |CQT| [nBins][nFramesC], for its first T frames, in
 * WASM (kernels.c cqt_tonnetz: the same sums in the same order): M the cq_to_chroma matrix, phi the
 * 6 x 12 projection. Returns tonnetz [6][T].
 */
export function cqtTonnetzWasm(C: WasmF64, nBins: number, nFramesC: number, T: number, M: Float64Array, phi: Float64Array): Float64Array {
  checkSession(C);
  return scratch((inst) => {
    const pM = alloc(inst, 8 * M.length);
    const pPhi = alloc(inst, 8 * phi.length);
    const pChroma = alloc(inst, 8 * 12 * T);
    const pOut = alloc(inst, 8 * 6 * T);
    f64View(inst, pM, M.length).set(M);
    f64View(inst, pPhi, phi.length).set(phi);
    inst.x.cqt_tonnetz(C.ptr, nBins, nFramesC, T, pM, pPhi, pChroma, pOut);
    return f64View(inst, pOut, 6 * T).slice();
  });
}

/** A JS array uploaded as a resident float64 array (inside withWasmSession; for tests). */
export function residentF64ForTest(x: Float64Array): WasmF64 {
  const inst = instance();
  const p = alloc(inst, 8 * Math.max(1, x.length));
  f64View(inst, p, x.length).set(x);
  return residentOut64(p, x.length);
}

/** Row means of a resident [nRows][cols] matrix over its first T columns (extract.ts rowMeans, bit for bit). */
export function residentRowMeans(X: WasmF64, nRows: number, cols: number, T: number): Float64Array {
  checkSession(X);
  return scratch((inst) => {
    const p = alloc(inst, 8 * nRows);
    inst.x.row_means(X.ptr, nRows, cols, T, p);
    return f64View(inst, p, nRows).slice();
  });
}

/** Whether a withWasmSession is open (resident arrays may be made and used). */
export function inWasmSession(): boolean {
  return openSession !== 0;
}

/** A resident array's values copied to the JS heap. */
export function residentCopyF32(x: WasmF32): Float32Array {
  checkSession(x);
  return f32View(instance(), x.ptr, x.length).slice();
}

/**
 * Mono float32 samples made in WASM memory from a WAV file's bytes (inside withWasmSession):
 * `read(view)` fills a view of `byteLength` bytes (the file from `byteOffset`, at least the data
 * chunk); `kind` 0 PCM16, 1 PCM32, 2 float32 (kernels.c wav_to_mono: decodeWav's scaling and
 * downmix's mean). The bytes are scratch; the signal stays.
 */
export function wavToMonoResident(byteLength: number, read: (bytes: Uint8Array) => void, dataAt: number, kind: number, frames: number, nch: number): WasmF32 {
  const inst = instance();
  const pOut = alloc(inst, 4 * Math.max(1, frames));
  scratch((inst) => {
    const pBytes = alloc(inst, Math.max(16, byteLength));
    read(new Uint8Array(inst.x.memory.buffer, pBytes, byteLength));
    const src = pBytes + dataAt;
    if (src % (kind === 0 ? 2 : 4) !== 0) throw new Error('wav_to_mono: misaligned samples');
    inst.x.wav_to_mono(src, kind, frames, nch, pOut);
  });
  return residentOut(pOut, frames);
}

/** A JS signal uploaded as a resident array (inside withWasmSession). */
export function residentF32(x: Float32Array): WasmF32 {
  const inst = instance();
  const p = alloc(inst, 4 * Math.max(1, x.length));
  f32View(inst, p, x.length).set(x);
  return residentOut(p, x.length);
}

/**
 * Soxr stages (runSoxrStagesWasm) over a resident signal, the output resident too, cut or
 * zero-padded to `length` (librosa's fix_length). Intermediate stages are scratch.
 */
export function soxrStagesResident(x: WasmF32, stages: SoxrStageRun[], counts: number[], length: number): WasmF32 {
  checkSession(x);
  const inst = instance();
  const pOut = alloc(inst, 4 * Math.max(1, length));
  scratch((inst) => {
    const r = soxrStagesInto(inst, x.ptr, x.length, stages, counts);
    const n = Math.min(r.n, length);
    const all = new Float32Array(inst.x.memory.buffer);
    all.copyWithin(pOut >> 2, r.p >> 2, (r.p >> 2) + n);
    all.fill(0, (pOut >> 2) + n, (pOut >> 2) + length);
  });
  return residentOut(pOut, length);
}

function residentOut64(ptr: number, length: number): WasmF64 {
  if (!openSession) throw new Error('wasm kernels: resident output outside withWasmSession');
  return { ptr, length, session: openSession, f64: true };
}

function checkSession(x: WasmF32 | WasmF64): void {
  if (x.session !== openSession) throw new Error('wasm kernels: resident array used outside its session');
}

/**
 * A view of a resident float64 array (no copy): valid until the next call that allocates WASM
 * memory (read it, or copy it, right away).
 */
export function residentView(x: WasmF64): Float64Array {
  checkSession(x);
  return f64View(instance(), x.ptr, x.length);
}

/** Pointer to x (float64) in WASM memory: a resident array as it is, a JS array copied into scratch. */
function inputF64(inst: Instance, x: WasmF64 | ArrayLike<number>, length: number): number {
  if (isWasmF64(x)) {
    checkSession(x);
    if (x.length !== length) throw new Error(`wasm kernels: resident array of ${x.length}, expected ${length}`);
    return x.ptr;
  }
  const p = alloc(inst, 8 * Math.max(1, length));
  f64View(inst, p, length).set(x);
  return p;
}

/** Pointer to x in WASM memory: a resident array as it is, a JS array copied into scratch. */
function inputF32(inst: Instance, x: F32Input | ArrayLike<number>, length: number): number {
  if (isWasmF32(x)) {
    if (x.session !== openSession) throw new Error('wasm kernels: resident array used outside its session');
    if (x.length !== length) throw new Error(`wasm kernels: resident array of ${x.length}, expected ${length}`);
    return x.ptr;
  }
  const p = alloc(inst, 4 * length);
  f32View(inst, p, length).set(x);
  return p;
}

let current: Instance | null = null;
let instanceCount = 0;
let compiled: object | null = null;

/**
 * Compiles kernels.wasm so that its functions get V8's optimising compiler when first called. By
 * default V8 runs a baseline (Liftoff) compile and re-compiles hot functions in the background: a
 * fresh process then runs its first clips on slow SIMD code while the compiler competes for the
 * core (about 1 ms per clip over a fresh process's first 60 clips, pinned to one core; the compile
 * itself moves into the first clip, ~20 ms). V8 reads the flag when each function is compiled,
 * lazily, so it stays set: it only changes how WASM is compiled in this process (the engine's
 * processes: workers, the job process, the CLI), not what it computes.
 */
function compileKernels(): object {
  try {
    // A process that extracts one or two clips (`ser-studio features FILE`) is better served by V8's baseline tier:
    // TurboFan-compiling every kernel on first use costs it ~60 ms of its ~0.5 s (its parent says so, below).
    if (process.env.SER_WASM_BASELINE !== '1') v8.setFlagsFromString('--no-liftoff');
  } catch {
    /* flags frozen: V8's default tiers */
  }
  return new WA.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
}

function instance(): Instance {
  if (current) return current;
  if (!compiled) compiled = compileKernels();
  const x = new WA.Instance(compiled, {}).exports as unknown as KernelExports;
  const base = align(x.__heap_base.value);
  const scratchBase = base + PERMANENT_BYTES;
  current = { id: ++instanceCount, x, top: scratchBase, permanentTop: base, scratchBase, scratchDepth: 0, permanentFull: false, fftPlans: new Map(), pffft: new Map(), builtBanks: new Map(), keptF32: new WeakMap(), windows: new Map(), banks: new WeakMap(), firSpectra: new WeakMap() };
  return current;
}

function align(p: number): number {
  return (p + 15) & ~15;
}

function ensureMemory(inst: Instance, end: number): void {
  const have = inst.x.memory.buffer.byteLength;
  if (end > have) inst.x.memory.grow(Math.ceil((end - have) / 65536));
}

function alloc(inst: Instance, bytes: number): number {
  const p = align(inst.top);
  const end = p + bytes;
  ensureMemory(inst, end);
  inst.top = end;
  return p;
}

function allocPermanent(inst: Instance, bytes: number): number {
  const p = align(inst.permanentTop);
  const end = p + bytes;
  if (end > inst.scratchBase) throw new Error('wasm kernels: permanent region full');
  ensureMemory(inst, end);
  inst.permanentTop = end;
  return p;
}

/** Runs `fn` with a scratch scope: everything it allocates is released after. */
function scratch<T>(fn: (inst: Instance) => T): T {
  const inst = instance();
  const mark = inst.top;
  inst.scratchDepth++;
  try {
    return fn(inst);
  } finally {
    inst.scratchDepth--;
    inst.top = mark;
    if (inst.scratchDepth === 0 && (inst.permanentFull || inst.x.memory.buffer.byteLength > KEEP_MEMORY_BYTES)) current = null;
  }
}

const f64View = (inst: Instance, p: number, n: number): Float64Array => new Float64Array(inst.x.memory.buffer, p, n);
const f32View = (inst: Instance, p: number, n: number): Float32Array => new Float32Array(inst.x.memory.buffer, p, n);

interface FftTables {
  half: number;
  nPasses: number;
  lastRadix2: boolean;
  bitrev: Uint32Array;
  tw: Float64Array;
  lastW: Float64Array;
  splitRe: Float64Array;
  splitIm: Float64Array;
}

const fftTables = new Map<number, FftTables>();

/** RealFft64's tables (same formulas, so the same bits). */
function tablesFor(n: number): FftTables {
  let t = fftTables.get(n);
  if (t) return t;
  if (n < 16 || (n & (n - 1)) !== 0) throw new Error(`wasm FFT: size must be a power of two >= 16, got ${n}`);
  const half = n >> 1;
  const bits = Math.log2(half);
  const bitrev = new Uint32Array(half);
  for (let i = 0; i < half; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitrev[i] = r;
  }
  const cosTable = (count: number, period: number): number[] => Array.from({ length: count }, (_, j) => Math.cos((-2 * Math.PI * j) / period));
  const sinTable = (count: number, period: number): number[] => Array.from({ length: count }, (_, j) => Math.sin((-2 * Math.PI * j) / period));
  const tw: number[] = [];
  let s = 1;
  let nPasses = 0;
  while (4 * s <= half) {
    tw.push(...cosTable(s, 2 * s), ...sinTable(s, 2 * s), ...cosTable(s, 4 * s), ...sinTable(s, 4 * s));
    s *= 4;
    nPasses++;
  }
  const lastRadix2 = 2 * s === half;
  const lastW = lastRadix2 ? [...cosTable(s, 2 * s), ...sinTable(s, 2 * s)] : [];
  const splitRe = new Float64Array(half + 1);
  const splitIm = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    const a = (-2 * Math.PI * k) / n;
    splitRe[k] = Math.cos(a);
    splitIm[k] = Math.sin(a);
  }
  t = { half, nPasses, lastRadix2, bitrev, tw: Float64Array.from(tw), lastW: Float64Array.from(lastW), splitRe, splitIm };
  fftTables.set(n, t);
  return t;
}

/**
 * Memory for data kept across calls (plans, windows, banks), `bytes` in all (in `pieces`
 * allocations): permanent and cached per instance while the permanent region has room, else
 * scratch (valid in the current scope only, uploaded again next time).
 */
function keepAlloc(inst: Instance, bytes: number, pieces = 1): { alloc: (bytes: number) => number; kept: boolean } {
  const kept = align(inst.permanentTop) + bytes + 16 * pieces <= inst.scratchBase;
  // full: this instance is replaced by a fresh one when the outermost scope ends (see scratch)
  if (!kept) inst.permanentFull = true;
  return { alloc: (b) => (kept ? allocPermanent(inst, b) : alloc(inst, b)), kept };
}

/** A float64 real-FFT plan in WASM memory (layout: kernels.c Fft64). */
function fftPlan(inst: Instance, n: number): number {
  const cached = inst.fftPlans.get(n);
  if (cached !== undefined) return cached;
  const { half, nPasses, lastRadix2, bitrev, tw, lastW, splitRe, splitIm } = tablesFor(n);
  const { alloc: a, kept } = keepAlloc(inst, 4 * half + 8 * (tw.length + lastW.length + 2) + 16 * (half + 1) + 16 * half + 44, 8);
  const pBitrev = a(4 * half);
  const pTw = a(8 * Math.max(1, tw.length));
  const pLast = a(8 * Math.max(1, lastW.length));
  const pSplitRe = a(8 * (half + 1));
  const pSplitIm = a(8 * (half + 1));
  const pZr = a(8 * half);
  const pZi = a(8 * half);
  const pPlan = a(4 * 11);
  const buf = inst.x.memory.buffer;
  new Uint32Array(buf, pBitrev, half).set(bitrev);
  new Float64Array(buf, pTw, tw.length).set(tw);
  new Float64Array(buf, pLast, lastW.length).set(lastW);
  new Float64Array(buf, pSplitRe, half + 1).set(splitRe);
  new Float64Array(buf, pSplitIm, half + 1).set(splitIm);
  new Int32Array(buf, pPlan, 11).set([n, half, nPasses, lastRadix2 ? 1 : 0, pBitrev, pTw, pLast, pSplitRe, pSplitIm, pZr, pZi]);
  if (kept) inst.fftPlans.set(n, pPlan);
  return pPlan;
}

function hannIn(inst: Instance, n: number): number {
  let p = inst.windows.get(n);
  if (p === undefined) {
    const { alloc: a, kept } = keepAlloc(inst, 8 * n);
    p = a(8 * n);
    f64View(inst, p, n).set(hannPeriodic(n));
    if (kept) inst.windows.set(n, p);
  }
  return p;
}

/** Uploads the STFT plan and window of size nFft for good. */
export function prepareStft(nFft: number): void {
  const inst = instance();
  fftPlan(inst, nFft);
  hannIn(inst, nFft);
}

export interface StftF32 {
  nFrames: number;
  nBins: number;
  /** numpy's float32 |X| of librosa's complex64 STFT, frame-major. */
  S: Float32Array;
  /** The complex64 spectrum, frame-major (only when asked for). */
  re?: Float32Array;
  im?: Float32Array;
}

export interface StftResident {
  nFrames: number;
  nBins: number;
  S: WasmF32;
  re?: WasmF32;
  im?: WasmF32;
}

interface StftPointers {
  nFrames: number;
  nBins: number;
  total: number;
  pMag: number;
  pRe: number;
  pIm: number;
}

/** Runs the STFT into buffers allocated in the caller's scope (the session's, or a scratch one). */
function stftInto(inst: Instance, y: Float32Array | Float64Array | WasmF32 | WasmF64, nFft: number, hop: number, withComplex: boolean): StftPointers {
  const plan = fftPlan(inst, nFft);
  const win = hannIn(inst, nFft);
  const nBins = (nFft >> 1) + 1;
  const nFrames = 1 + Math.floor(y.length / hop);
  const total = nFrames * nBins;
  const pMag = alloc(inst, 4 * total);
  const pRe = withComplex ? alloc(inst, 4 * total) : 0;
  const pIm = withComplex ? alloc(inst, 4 * total) : 0;
  const n = y.length;
  scratch((inst2) => {
    const resident = isWasmF32(y) || isWasmF64(y);
    const isF32 = y instanceof Float32Array || isWasmF32(y);
    if (resident) checkSession(y);
    const pY = resident ? y.ptr : alloc(inst2, (isF32 ? 4 : 8) * n);
    const pPadded = alloc(inst2, 8 * (n + nFft));
    if (!resident) (isF32 ? f32View(inst2, pY, n) : f64View(inst2, pY, n)).set(y);
    inst2.x.pad_to_f64(pY, isF32 ? 1 : 0, n, nFft >> 1, pPadded);
    // two frames per SIMD lane pair (kernels.c stft_f64_pairs: stft_f64's arithmetic in each lane)
    const pWork = alloc(inst2, 16 * nFft);
    inst2.x.stft_f64_pairs(plan, pPadded, nFrames, hop, win, pRe, pIm, pMag, pWork);
  });
  return { nFrames, nBins, total, pMag, pRe, pIm };
}

/**
 * librosa.stft (centred, zero pad, periodic Hann) with the float64 FFT of fft64.ts, bit for bit,
 * and its complex64 rounding / float32 magnitude.
 */
export function stftWasm(y: Float32Array | Float64Array, nFft: number, hop: number, withComplex: boolean): StftF32 {
  // plans and the window are kept for good when no scratch scope is open: make them first
  const inst = instance();
  fftPlan(inst, nFft);
  hannIn(inst, nFft);
  return scratch((inst) => {
    const { nFrames, nBins, total, pMag, pRe, pIm } = stftInto(inst, y, nFft, hop, withComplex);
    const out: StftF32 = { nFrames, nBins, S: f32View(inst, pMag, total).slice() };
    if (withComplex) {
      out.re = f32View(inst, pRe, total).slice();
      out.im = f32View(inst, pIm, total).slice();
    }
    return out;
  });
}

/** stftWasm with its outputs left in WASM memory (inside withWasmSession); y may be resident too. */
export function stftWasmResident(y: Float32Array | Float64Array | WasmF32 | WasmF64, nFft: number, hop: number, withComplex: boolean): StftResident {
  const { nFrames, nBins, total, pMag, pRe, pIm } = stftInto(instance(), y, nFft, hop, withComplex);
  const out: StftResident = { nFrames, nBins, S: residentOut(pMag, total) };
  if (withComplex) {
    out.re = residentOut(pRe, total);
    out.im = residentOut(pIm, total);
  }
  return out;
}

/**
 * hpss.ts harmonicMask on a frame-major float32-valued |X|, the mask frame-major (bit for bit its JS
 * oracle harmonicMaskJs, tests/core/dsp/oracles/hpss.ts).
 */
export function harmonicMaskWasm(S: F32Input | ArrayLike<number>, nFrames: number, nBins: number, kernel: number): Float32Array {
  const total = nFrames * nBins;
  return scratch((inst) => {
    const pMask = alloc(inst, 4 * total);
    maskInto(inst, S, nFrames, nBins, kernel, pMask);
    return f32View(inst, pMask, total).slice();
  });
}

/** harmonicMaskWasm with the mask left in WASM memory (inside withWasmSession). */
export function harmonicMaskWasmResident(S: F32Input, nFrames: number, nBins: number, kernel: number): WasmF32 {
  const inst = instance();
  const total = nFrames * nBins;
  const pMask = alloc(inst, 4 * total);
  maskInto(inst, S, nFrames, nBins, kernel, pMask);
  return residentOut(pMask, total);
}

function maskInto(inst: Instance, S: F32Input | ArrayLike<number>, nFrames: number, nBins: number, kernel: number, pMask: number): void {
  scratch((inst2) => {
    const total = nFrames * nBins;
    const pS = inputF32(inst2, S, total);
    const pHarm = alloc(inst2, 4 * total);
    const pPerc = alloc(inst2, 4 * total);
    // the running medians' lines: int32 keys one line at a time, or four bins' lines as vectors (16 bytes a frame)
    const pScratch = alloc(inst2, Math.max(4 * (Math.max(nFrames, nBins) + 2 * kernel + 40), 16 * (Math.max(nFrames, nBins) + kernel + 1)));
    inst2.x.harmonic_mask(pS, nFrames, nBins, kernel, pHarm, pPerc, pScratch, pMask);
  });
  void inst;
}

/**
 * The kernel's running medians over int32 keys on their own, for tests only (they check it against a
 * sort-based median; it needs this module's memory, so it cannot live under tests/).
 */
export function medianRowsWasm(x: Int32Array, nRows: number, rowLength: number, size: number): Int32Array {
  return scratch((inst) => {
    const pX = alloc(inst, 4 * x.length);
    const pOut = alloc(inst, 4 * x.length);
    const pScratch = alloc(inst, 4 * (rowLength + 2 * size + 40));
    new Int32Array(inst.x.memory.buffer, pX, x.length).set(x);
    inst.x.median_rows(pX, nRows, rowLength, size, pOut, pScratch);
    return new Int32Array(inst.x.memory.buffer, pOut, x.length).slice();
  });
}

/** A CQT octave's sparse basis (cqt.ts OctaveBasis): rows of (2 * bin, re, (-im, im)). */
export interface SparseRows {
  rowStart: Int32Array;
  idx: Int32Array;
  re: Float64Array;
  /** (-im[j], im[j]) pairs: the second factor of each complex product as one SIMD load. */
  imPairs: Float64Array;
}

/**
 * cqt.ts octaveResponse on the float32 path: pffft frames of `padded` (already zero-padded by
 * nFft / 2 on each side), each copied into WASM memory, then the sparse products there (the
 * same sums, in the same order, as cqt.ts dotRows). Output [row][T].
 */
export function cqtOctaveWasm(
  nFft: number,
  padded: Float32Array,
  hop: number,
  T: number,
  basis: SparseRows,
): { outRe: Float64Array; outIm: Float64Array } {
  const nRows = basis.rowStart.length - 1;
  const nnz = basis.idx.length;
  // only the band of bins the rows use is kept from each frame (about a quarter of the spectrum)
  let lo = nFft;
  let hi = 0;
  for (let j = 0; j < nnz; j++) {
    lo = Math.min(lo, basis.idx[j]);
    hi = Math.max(hi, basis.idx[j] + 2);
  }
  const full = lo <= 0 || hi > nFft;
  const from = full ? 0 : lo;
  const stride = full ? nFft + 2 : hi - lo;
  const plan = pffftPlan(nFft, 'pffft');
  return scratch((inst) => {
    const pSig = alloc(inst, 4 * padded.length);
    const pIn = alloc(inst, 4 * nFft);
    const pSpec = alloc(inst, 4 * T * stride);
    const pRowStart = alloc(inst, 4 * (nRows + 1));
    const pIdx = alloc(inst, 4 * Math.max(1, nnz));
    const pRe = alloc(inst, 8 * Math.max(1, nnz));
    const pIm = alloc(inst, 16 * Math.max(1, nnz));
    const pFrame = alloc(inst, 8 * (stride + 4));
    const pOutRe = alloc(inst, 8 * nRows * T);
    const pOutIm = alloc(inst, 8 * nRows * T);
    const buf = inst.x.memory.buffer;
    new Float32Array(buf, pSig, padded.length).set(padded);
    new Int32Array(buf, pRowStart, nRows + 1).set(basis.rowStart);
    const idx = new Int32Array(buf, pIdx, nnz);
    for (let j = 0; j < nnz; j++) idx[j] = basis.idx[j] - from;
    new Float64Array(buf, pRe, nnz).set(basis.re);
    new Float64Array(buf, pIm, 2 * nnz).set(basis.imPairs);
    if (T > 0 && (T - 1) * hop + nFft > padded.length) throw new Error('CQT octave: signal shorter than its frames');
    inst.x.pffft_frames_band(plan.setup, pSig, nFft, hop, T, pIn, plan.b, plan.work, from, full ? nFft : stride, pSpec, stride);
    inst.x.cqt_octave_dot(pSpec, T, stride, full ? 1 : 0, nFft, pRowStart, pIdx, pRe, pIm, nRows, pOutRe, pOutIm, pFrame);
    return { outRe: f64View(inst, pOutRe, nRows * T).slice(), outIm: f64View(inst, pOutIm, nRows * T).slice() };
  });
}

interface PackedBank {
  packed: Float64Array;
  triples: Int32Array;
  rowRuns: Int32Array;
}

const packedBanks = new WeakMap<FilterBank, PackedBank>();

/** A bank's nonzero runs as (start, end, weight offset) triples and their packed weights. */
function packBank(bank: FilterBank): PackedBank {
  let b = packedBanks.get(bank);
  if (b) return b;
  const { nRows, nCols, weights, runs, rowRuns } = bank;
  const nRuns = runs.length / 2;
  const triples = new Int32Array(3 * nRuns);
  let total = 0;
  for (let q = 0; q < nRuns; q++) {
    triples[3 * q] = runs[2 * q];
    triples[3 * q + 1] = runs[2 * q + 1];
    triples[3 * q + 2] = total;
    total += runs[2 * q + 1] - runs[2 * q];
  }
  const packed = new Float64Array(Math.max(1, total));
  for (let r = 0; r < nRows; r++) {
    for (let q = rowRuns[r]; q < rowRuns[r + 1]; q++) {
      packed.set(weights.subarray(r * nCols + runs[2 * q], r * nCols + runs[2 * q + 1]), triples[3 * q + 2]);
    }
  }
  b = { packed, triples, rowRuns: Int32Array.from(rowRuns) };
  packedBanks.set(bank, b);
  return b;
}

/** A filter bank in WASM memory: packed weights, (start, end, offset) run triples, runs per row. */
export interface BankPointers {
  w: number;
  /** The weights are stored as float32 (they are float32 values). */
  wF32?: boolean;
  runs: number;
  rowRuns: number;
  nRows: number;
  nCols: number;
}

/**
 * Runs `use` with a chroma filter bank built in WASM (kernels.c chroma_bank_packed: chroma.ts
 * chromaFilterBank's arithmetic, with an exp equal to Math.exp bit for bit, then packed as bankIn
 * packs a FilterBank), kept per instance under `key` (so built once per tuning); step = sr / n_fft,
 * a440Over16 = 440 · 2^(tuning / n_chroma) / 16 as chromaFilterBank computes them.
 */
export function withChromaBank<T>(
  key: string,
  step: number,
  a440Over16: number,
  nChroma: number,
  nFft: number,
  ctroct: number,
  octwidth: number,
  use: (b: BankPointers) => T,
): T {
  const inst = instance();
  const cached = inst.builtBanks.get(key);
  if (cached) return use(cached);
  const nCols = (nFft >> 1) + 1;
  // built in scratch, then copied to kept memory in place: nothing on the JS heap, and only the
  // bank's own bytes are new pages (float32 weights). When it cannot be kept, it is used in the
  // scope that built it.
  return scratch((inst) => {
    const pFrq = alloc(inst, 8 * (nCols + 1));
    const pDense = alloc(inst, 8 * nChroma * nCols);
    const pCol = alloc(inst, 8 * nChroma);
    const pPacked = alloc(inst, 4 * nChroma * nCols);
    const maxRuns = nChroma * ((nCols >> 1) + 1);
    const pTriples = alloc(inst, 12 * maxRuns);
    const pRowRuns = alloc(inst, 4 * (nChroma + 1));
    const total = inst.x.chroma_bank_packed(pFrq, step, a440Over16, nChroma, nFft, nCols, ctroct, octwidth, pDense, pCol, pPacked, pTriples, pRowRuns);
    const nRuns = new Int32Array(inst.x.memory.buffer, pRowRuns, nChroma + 1)[nChroma];
    const { alloc: a, kept } = keepAlloc(inst, 4 * total + 12 * nRuns + 4 * (nChroma + 1), 3);
    const b: BankPointers = { w: a(4 * Math.max(1, total)), wF32: true, runs: a(12 * Math.max(1, nRuns)), rowRuns: a(4 * (nChroma + 1)), nRows: nChroma, nCols };
    const u8 = new Uint8Array(inst.x.memory.buffer);
    u8.copyWithin(b.w, pPacked, pPacked + 4 * total);
    u8.copyWithin(b.runs, pTriples, pTriples + 12 * nRuns);
    u8.copyWithin(b.rowRuns, pRowRuns, pRowRuns + 4 * (nChroma + 1));
    if (kept) {
      if (inst.builtBanks.size >= 256) inst.builtBanks.clear(); // (a bound; tunings give <= 100 per configuration)
      inst.builtBanks.set(key, b);
    }
    return use(b);
  });
}

/** bank @ X for a bank built in WASM (chromaBankWasm); see applyFilterBankWasm. */
export function applyBankWasm(b: BankPointers, X: F32Input | ArrayLike<number>, nFrames: number, square: boolean): Float64Array {
  const { nRows, nCols } = b;
  return scratch((inst) => {
    const pX = inputF32(inst, X, nFrames * nCols);
    const pFrame = alloc(inst, 8 * nCols);
    const pOut = alloc(inst, 8 * nRows * nFrames);
    inst.x.bank_apply(pX, nFrames, nCols, square ? 1 : 0, b.w, b.wF32 ? 1 : 0, b.runs, b.rowRuns, nRows, pFrame, pOut);
    return f64View(inst, pOut, nRows * nFrames).slice();
  });
}

/** exp of each value in WASM (kernels.c's fdlibm exp; for tests: it must equal Math.exp bit for bit). */
export function expWasm(x: Float64Array): Float64Array {
  return scratch((inst) => {
    const p = alloc(inst, 8 * Math.max(1, x.length));
    const q = alloc(inst, 8 * Math.max(1, x.length));
    f64View(inst, p, x.length).set(x);
    inst.x.exp_many(p, x.length, q);
    return f64View(inst, q, x.length).slice();
  });
}

/** The packed layout of a FilterBank as bankIn uploads it (for tests comparing banks built in WASM). */
export function packedBank(bank: FilterBank): { packed: Float64Array; triples: Int32Array; rowRuns: Int32Array } {
  return packBank(bank);
}

/** A built bank's packed layout read back (for tests). */
export function readBankWasm(b: BankPointers): { packed: Float64Array; triples: Int32Array; rowRuns: Int32Array } {
  const inst = instance();
  const buf = inst.x.memory.buffer;
  const rowRuns = new Int32Array(buf, b.rowRuns, b.nRows + 1).slice();
  const nRuns = rowRuns[b.nRows];
  const triples = new Int32Array(buf, b.runs, 3 * nRuns).slice();
  let total = 0;
  for (let q = 0; q < nRuns; q++) total += triples[3 * q + 1] - triples[3 * q];
  return { packed: b.wF32 ? Float64Array.from(new Float32Array(buf, b.w, total)) : new Float64Array(buf, b.w, total).slice(), triples, rowRuns };
}

/** A filter bank in WASM memory (kept per instance while the permanent region has room). */
function bankIn(inst: Instance, bank: FilterBank): { w: number; runs: number; rowRuns: number } {
  let b = inst.banks.get(bank);
  if (b) return b;
  const { packed, triples, rowRuns } = packBank(bank);
  const { alloc: a, kept } = keepAlloc(inst, 8 * packed.length + 4 * (triples.length + 1 + rowRuns.length), 3);
  b = { w: a(8 * packed.length), runs: a(4 * Math.max(1, triples.length)), rowRuns: a(4 * rowRuns.length) };
  const buf = inst.x.memory.buffer;
  new Float64Array(buf, b.w, packed.length).set(packed);
  new Int32Array(buf, b.runs, triples.length).set(triples);
  new Int32Array(buf, b.rowRuns, rowRuns.length).set(rowRuns);
  if (kept) inst.banks.set(bank, b);
  return b;
}

/**
 * bank @ X on a frame-major float32-valued X (squared to float32 first when `square`: librosa's
 * power spectrum). Sums in another order than its JS oracle (tests/core/dsp/oracles/filterbank.ts):
 * last-bit differences only.
 */
export function applyFilterBankWasm(bank: FilterBank, X: F32Input | ArrayLike<number>, nFrames: number, square: boolean): Float64Array {
  const { nRows, nCols } = bank;
  return scratch((inst) => {
    const b = bankIn(inst, bank);
    const pX = inputF32(inst, X, nFrames * nCols);
    const pFrame = alloc(inst, 8 * nCols);
    const pOut = alloc(inst, 8 * nRows * nFrames);
    inst.x.bank_apply(pX, nFrames, nCols, square ? 1 : 0, b.w, 0, b.runs, b.rowRuns, nRows, pFrame, pOut);
    return f64View(inst, pOut, nRows * nFrames).slice();
  });
}

/** applyFilterBankWasm with the result left in WASM memory (inside withWasmSession). */
export function applyFilterBankWasmResident(bank: FilterBank, X: F32Input, nFrames: number, square: boolean): WasmF64 {
  const { nRows, nCols } = bank;
  const inst = instance();
  const pOut = alloc(inst, 8 * nRows * nFrames);
  scratch((inst) => {
    const b = bankIn(inst, bank);
    const pX = inputF32(inst, X, nFrames * nCols);
    const pFrame = alloc(inst, 8 * nCols);
    inst.x.bank_apply(pX, nFrames, nCols, square ? 1 : 0, b.w, 0, b.runs, b.rowRuns, nRows, pFrame, pOut);
  });
  return residentOut64(pOut, nRows * nFrames);
}

/**
 * istft.ts's 'f32' path (pffft inverse; bit for bit its JS oracle istftJs): the masked pffft inputs
 * and the overlap-add / window-sum normalisation run here, pffft between them. `roundF32` rounds
 * the output samples to float32 (librosa's dtype).
 */
export function istftMaskedWasm(
  nFft: number,
  spec: { nFrames: number; nBins: number; re: F32Input; im: F32Input },
  mask: F32Input,
  nFrames: number,
  hop: number,
  length: number,
  roundF32: boolean,
): Float64Array {
  const inst = instance();
  const win = hannIn(inst, nFft);
  const plan = pffftPlan(nFft, 'pffft');
  const total = spec.nFrames * spec.nBins;
  return scratch((inst) => {
    const pRe = inputF32(inst, spec.re, total);
    const pIm = inputF32(inst, spec.im, total);
    const pMask = inputF32(inst, mask, total);
    const pFrames = alloc(inst, 4 * nFrames * nFft);
    const accLen = Math.max(nFft + hop * (nFrames - 1), length + (nFft >> 1));
    const pAcc = alloc(inst, 8 * accLen);
    const pWss = alloc(inst, 8 * accLen);
    const pY = alloc(inst, 8 * length);
    inst.x.istft_masked_inputs(pRe, pIm, pMask, nFrames, nFft, pFrames);
    inst.x.pffft_inverse_frames(plan.setup, pFrames, nFft, nFrames, plan.work);
    inst.x.istft_overlap_add(pFrames, nFrames, nFft, hop, win, pAcc, pWss, accLen, length, roundF32 ? 1 : 0, pY);
    return f64View(inst, pY, length).slice();
  });
}

/** istftMaskedWasm with the output (float32 values when roundF32) left in WASM memory. */
export function istftMaskedWasmResident(
  nFft: number,
  spec: { nFrames: number; nBins: number; re: F32Input; im: F32Input },
  mask: F32Input,
  nFrames: number,
  hop: number,
  length: number,
  roundF32: boolean,
): WasmF64 {
  const inst = instance();
  const win = hannIn(inst, nFft);
  const plan = pffftPlan(nFft, 'pffft');
  const pY = alloc(inst, 8 * Math.max(1, length));
  const total = spec.nFrames * spec.nBins;
  scratch((inst) => {
    const pRe = inputF32(inst, spec.re, total);
    const pIm = inputF32(inst, spec.im, total);
    const pMask = inputF32(inst, mask, total);
    const pFrames = alloc(inst, 4 * nFrames * nFft);
    const accLen = Math.max(nFft + hop * (nFrames - 1), length + (nFft >> 1));
    const pAcc = alloc(inst, 8 * accLen);
    const pWss = alloc(inst, 8 * accLen);
    inst.x.istft_masked_inputs(pRe, pIm, pMask, nFrames, nFft, pFrames);
    inst.x.pffft_inverse_frames(plan.setup, pFrames, nFft, nFrames, plan.work);
    inst.x.istft_overlap_add(pFrames, nFrames, nFft, hop, win, pAcc, pWss, accLen, length, roundF32 ? 1 : 0, pY);
  });
  return residentOut64(pY, length);
}

/**
 * contrast.ts band statistics (bit for bit its JS oracle contrastBandsJs): per band triple
 * (lo, count, q) and frame, the mean of the q smallest and of the q largest of S[lo .. lo + count).
 * Outputs [band][frame].
 */
export function contrastBandsWasm(
  S: F32Input,
  nFrames: number,
  nBins: number,
  bands: Int32Array,
): { valley: Float64Array; peak: Float64Array } {
  const nBands = bands.length / 3;
  let maxQ = 1;
  for (let b = 0; b < nBands; b++) maxQ = Math.max(maxQ, bands[3 * b + 2]);
  return scratch((inst) => {
    const pS = inputF32(inst, S, S.length);
    const pBands = alloc(inst, 4 * bands.length);
    const pValley = alloc(inst, 8 * nBands * nFrames);
    const pPeak = alloc(inst, 8 * nBands * nFrames);
    const pSlots = alloc(inst, 16 * maxQ);
    new Int32Array(inst.x.memory.buffer, pBands, bands.length).set(bands);
    inst.x.contrast_bands(pS, nFrames, nBins, pBands, nBands, pValley, pPeak, pSlots);
    return { valley: f64View(inst, pValley, nBands * nFrames).slice(), peak: f64View(inst, pPeak, nBands * nFrames).slice() };
  });
}

/**
 * tuning.ts piptrackPeaks' peak scan over bins kLo .. kHi - 1 of a float32 |X| (bit for bit its JS
 * oracle piptrackPeaksJs).
 */
export function piptrackPeaksWasm(
  S: F32Input,
  nFrames: number,
  nBins: number,
  kLo: number,
  kHi: number,
  threshold: number,
  sr: number,
  nFft: number,
): { pitches: Float64Array; mags: Float64Array } {
  const cap = Math.max(1, nFrames * Math.max(0, kHi - kLo));
  return scratch((inst) => {
    const pS = inputF32(inst, S, S.length);
    const pPitches = alloc(inst, 8 * cap);
    const pMags = alloc(inst, 8 * cap);
    const n = inst.x.piptrack_peaks(pS, nFrames, nBins, kLo, kHi, threshold, sr, nFft, pPitches, pMags);
    return { pitches: f64View(inst, pPitches, n).slice(), mags: f64View(inst, pMags, n).slice() };
  });
}

/**
 * tuning.ts estimateTuning entirely in WASM (kernels.c estimate_tuning: piptrack's peak scan, the
 * median magnitude, pitch_tuning's histogram with a log2 equal to Math.log2): the arg-max bin of
 * the histogram whose n_hist + 1 edges are given, or -1 when no pitch was found.
 */
export function estimateTuningWasm(
  S: F32Input,
  nFrames: number,
  nBins: number,
  kLo: number,
  kHi: number,
  threshold: number,
  sr: number,
  nFft: number,
  binsPerOctave: number,
  edges: Float64Array,
): number {
  const cap = Math.max(1, nFrames * Math.max(0, kHi - kLo));
  const nHist = edges.length - 1;
  return scratch((inst) => {
    const pS = inputF32(inst, S, S.length);
    const pPitches = alloc(inst, 8 * cap);
    const pMags = alloc(inst, 8 * cap);
    const pWork = alloc(inst, 8 * cap);
    const pEdges = alloc(inst, 8 * edges.length);
    const pCounts = alloc(inst, 4 * Math.max(1, nHist));
    f64View(inst, pEdges, edges.length).set(edges);
    return inst.x.estimate_tuning(pS, nFrames, nBins, kLo, kHi, threshold, sr, nFft, pPitches, pMags, pWork, binsPerOctave, nHist, pEdges, pCounts);
  });
}

/** log2 of each value in WASM (kernels.c's e_log2; for tests: it must equal Math.log2 bit for bit). */
export function log2Wasm(x: Float64Array): Float64Array {
  return scratch((inst) => {
    const p = alloc(inst, 8 * Math.max(1, x.length));
    const q = alloc(inst, 8 * Math.max(1, x.length));
    f64View(inst, p, x.length).set(x);
    inst.x.log2_many(p, x.length, q);
    return f64View(inst, q, x.length).slice();
  });
}

/** mfcc.ts mfccFromLogMel's product D @ L (bit for bit): D [nOut][nIn], L [nIn][T] (may be resident); result [nOut][T]. */
export function dctRowsWasm(D: Float64Array, nOut: number, nIn: number, L: Float64Array | WasmF64, T: number): Float64Array {
  return scratch((inst) => {
    const pD = alloc(inst, 8 * D.length);
    const pL = inputF64(inst, L, nIn * T);
    const pOut = alloc(inst, 8 * nOut * T);
    f64View(inst, pD, D.length).set(D);
    inst.x.dct_rows(pD, nOut, nIn, pL, T, pOut);
    return f64View(inst, pOut, nOut * T).slice();
  });
}

function nextPow2(v: number): number {
  let p = 1;
  while (p < v) p <<= 1;
  return p;
}

/** The filter's spectrum at FFT size n (float64, dsp/fft64), uploaded once per instance when possible. */
function firSpectrum(inst: Instance, h: Float64Array, n: number): { hre: number; him: number } {
  let byN = inst.firSpectra.get(h);
  const cached = byN?.get(n);
  if (cached) return cached;
  const hpad = new Float64Array(n);
  hpad.set(h);
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  realFft64(n).forward(hpad, re, im);
  const { alloc: a, kept } = keepAlloc(inst, 16 * re.length, 2);
  const spectrum = { hre: a(8 * re.length), him: a(8 * im.length) };
  f64View(inst, spectrum.hre, re.length).set(re);
  f64View(inst, spectrum.him, im.length).set(im);
  if (kept) {
    if (!byN) inst.firSpectra.set(h, (byN = new Map()));
    byN.set(n, spectrum);
  }
  return spectrum;
}

/**
 * gain · (x convolved with the odd-length, centred filter h, every 2nd output): soxr-stages.ts
 * runFir for an L = 1, M = 2 stage, with the same block size and the float64 FFT of dsp/fft64.
 * Returns nOut samples (output k sits at input time 2k).
 */
export function firDecimate2Wasm(x: Float64Array, h: Float64Array, nOut: number, gain = 1): Float64Array {
  const taps = h.length;
  if (taps % 2 !== 1) throw new Error(`2:1 decimator: the filter needs an odd number of taps, got ${taps}`);
  if (nOut <= 0) return new Float64Array(0);
  const span = (nOut - 1) * 2 + 1;
  const n = Math.max(64, Math.min(nextPow2(4 * taps), nextPow2(span + taps - 1)));
  const inst = instance();
  const fwd = fftPlan(inst, n);
  const inv = fftPlan(inst, n / 2);
  const { hre, him } = firSpectrum(inst, h, n);
  return scratch((inst) => {
    const pX = alloc(inst, 8 * Math.max(1, x.length));
    const pY = alloc(inst, 8 * nOut);
    const pSeg = alloc(inst, 8 * n);
    const pRe = alloc(inst, 8 * (n / 2 + 1));
    const pIm = alloc(inst, 8 * (n / 2 + 1));
    f64View(inst, pX, x.length).set(x);
    inst.x.fir_decimate2(fwd, inv, hre, him, taps, pX, x.length, gain, pY, nOut, pSeg, pRe, pIm);
    return f64View(inst, pY, nOut).slice();
  });
}

/** powerToDbWasm on a resident array, the result resident too (inside withWasmSession). */
export function powerToDbWasmResident(S: WasmF64, amin: number, topDb: number | null): WasmF64 {
  checkSession(S);
  const n = S.length;
  const pOut = alloc(instance(), 8 * Math.max(1, n));
  instance().x.power_to_db(S.ptr, n, amin, topDb === null ? 0 : 1, topDb ?? 0, pOut);
  return residentOut64(pOut, n);
}

/** power_to_db.ts powerToDb in WASM (its own log10, within a few ulp of Math.log10). */
export function powerToDbWasm(S: ArrayLike<number>, amin: number, topDb: number | null): Float64Array {
  const n = S.length;
  return scratch((inst) => {
    const pS = alloc(inst, 8 * Math.max(1, n));
    const pOut = alloc(inst, 8 * Math.max(1, n));
    f64View(inst, pS, n).set(S);
    inst.x.power_to_db(pS, n, amin, topDb === null ? 0 : 1, topDb ?? 0, pOut);
    return f64View(inst, pOut, n).slice();
  });
}

/**
 * soxr's rational poly-phase stage in float32 SIMD lanes (audio/soxr-exact.ts runPolyExact, bit
 * for bit): xp is the materialised fifo, coefs the nc4 float32 taps per phase.
 */
export function soxrPolyFirWasm(
  xp: Float32Array,
  coefs: Float32Array,
  nc4: number,
  L: number,
  start: { div: number; rem: number },
  step: { div: number; rem: number },
  nOut: number,
): Float32Array {
  if (nc4 % 4 !== 0) throw new Error(`soxr poly FIR: taps per phase must be a multiple of 4, got ${nc4}`);
  const lastDiv = start.div + Math.ceil(((nOut - 1) * (step.div * L + step.rem) + start.rem) / L);
  if (nOut > 0 && lastDiv + nc4 > xp.length) throw new Error('soxr poly FIR: fifo shorter than the taps read');
  return scratch((inst) => {
    const pX = alloc(inst, 4 * Math.max(1, xp.length));
    const pC = alloc(inst, 4 * Math.max(1, coefs.length));
    const pOut = alloc(inst, 4 * Math.max(1, nOut));
    f32View(inst, pX, xp.length).set(xp);
    f32View(inst, pC, coefs.length).set(coefs);
    inst.x.soxr_poly_fir(pX, pC, nc4, L, start.div, start.rem, step.div, step.rem, pOut, nOut);
    return f32View(inst, pOut, nOut).slice();
  });
}

/** A sparsified CQT basis row (cqt.ts): its FFT bins and complex values, before the octave gain. */
export interface BasisRowValues {
  bins: Int32Array;
  re: Float64Array;
  im: Float64Array;
}

/**
 * One wavelet of librosa's __vqt_filter_fft, FFT'd and sparsified (bit for bit its JS oracle
 * basisRowJs, tests/core/dsp/oracles/cqt-basis.ts): a Hann-windowed complex exponential at `freq`
 * (rate `rate`) of length ilen centred in nFft samples, L1-normalised times ilen / nFft; the bins
 * whose magnitude is at or above librosa.util.sparsify_rows' threshold for `sparsity`.
 */
export function cqtBasisRowWasm(freq: number, rate: number, ilen: number, nFft: number, sparsity: number): BasisRowValues {
  const t0 = Math.floor(-ilen / 2);
  const len = Math.floor(ilen / 2) - t0;
  const lpad = Math.floor((nFft - len) / 2);
  if (len > nFft || lpad < 0) throw new Error(`CQT basis: a wavelet of ${len} samples does not fit in ${nFft}`);
  const nKeep = (nFft >> 1) + 1;
  // exp(i * angle) by rotation, re-anchored on exact cos/sin every 32 samples (JS's Math.cos/sin)
  const step = (2 * Math.PI * freq) / rate;
  const nAnchors = (len + 31) >> 5;
  const inst = instance();
  const plan = fftPlan(inst, 2 * nFft); // kept when called outside a scratch scope
  const win = hannIn(inst, len);
  return scratch((inst) => {
    const pAnchors = alloc(inst, 16 * nAnchors);
    const anchors = f64View(inst, pAnchors, 2 * nAnchors);
    for (let a = 0; a < nAnchors; a++) {
      const angle = ((((t0 + 32 * a) * 2) * Math.PI) * freq) / rate;
      anchors[2 * a] = Math.cos(angle);
      anchors[2 * a + 1] = Math.sin(angle);
    }
    const pWork = alloc(inst, 16 * nKeep);
    const pBins = alloc(inst, 4 * nKeep);
    const pRe = alloc(inst, 8 * nKeep);
    const pIm = alloc(inst, 8 * nKeep);
    const count = inst.x.cqt_basis_row(plan, nFft, len, lpad, win, pAnchors, Math.cos(step), Math.sin(step), ilen, sparsity, pWork, pBins, pRe, pIm);
    const buf = inst.x.memory.buffer;
    return { bins: new Int32Array(buf, pBins, count).slice(), re: new Float64Array(buf, pRe, count).slice(), im: new Float64Array(buf, pIm, count).slice() };
  });
}

/* ------------------------------------------------------------------------- pffft (pffft.c) */

export const PFFFT_FORWARD = 0;
export const PFFFT_BACKWARD = 1;

/**
 * Whose trigonometry fills pffft's twiddle tables: 'pffft' as pffft computes them (float arguments,
 * double cos / sin rounded to float: what @echogarden/pffft-wasm's emscripten build holds, so its
 * transforms are reproduced bit for bit), 'soxr' with glibc's sinf / cosf as libsoxr's build gets
 * them (python-soxr's output bit for bit; soxr-sincosf.ts).
 */
export type PffftTwiddles = 'pffft' | 'soxr';

/** A real pffft setup of size n in this module's memory, with three n-float buffers (byte offsets). */
export interface PffftPlan {
  n: number;
  setup: number;
  a: number;
  b: number;
  work: number;
}

let soxrSinCos: ((x: number) => [number, number]) | null = null;

/** Registers glibc's sincosf for the 'soxr' tables (audio/soxr-sincosf.ts; dsp does not import audio). */
export function setSoxrSinCos(fn: (x: number) => [number, number]): void {
  soxrSinCos = fn;
}

const pffftTableCache = new Map<string, Float32Array>();

/** Writes the twiddle tables of the real setup at `setup` (pffft_new_setup's loops, with `trig`). */
function writePffftTables(inst: Instance, setup: number, n: number, trig: (x: number) => [number, number]): void {
  const buf = inst.x.memory.buffer;
  const w = setup >> 2;
  const H32 = new Int32Array(buf);
  // struct PFFFT_Setup { int N, Ncvec, ifac[15]; int transform; v4sf *data; float *e, *twiddle; } (wasm32)
  const nc = H32[w + 1];
  const data = H32[w + 18];
  const ePtr = H32[w + 19];
  const twPtr = H32[w + 20];
  if (H32[w] !== n || nc !== n / 8 || ePtr !== data || twPtr !== data + 2 * nc * 3 * 4) throw new Error('pffft: unexpected PFFFT_Setup layout');
  const e = new Float32Array(buf, ePtr, 2 * nc * 3);
  for (let k = 0; k < nc; k++) {
    const i = k >> 2;
    const j = k & 3;
    for (let q = 0; q < 3; q++) {
      const [sin, cos] = trig(Math.fround((-2 * Math.PI * (q + 1) * k) / n));
      e[(2 * (i * 3 + q)) * 4 + j] = cos;
      e[(2 * (i * 3 + q) + 1) * 4 + j] = sin;
    }
  }
  // rffti1_ps(n / 4, twiddle, ifac)
  const nq = n / 4;
  const tw = new Float32Array(buf, twPtr, nq);
  const nf = H32[w + 3];
  const argh = Math.fround((2 * Math.PI) / nq);
  let is = 0;
  let l1 = 1;
  for (let k1 = 1; k1 <= nf - 1; k1++) {
    const ip = H32[w + 2 + k1 + 1];
    let ld = 0;
    const l2 = l1 * ip;
    const ido = nq / l2;
    for (let j = 1; j <= ip - 1; j++) {
      let i = is;
      let fi = 0;
      ld += l1;
      const argld = Math.fround(ld * argh);
      for (let ii = 3; ii <= ido; ii += 2) {
        i += 2;
        fi += 1;
        const [sin, cos] = trig(Math.fround(fi * argld));
        tw[i - 2] = cos;
        tw[i - 1] = sin;
      }
      is += ido;
    }
    l1 = l2;
  }
}

const pffftTrig = (x: number): [number, number] => [Math.fround(Math.sin(x)), Math.fround(Math.cos(x))];

/**
 * The real pffft of size n (a multiple of 32) with the given twiddles, kept per instance (while the
 * permanent region has room, else valid for the enclosing scratch scope only).
 */
export function pffftPlan(n: number, twiddles: PffftTwiddles): PffftPlan {
  const inst = instance();
  const key = `${n}/${twiddles}`;
  const cached = inst.pffft.get(key);
  if (cached) return cached;
  if (n < 32 || n % 32 !== 0) throw new Error(`pffft: size must be a multiple of 32, got ${n}`);
  const { alloc: a, kept } = keepAlloc(inst, 96 + 16 * n, 5);
  const plan: PffftPlan = { n, setup: a(96), a: 0, b: 0, work: 0 };
  const data = a(4 * n);
  plan.a = a(4 * n);
  plan.b = a(4 * n);
  plan.work = a(4 * n);
  if (!inst.x.pffft_setup_init(plan.setup, data, n, 0)) throw new Error(`pffft: no real setup for n=${n}`);
  const tables = pffftTableCache.get(key);
  if (tables) f32View(inst, data, n).set(tables);
  else {
    const trig = twiddles === 'soxr' ? soxrSinCos : pffftTrig;
    if (!trig) throw new Error('pffft: soxr twiddles need setSoxrSinCos() first');
    writePffftTables(inst, plan.setup, n, trig);
    pffftTableCache.set(key, f32View(inst, data, n).slice());
  }
  if (kept) inst.pffft.set(key, plan);
  return plan;
}

/** A float32 table in WASM memory, uploaded once per instance (else into the current scratch scope). */
function keptF32(inst: Instance, a: Float32Array): number {
  let p = inst.keptF32.get(a);
  if (p === undefined) {
    const { alloc: al, kept } = keepAlloc(inst, 4 * a.length);
    p = al(4 * Math.max(1, a.length));
    f32View(inst, p, a.length).set(a);
    if (kept) inst.keptF32.set(a, p);
  }
  return p;
}

/** Runs `fn` with n floats of scratch memory (a byte offset), released after. */
export function withScratchF32<T>(n: number, fn: (p: number) => T): T {
  return scratch((inst) => fn(alloc(inst, 4 * Math.max(1, n))));
}

/** A view of n floats at byte offset p of the current instance (re-fetch after any allocation). */
export function heapF32(p: number, n: number): Float32Array {
  return f32View(instance(), p, n);
}

/** pffft_transform(_ordered) of plan buffers (byte offsets), in this module. */
export function pffftTransform(plan: PffftPlan, input: number, output: number, direction: number, ordered: boolean): void {
  const x = instance().x;
  if (ordered) x.pffft_transform_ordered(plan.setup, input, output, plan.work, direction);
  else x.pffft_transform(plan.setup, input, output, plan.work, direction);
}

/** pffft_zreorder between plan buffers. */
export function pffftReorder(plan: PffftPlan, input: number, output: number, direction: number): void {
  instance().x.pffft_zreorder(plan.setup, input, output, direction);
}

/* ------------------------------------------------------------- soxr stages (audio/soxr-exact.ts) */

/** One stage of a soxr plan, prepared by audio/soxr-exact.ts for the kernels (see kernels.c soxr_*). */
export type SoxrStageRun =
  | {
      kind: 'dft';
      /** The filter's float32 spectrum (pffft order, or ordered when decimating in frequency). */
      coefs: Float32Array;
      N: number;
      L: number;
      step: number;
      lPow2: boolean;
      preload: number;
      /** Size of the second transform (N / L up-sampling, N >> -step decimation), else 0. */
      small: number;
      /** (pos, at, produced, first, count) per DFT block. */
      blocks: Int32Array;
    }
  | {
      kind: 'poly';
      coefs: Float32Array;
      nc4: number;
      L: number;
      preload: number;
      /** The fifo's length: preload zeros, the input, zeros up to the last tap read. */
      padTo: number;
      start: { div: number; rem: number };
      step: { div: number; rem: number };
    }
  | {
      kind: 'interp';
      coefs: Float32Array;
      nc4: number;
      order: number;
      phaseBits: number;
      preload: number;
      padTo: number;
      stepInt: number;
      stepFrac: number;
      atInt: number;
      atFrac: number;
    }
  | { kind: 'half'; coefs: Float32Array; preload: number; padTo: number };

/**
 * A soxr stage plan over the float32 signal x: stage s makes counts[s] outputs, read by stage s + 1
 * from WASM memory where the previous one wrote them (inside its fifo's zero padding); one copy in,
 * one copy out. Returns the last stage's counts[last] samples.
 */
export function runSoxrStagesWasm(x: Float32Array, stages: SoxrStageRun[], counts: number[]): Float32Array {
  return scratch((inst) => {
    const pX = alloc(inst, 4 * Math.max(1, x.length));
    f32View(inst, pX, x.length).set(x);
    const { p, n } = soxrStagesInto(inst, pX, x.length, stages, counts);
    return f32View(inst, p, n).slice();
  });
}

/** runSoxrStagesWasm on xl floats at byte offset pX, its output allocated in the caller's scope. */
function soxrStagesInto(inst: Instance, pX: number, xl: number, stages: SoxrStageRun[], counts: number[]): { p: number; n: number } {
  if (stages.length !== counts.length) throw new Error('soxr stages: one output count per stage');
  // pffft setups first: kept for good when the permanent region has room
  for (const st of stages) {
    if (st.kind !== 'dft') continue;
    pffftPlan(st.N, 'soxr');
    if (st.small) pffftPlan(st.small, 'soxr');
  }
  const layout = (st: SoxrStageRun | undefined, len: number): { pre: number; total: number } => {
    if (!st || st.kind === 'dft') return { pre: 0, total: Math.max(1, len) };
    return { pre: st.preload, total: Math.max(st.padTo, st.preload + len + 8) };
  };
  // a zero-padded buffer for stage s's input, `len` samples at `pre`
  const buffer = (s: number, len: number): { p: number; pre: number } => {
    const { pre, total } = layout(stages[s], len);
    const p = alloc(inst, 4 * total);
    const v = f32View(inst, p, total);
    v.fill(0, 0, pre);
    v.fill(0, pre + len);
    return { p, pre };
  };
  let input = { p: pX, pre: 0 };
  if (stages[0] && stages[0].kind !== 'dft') {
    input = buffer(0, xl);
    new Float32Array(inst.x.memory.buffer).copyWithin((input.p >> 2) + input.pre, pX >> 2, (pX >> 2) + xl);
  }
  for (let s = 0; s < stages.length; s++) {
    const st = stages[s];
    const nOut = counts[s];
    const out = buffer(s + 1, nOut);
    const pOut = out.p + 4 * out.pre;
    const pC = keptF32(inst, st.coefs);
    const X = inst.x;
    if (st.kind === 'dft') {
      const F = pffftPlan(st.N, 'soxr');
      const S = st.small ? pffftPlan(st.small, 'soxr') : F;
      const pBlocks = alloc(inst, 4 * Math.max(1, st.blocks.length));
      new Int32Array(inst.x.memory.buffer, pBlocks, st.blocks.length).set(st.blocks);
      X.soxr_dft_stage(F.setup, S.setup, F.a, F.b, F.work, S.a, S.b, S.work, pC, st.N, st.L, st.step, st.lPow2 ? 1 : 0, st.preload, input.p + 4 * input.pre, xl, pBlocks, st.blocks.length / 5, pOut, nOut);
    } else if (st.kind === 'poly') {
      if (st.nc4 % 4 !== 0) throw new Error(`soxr poly FIR: taps per phase must be a multiple of 4, got ${st.nc4}`);
      X.soxr_poly_fir(input.p, pC, st.nc4, st.L, st.start.div, st.start.rem, st.step.div, st.step.rem, pOut, nOut);
    } else if (st.kind === 'interp') {
      X.soxr_interp_fir(input.p, pC, st.nc4, st.order, st.phaseBits, st.stepInt, st.stepFrac, st.atInt, st.atFrac, pOut, nOut);
    } else {
      X.soxr_half_fir(input.p + 4 * input.pre, pC, st.coefs.length, pOut, nOut);
    }
    input = out;
    xl = nOut;
  }
  return { p: input.p + 4 * input.pre, n: xl };
}

/* ----------------------------------------------------------------- the CQT in WASM memory (cqt.ts) */

/** A wavelet row of a CQT basis, computed once and shared by the octaves that use it. */
export interface CqtSharedRow {
  freq: number;
  rate: number;
  ilen: number;
  nFft: number;
}

/** One octave of a CQT plan: its FFT size and, per basis row, the shared row and its scale. */
export interface CqtCompactOctave {
  nFft: number;
  rowIdx: Int32Array;
  ratios: Float64Array;
}

/** The shared rows of a plan in WASM memory: bins, re, im back to back, and where each row starts. */
interface CqtRowStore {
  instance: number;
  bins: number;
  re: number;
  im: number;
  start: Int32Array;
  minBin: Int32Array;
  maxBin: Int32Array;
}

/** Where a plan keeps its row store between calls (cqt.ts plans hold one each). */
export interface CqtRowHolder {
  store?: CqtRowStore;
}

export interface CqtWasmSpec {
  /** The plan's distinct wavelet rows (all octaves share them) and their sparsity. */
  rows: CqtSharedRow[];
  sparsity: number;
  holder: CqtRowHolder;
  /** Octaves, top first. */
  octaves: CqtCompactOctave[];
  /** 1 / sqrt(filter length) per CQT bin (ascending frequency). */
  scales: Float64Array;
  nBins: number;
  hop: number;
  /** The 2:1 soxr stages (and their output counts) for an n-sample signal. */
  halve: (n: number) => { stages: SoxrStageRun[]; counts: number[] };
  /** 2:1 steps before the first octave (librosa's early downsampling). */
  early: number;
}

/**
 * The rows of a plan computed (cqt_basis_row, as cqtBasisRowWasm) into one block kept for the
 * instance (about 14 KB per tuning); null when the permanent region has no room for it.
 */
function buildCqtRows(inst: Instance, rows: CqtSharedRow[], sparsity: number): CqtRowStore | null {
  const n = rows.length;
  let cap = 0;
  let maxFft = 0;
  let nAnchors = 0;
  const ints = new Int32Array(6 * n);
  const floats = new Float64Array(3 * n);
  for (let q = 0; q < n; q++) {
    const { ilen, nFft, freq, rate } = rows[q];
    const t0 = Math.floor(-ilen / 2);
    const len = Math.floor(ilen / 2) - t0;
    const lpad = Math.floor((nFft - len) / 2);
    if (len > nFft || lpad < 0) throw new Error(`CQT basis: a wavelet of ${len} samples does not fit in ${nFft}`);
    ints.set([nFft, len, lpad, fftPlan(inst, 2 * nFft), hannIn(inst, len), 2 * nAnchors], 6 * q);
    const step = (2 * Math.PI * freq) / rate;
    floats.set([Math.cos(step), Math.sin(step), ilen], 3 * q);
    nAnchors += (len + 31) >> 5;
    cap += (nFft >> 1) + 1;
    maxFft = Math.max(maxFft, nFft);
  }
  const start = new Int32Array(n + 1);
  const minBin = new Int32Array(n);
  const maxBin = new Int32Array(n);
  const staged = scratch((inst) => {
    const pInts = alloc(inst, 4 * ints.length);
    const pFloats = alloc(inst, 8 * floats.length);
    const pAnchors = alloc(inst, 16 * Math.max(1, nAnchors));
    new Int32Array(inst.x.memory.buffer, pInts, ints.length).set(ints);
    f64View(inst, pFloats, floats.length).set(floats);
    // exp(i * angle) re-anchored on exact cos/sin every 32 samples (JS's Math.cos/sin)
    const anchors = f64View(inst, pAnchors, 2 * nAnchors);
    for (let q = 0, o = 0; q < n; q++) {
      const { ilen, freq, rate } = rows[q];
      const t0 = Math.floor(-ilen / 2);
      const len = Math.floor(ilen / 2) - t0;
      for (let j = 0; j < len; j += 32, o += 2) {
        const angle = ((((t0 + j) * 2) * Math.PI) * freq) / rate;
        anchors[o] = Math.cos(angle);
        anchors[o + 1] = Math.sin(angle);
      }
    }
    const pWork = alloc(inst, 8 * (4 * maxFft + 2 * ((maxFft >> 1) + 1)));
    const pBins = alloc(inst, 4 * cap);
    const pRe = alloc(inst, 8 * cap);
    const pIm = alloc(inst, 8 * cap);
    const pCounts = alloc(inst, 4 * n);
    inst.x.cqt_basis_rows(n, pInts, pFloats, pAnchors, sparsity, pWork, pBins, pRe, pIm, pCounts);
    const counts = new Int32Array(inst.x.memory.buffer, pCounts, n);
    const bins = new Int32Array(inst.x.memory.buffer, pBins, cap);
    let at = 0;
    for (let q = 0; q < n; q++) {
      const count = counts[q];
      start[q] = at;
      minBin[q] = count ? bins[at] : rows[q].nFft;
      maxBin[q] = count ? bins[at + count - 1] : 0;
      at += count;
    }
    start[n] = at;
    const { alloc: a, kept } = keepAlloc(inst, 20 * at, 3);
    if (!kept) return { pBins, pRe, pIm, kept };
    const store = { bins: a(4 * Math.max(1, at)), re: a(8 * Math.max(1, at)), im: a(8 * Math.max(1, at)) };
    const u8 = new Uint8Array(inst.x.memory.buffer);
    u8.copyWithin(store.bins, pBins, pBins + 4 * at);
    u8.copyWithin(store.re, pRe, pRe + 8 * at);
    u8.copyWithin(store.im, pIm, pIm + 8 * at);
    return { pBins: store.bins, pRe: store.re, pIm: store.im, kept };
  });
  if (!staged.kept) return null;
  return { instance: inst.id, bins: staged.pBins, re: staged.pRe, im: staged.pIm, start, minBin, maxBin };
}

/** buildCqtRows' rows allocated in the caller's scope (when the permanent region is full). */
function buildCqtRowsScoped(inst: Instance, rows: CqtSharedRow[], sparsity: number): CqtRowStore {
  const start = new Int32Array(rows.length + 1);
  const minBin = new Int32Array(rows.length);
  const maxBin = new Int32Array(rows.length);
  const computed = rows.map((r) => cqtBasisRowWasm(r.freq, r.rate, r.ilen, r.nFft, sparsity));
  computed.forEach((r, q) => {
    start[q + 1] = start[q] + r.bins.length;
    minBin[q] = r.bins.length ? r.bins[0] : rows[q].nFft;
    maxBin[q] = r.bins.length ? r.bins[r.bins.length - 1] : 0;
  });
  const total = start[rows.length];
  const bins = alloc(inst, 4 * Math.max(1, total));
  const re = alloc(inst, 8 * Math.max(1, total));
  const im = alloc(inst, 8 * Math.max(1, total));
  for (let q = 0; q < rows.length; q++) {
    const r = computed[q];
    new Int32Array(inst.x.memory.buffer, bins + 4 * start[q], r.bins.length).set(r.bins);
    new Float64Array(inst.x.memory.buffer, re + 8 * start[q], r.re.length).set(r.re);
    new Float64Array(inst.x.memory.buffer, im + 8 * start[q], r.im.length).set(r.im);
  }
  return { instance: -1, bins, re, im, start, minBin, maxBin };
}

/**
 * |CQT| of the float32-valued signal y as librosa computes it from the top octave down: per octave
 * the boxcar-window frames (pffft, zero-padded by n_fft / 2), the sparse basis products and the
 * magnitudes (bins of this octave), then the next octave's signal: soxr HQ 2:1 (bit-exact, float32)
 * divided by sqrt(1/2) and rounded to float32, as librosa.resample(scale=True) leaves it. All in
 * WASM memory, the basis rows too (built once per tuning, kept). Returns the [nBins][nFrames]
 * magnitudes, resident when inside a session with `resident`, else copied out.
 */
export function cqtWasm(y: WasmF64 | Float64Array | Float32Array, spec: CqtWasmSpec, resident: boolean): { magnitude: Float64Array | WasmF64; nFrames: number } {
  const { octaves, nBins, early } = spec;
  // lengths, hops and frame counts of every octave
  let n = y.length;
  let hop = spec.hop;
  for (let d = 0; d < early; d++) {
    n = Math.ceil(n / 2);
    hop /= 2;
  }
  const lens: number[] = [];
  const hops: number[] = [];
  const frames: number[] = [];
  for (let i = 0; i < octaves.length; i++) {
    lens.push(n);
    hops.push(hop);
    frames.push(1 + Math.floor(n / hop));
    if (i < octaves.length - 1 && hop % 2 === 0) {
      hop /= 2;
      n = Math.ceil(n / 2);
    }
  }
  const nFrames = Math.min(...frames);
  for (const o of octaves) pffftPlan(o.nFft, 'pffft');
  const inst0 = instance();
  let store = spec.holder.store?.instance === inst0.id ? spec.holder.store : undefined;
  if (!store) {
    const built = buildCqtRows(inst0, spec.rows, spec.sparsity);
    if (built) spec.holder.store = store = built;
  }
  const pMag = resident ? alloc(inst0, 8 * nBins * nFrames) : 0;
  const out = scratch((inst) => {
    const mag = resident ? pMag : alloc(inst, 8 * nBins * nFrames);
    const pScales = alloc(inst, 8 * nBins);
    f64View(inst, pScales, nBins).set(spec.scales);
    // the signal in float32
    let len = y.length;
    let pCur = alloc(inst, 4 * Math.max(1, len));
    if (isWasmF64(y)) {
      checkSession(y);
      inst.x.f64_to_f32(y.ptr, len, pCur);
    } else if (y instanceof Float32Array) f32View(inst, pCur, len).set(y);
    else {
      const p64 = alloc(inst, 8 * Math.max(1, len));
      f64View(inst, p64, len).set(y);
      inst.x.f64_to_f32(p64, len, pCur);
    }
    const halve = (): void => {
      const { stages, counts } = spec.halve(len);
      const r = soxrStagesInto(inst, pCur, len, stages, counts);
      inst.x.div_f32_by_f64(r.p, r.n, Math.sqrt(0.5));
      pCur = r.p;
      len = r.n;
    };
    for (let d = 0; d < early; d++) halve();
    const rows = store ?? buildCqtRowsScoped(inst, spec.rows, spec.sparsity);
    const pShared = alloc(inst, 4 * rows.start.length);
    new Int32Array(inst.x.memory.buffer, pShared, rows.start.length).set(rows.start);
    let end = nBins;
    for (let i = 0; i < octaves.length; i++) {
      const basis = octaves[i];
      const nFft = basis.nFft;
      const pad = nFft >> 1;
      // only the frames the magnitudes keep (an octave may have one more than the top one)
      const T = Math.min(frames[i], nFrames);
      if (len !== lens[i]) throw new Error('CQT: octave length mismatch');
      const pPadded = alloc(inst, 4 * (len + 2 * pad));
      inst.x.pad_f32(pCur, len, pad, pPadded);
      const nRows = basis.rowIdx.length;
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
      const plan = pffftPlan(nFft, 'pffft');
      const pIn = alloc(inst, 4 * nFft);
      const pSpec = alloc(inst, 4 * T * stride);
      const pRowStart = alloc(inst, 4 * (nRows + 1));
      const pIdx = alloc(inst, 4 * Math.max(1, nnz));
      const pRe = alloc(inst, 8 * Math.max(1, nnz));
      const pIm = alloc(inst, 16 * Math.max(1, nnz));
      const pFrame = alloc(inst, 8 * (stride + 4));
      const pOutRe = alloc(inst, 8 * nRows * T);
      const pOutIm = alloc(inst, 8 * nRows * T);
      const pRowIdx = alloc(inst, 4 * nRows);
      const pRatios = alloc(inst, 8 * nRows);
      new Int32Array(inst.x.memory.buffer, pRowIdx, nRows).set(basis.rowIdx);
      f64View(inst, pRatios, nRows).set(basis.ratios);
      inst.x.cqt_octave_assemble(rows.bins, rows.re, rows.im, pShared, pRowIdx, pRatios, nRows, from, pRowStart, pIdx, pRe, pIm);
      inst.x.pffft_frames_band(plan.setup, pPadded, nFft, hops[i], T, pIn, plan.b, plan.work, from, full ? nFft : stride, pSpec, stride);
      inst.x.cqt_octave_dot(pSpec, T, stride, full ? 1 : 0, nFft, pRowStart, pIdx, pRe, pIm, nRows, pOutRe, pOutIm, pFrame);
      const take = Math.min(nRows, end);
      inst.x.cqt_magnitudes(pOutRe, pOutIm, T, nRows - take, take, pScales + 8 * (end - take), nFrames, mag + 8 * (end - take) * nFrames);
      end -= take;
      if (i < octaves.length - 1 && hops[i] % 2 === 0) halve();
    }
    return resident ? null : f64View(inst, mag, nBins * nFrames).slice();
  });
  return { magnitude: out ?? residentOut64(pMag, nBins * nFrames), nFrames };
}

/* ----------------------------------------------- raw access for the long-signal path (extract-long.ts) */

/**
 * The module and its memory for code that orchestrates kernels itself (features/extract-long.ts):
 * allocations go to the current scope (a session's, or a `scope`'s), views are valid until the next
 * allocation. Needs an open withWasmSession.
 */
export interface Arena {
  readonly x: KernelExports;
  alloc(bytes: number): number;
  f32(p: number, n: number): Float32Array;
  f64(p: number, n: number): Float64Array;
  i32(p: number, n: number): Int32Array;
  /** Runs fn with a nested scratch scope (its allocations released after). */
  scope<T>(fn: () => T): T;
  /** A float64 real-FFT plan and a periodic Hann window of size n (kept). */
  stft(nFft: number): { plan: number; win: number };
  /** A FilterBank's packed weights (kept when possible, else in the current scope). */
  bank(b: FilterBank): { w: number; runs: number; rowRuns: number };
  pffft(n: number, twiddles?: PffftTwiddles): PffftPlan;
  /** The rows of a CQT plan (kept with the plan when possible, else in the current scope). */
  cqtRows(spec: Pick<CqtWasmSpec, 'rows' | 'sparsity' | 'holder'>): { bins: number; re: number; im: number; start: Int32Array; minBin: Int32Array; maxBin: Int32Array };
  /** soxr stages over x (xl floats at byte offset pX), output in the current scope. */
  soxr(pX: number, xl: number, stages: SoxrStageRun[], counts: number[]): { p: number; n: number };
  /** Uploads a float64 table into the current scope. */
  putF64(a: ArrayLike<number>): number;
  putI32(a: ArrayLike<number>): number;
}

export function arena(): Arena {
  if (!openSession) throw new Error('wasm kernels: arena() outside withWasmSession');
  const inst = instance();
  return {
    x: inst.x,
    alloc: (bytes) => alloc(inst, bytes),
    f32: (p, n) => f32View(inst, p, n),
    f64: (p, n) => f64View(inst, p, n),
    i32: (p, n) => new Int32Array(inst.x.memory.buffer, p, n),
    scope: (fn) => scratch(() => fn()),
    stft: (nFft) => ({ plan: fftPlan(inst, nFft), win: hannIn(inst, nFft) }),
    bank: (b) => bankIn(inst, b),
    pffft: (n, twiddles = 'pffft') => pffftPlan(n, twiddles),
    cqtRows: (spec) => {
      let store = spec.holder.store?.instance === inst.id ? spec.holder.store : undefined;
      if (!store) {
        const built = buildCqtRows(inst, spec.rows, spec.sparsity);
        if (built) spec.holder.store = store = built;
      }
      return store ?? buildCqtRowsScoped(inst, spec.rows, spec.sparsity);
    },
    soxr: (pX, xl, stages, counts) => soxrStagesInto(inst, pX, xl, stages, counts),
    putF64: (a) => {
      const p = alloc(inst, 8 * Math.max(1, a.length));
      f64View(inst, p, a.length).set(a);
      return p;
    },
    putI32: (a) => {
      const p = alloc(inst, 4 * Math.max(1, a.length));
      new Int32Array(inst.x.memory.buffer, p, a.length).set(a);
      return p;
    },
  };
}

/** A resident float32 array at p (made by arena code, inside the session). */
export function residentAt(p: number, length: number): WasmF32 {
  return residentOut(p, length);
}

/**
 * How many samples of `y` are NaN or infinite (kernels.c count_nonfinite_f32): the feature path's check that a
 * signal is finite everywhere, as librosa's, in microseconds (a resident signal is read in place).
 */
export function countNonFiniteWasm(y: F32Input): number {
  return scratch((inst) => inst.x.count_nonfinite_f32(inputF32(inst, y, y.length), y.length));
}

