import PFFFT, { type PffftModule } from '@echogarden/pffft-wasm/simd';

/**
 * Float32 SIMD real FFT (pffft in WASM). Fast; used where float32 precision is what librosa
 * itself has (the CQT runs in complex64). Call `await initFft()` once; everything after is sync.
 */
let mod: PffftModule | null = null;
let loading: Promise<void> | null = null;

const PFFFT_REAL = 0;
const FORWARD = 0;
const BACKWARD = 1;

export function initFft(): Promise<void> {
  if (!loading) {
    loading = PFFFT().then((m) => {
      mod = m;
    });
  }
  return loading;
}

export function fftIsReady(): boolean {
  return mod !== null;
}

function module(): PffftModule {
  if (!mod) throw new Error('FFT not initialised: await initFft() first');
  return mod;
}

export class RealFft32 {
  readonly n: number;
  private readonly setup: number;
  private readonly inPtr: number;
  private readonly outPtr: number;
  private readonly workPtr: number;

  constructor(n: number) {
    if (n < 32 || n % 32 !== 0) throw new Error(`RealFft32: size must be a multiple of 32, got ${n}`);
    const m = module();
    this.n = n;
    this.setup = m._pffft_new_setup(n, PFFFT_REAL);
    this.inPtr = m._pffft_aligned_malloc(n * 4);
    this.outPtr = m._pffft_aligned_malloc(n * 4);
    this.workPtr = m._pffft_aligned_malloc(n * 4);
  }

  /** Heap view of the input buffer (re-fetched each call: WASM memory may have grown). */
  inputView(): Float32Array {
    return module().HEAPF32.subarray(this.inPtr >> 2, (this.inPtr >> 2) + this.n);
  }

  /** rfft of whatever is in inputView(); returns the ordered output view [r0, r(n/2), r1, i1, ...]. */
  forwardInPlace(): Float32Array {
    const m = module();
    m._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, FORWARD);
    return m.HEAPF32.subarray(this.outPtr >> 2, (this.outPtr >> 2) + this.n);
  }

  forward(x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    this.inputView().set(x as ArrayLike<number>);
    const o = this.forwardInPlace();
    const half = this.n >> 1;
    outRe[0] = o[0];
    outIm[0] = 0;
    outRe[half] = o[1];
    outIm[half] = 0;
    for (let k = 1; k < half; k++) {
      outRe[k] = o[2 * k];
      outIm[k] = o[2 * k + 1];
    }
  }

  /**
   * Ordered rffts of the T frames signal[t·hop .. t·hop + n): the signal is copied into pffft's
   * memory once and each frame is transformed where it lies (no per-frame copy in); bins
   * [from, from + width) of frame t's ordered output go to dst[t·stride ..]. hop must be a
   * multiple of 4 (pffft needs 16-byte aligned input).
   */
  framesForward(signal: Float32Array, hop: number, T: number, from: number, width: number, dst: Float32Array, stride: number): void {
    if (hop % 4 !== 0) throw new Error(`RealFft32.framesForward: hop ${hop} is not a multiple of 4`);
    if (T > 0 && (T - 1) * hop + this.n > signal.length) throw new Error('RealFft32.framesForward: signal shorter than its frames');
    const m = module();
    // in chunks of frames, so pffft's memory stays small for long files
    for (let t0 = 0; t0 < T; t0 += FRAMES_PER_CHUNK) {
      const count = Math.min(FRAMES_PER_CHUNK, T - t0);
      const span = (count - 1) * hop + this.n;
      const sig = signalBuffer(m, span);
      m.HEAPF32.set(signal.subarray(t0 * hop, t0 * hop + span), sig >> 2);
      const heap = m.HEAPF32;
      const out = this.outPtr >> 2;
      for (let t = 0; t < count; t++) {
        m._pffft_transform_ordered(this.setup, sig + 4 * t * hop, this.outPtr, this.workPtr, FORWARD);
        dst.set(heap.subarray(out + from, out + from + width), (t0 + t) * stride);
      }
    }
  }

  /**
   * Unscaled irffts of `count` ordered spectra stored back to back in `frames` (n floats each),
   * in place: one copy into pffft's memory and one back instead of two per frame.
   */
  inverseFramesInPlace(frames: Float32Array, count: number): void {
    const n = this.n;
    if (frames.length < count * n) throw new Error('RealFft32.inverseFramesInPlace: fewer values than frames');
    const m = module();
    for (let t0 = 0; t0 < count; t0 += FRAMES_PER_CHUNK) {
      const chunk = frames.subarray(t0 * n, Math.min(count, t0 + FRAMES_PER_CHUNK) * n);
      const buf = signalBuffer(m, chunk.length);
      m.HEAPF32.set(chunk, buf >> 2);
      for (let p = buf, end = buf + 4 * chunk.length; p < end; p += 4 * n) m._pffft_transform_ordered(this.setup, p, p, this.workPtr, BACKWARD);
      chunk.set(m.HEAPF32.subarray(buf >> 2, (buf >> 2) + chunk.length));
    }
  }

  /** Unscaled irfft of the ordered spectrum in inputView(); returns the output view (valid until the next call). */
  inverseInPlace(): Float32Array {
    const m = module();
    m._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, BACKWARD);
    return m.HEAPF32.subarray(this.outPtr >> 2, (this.outPtr >> 2) + this.n);
  }

  /** irfft scaled by 1/n (imaginary parts of DC and Nyquist ignored, as numpy does). */
  inverse(inRe: ArrayLike<number>, inIm: ArrayLike<number>, out: Float64Array): void {
    const m = module();
    const half = this.n >> 1;
    const v = this.inputView();
    v[0] = inRe[0];
    v[1] = inRe[half];
    for (let k = 1; k < half; k++) {
      v[2 * k] = inRe[k];
      v[2 * k + 1] = inIm[k];
    }
    m._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, BACKWARD);
    const o = m.HEAPF32.subarray(this.outPtr >> 2, (this.outPtr >> 2) + this.n);
    const s = 1 / this.n;
    for (let i = 0; i < this.n; i++) out[i] = o[i] * s;
  }
}

/** Frames per batch of framesForward / inverseFramesInPlace (bounds the buffer below). */
const FRAMES_PER_CHUNK = 256;

/** One growable signal buffer in pffft's memory (frames are transformed in place there). */
let signalPtr = 0;
let signalCapacity = 0;

function signalBuffer(m: PffftModule, length: number): number {
  if (length > signalCapacity) {
    if (signalPtr) m._pffft_aligned_free(signalPtr);
    signalCapacity = Math.max(length, 2 * signalCapacity);
    signalPtr = m._pffft_aligned_malloc(4 * signalCapacity);
  }
  return signalPtr;
}

const cache = new Map<number, RealFft32>();

export function realFft32(n: number): RealFft32 {
  let f = cache.get(n);
  if (!f) {
    f = new RealFft32(n);
    cache.set(n, f);
  }
  return f;
}
