import { PFFFT_BACKWARD, PFFFT_FORWARD, heapF32, pffftPlan, pffftTransform, withScratchF32 } from './wasm/kernels';

/**
 * Float32 SIMD real FFT: pffft, built into the kernels' WASM module (wasm/pffft.c) with the twiddle
 * tables of @echogarden/pffft-wasm's build, so transforms equal that library's bit for bit. Used
 * where float32 precision is what librosa itself has (the CQT runs in complex64, the HPSS inverse).
 * `await initFft()` once to select these paths (without it the float64 JS FFT is used); everything
 * after is sync.
 */
let ready = false;

export function initFft(): Promise<void> {
  ready = true;
  return Promise.resolve();
}

export function fftIsReady(): boolean {
  return ready;
}

export class RealFft32 {
  readonly n: number;

  constructor(n: number) {
    if (n < 32 || n % 32 !== 0) throw new Error(`RealFft32: size must be a multiple of 32, got ${n}`);
    this.n = n;
    pffftPlan(n, 'pffft');
  }

  /** Heap view of the input buffer (re-fetch after any other WASM call: memory may grow). */
  inputView(): Float32Array {
    const p = pffftPlan(this.n, 'pffft');
    return heapF32(p.a, this.n);
  }

  /** rfft of whatever is in inputView(); returns the ordered output view [r0, r(n/2), r1, i1, ...]. */
  forwardInPlace(): Float32Array {
    const p = pffftPlan(this.n, 'pffft');
    pffftTransform(p, p.a, p.b, PFFFT_FORWARD, true);
    return heapF32(p.b, this.n);
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
   * Ordered rffts of the T frames signal[t·hop .. t·hop + n): the signal is copied into WASM memory
   * once and each frame is transformed where it lies; bins [from, from + width) of frame t's ordered
   * output go to dst[t·stride ..]. hop must be a multiple of 4 (pffft needs 16-byte aligned input).
   * `dst` must not be a view of WASM memory.
   */
  framesForward(signal: Float32Array, hop: number, T: number, from: number, width: number, dst: Float32Array, stride: number): void {
    if (hop % 4 !== 0) throw new Error(`RealFft32.framesForward: hop ${hop} is not a multiple of 4`);
    if (T > 0 && (T - 1) * hop + this.n > signal.length) throw new Error('RealFft32.framesForward: signal shorter than its frames');
    const n = this.n;
    for (let t0 = 0; t0 < T; t0 += FRAMES_PER_CHUNK) {
      const count = Math.min(FRAMES_PER_CHUNK, T - t0);
      const span = (count - 1) * hop + n;
      withScratchF32(span, (sig) => {
        const p = pffftPlan(n, 'pffft');
        heapF32(sig, span).set(signal.subarray(t0 * hop, t0 * hop + span));
        for (let t = 0; t < count; t++) {
          pffftTransform(p, sig + 4 * t * hop, p.b, PFFFT_FORWARD, true);
          dst.set(heapF32(p.b + 4 * from, width), (t0 + t) * stride);
        }
      });
    }
  }

  /**
   * Unscaled irffts of `count` ordered spectra stored back to back in `frames` (n floats each),
   * in place: one copy into WASM memory and one back instead of two per frame.
   */
  inverseFramesInPlace(frames: Float32Array, count: number): void {
    const n = this.n;
    if (frames.length < count * n) throw new Error('RealFft32.inverseFramesInPlace: fewer values than frames');
    for (let t0 = 0; t0 < count; t0 += FRAMES_PER_CHUNK) {
      const chunk = frames.subarray(t0 * n, Math.min(count, t0 + FRAMES_PER_CHUNK) * n);
      withScratchF32(chunk.length, (buf) => {
        const p = pffftPlan(n, 'pffft');
        heapF32(buf, chunk.length).set(chunk);
        for (let q = buf, end = buf + 4 * chunk.length; q < end; q += 4 * n) pffftTransform(p, q, q, PFFFT_BACKWARD, true);
        chunk.set(heapF32(buf, chunk.length));
      });
    }
  }

  /** Unscaled irfft of the ordered spectrum in inputView(); returns the output view (valid until the next call). */
  inverseInPlace(): Float32Array {
    const p = pffftPlan(this.n, 'pffft');
    pffftTransform(p, p.a, p.b, PFFFT_BACKWARD, true);
    return heapF32(p.b, this.n);
  }

  /** irfft scaled by 1/n (imaginary parts of DC and Nyquist ignored, as numpy does). */
  inverse(inRe: ArrayLike<number>, inIm: ArrayLike<number>, out: Float64Array): void {
    const half = this.n >> 1;
    const v = this.inputView();
    v[0] = inRe[0];
    v[1] = inRe[half];
    for (let k = 1; k < half; k++) {
      v[2 * k] = inRe[k];
      v[2 * k + 1] = inIm[k];
    }
    const o = this.inverseInPlace();
    const s = 1 / this.n;
    for (let i = 0; i < this.n; i++) out[i] = o[i] * s;
  }
}

/** Frames per batch of framesForward / inverseFramesInPlace (bounds the scratch memory they use). */
const FRAMES_PER_CHUNK = 256;

const cache = new Map<number, RealFft32>();

export function realFft32(n: number): RealFft32 {
  let f = cache.get(n);
  if (!f) {
    f = new RealFft32(n);
    cache.set(n, f);
  }
  return f;
}
