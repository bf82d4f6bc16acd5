import PFFFT, { type PffftModule } from '@echogarden/pffft-wasm/simd';
import { glibcSinCosF } from './soxr-sincosf';

/**
 * libsoxr's own FFT, for the bit-exact resampler: python-soxr's `cr32s` engine runs pffft (SSE)
 * in float32. @echogarden/pffft-wasm's SIMD build is the same pffft source compiled with the SSE
 * path mapped to WASM SIMD (identical IEEE float32 operations, no FMA), so its transforms equal
 * libsoxr's once the twiddle tables are equal too: libsoxr computes them with glibc's `sincosf`,
 * emscripten with a double `cos` rounded to float, and they differ by one ulp in ~2% of entries.
 * We rewrite the setup's tables with the glibc values (soxr-sincosf.ts).
 *
 * This is a module instance of its own, loaded by `initSoxrPffft()`: dsp/fft.ts keeps its
 * instance private, and the tables patched here must not leak into other users of pffft.
 */

let mod: PffftModule | null = null;
let loading: Promise<void> | null = null;

export function initSoxrPffft(): Promise<void> {
  if (!loading) {
    loading = PFFFT().then(
      (m) => {
        mod = m;
      },
      (err: unknown) => {
        loading = null;
        throw err;
      },
    );
  }
  return loading;
}

export function soxrPffftReady(): boolean {
  return mod !== null;
}

function wasm(): PffftModule {
  if (!mod) throw new Error('soxr pffft not loaded: await initSoxrPffft() first');
  return mod;
}

const PFFFT_REAL = 0;
export const FORWARD = 0;
export const BACKWARD = 1;

/** pffft_new_setup(n, PFFFT_REAL) with libsoxr's (glibc) twiddles written into it. */
function soxrSetup(m: PffftModule, n: number): number {
  const s = m._pffft_new_setup(n, PFFFT_REAL);
  if (!s) throw new Error(`pffft: no real setup for n=${n}`);
  const w = s >> 2;
  // struct PFFFT_Setup { int N, Ncvec, ifac[15]; int transform; v4sf *data; float *e, *twiddle; } (wasm32)
  const nc = m.HEAP32[w + 1];
  const data = m.HEAP32[w + 18];
  const ePtr = m.HEAP32[w + 19];
  const twPtr = m.HEAP32[w + 20];
  if (m.HEAP32[w] !== n || nc !== n / 8 || ePtr !== data || twPtr !== data + 2 * nc * 3 * 4) {
    throw new Error('pffft: unexpected PFFFT_Setup layout');
  }
  const e = m.HEAPF32.subarray(ePtr >> 2, (ePtr >> 2) + 2 * nc * 3);
  for (let k = 0; k < nc; k++) {
    const i = k >> 2;
    const j = k & 3;
    for (let q = 0; q < 3; q++) {
      const [sin, cos] = glibcSinCosF(Math.fround((-2 * Math.PI * (q + 1) * k) / n));
      e[(2 * (i * 3 + q)) * 4 + j] = cos;
      e[(2 * (i * 3 + q) + 1) * 4 + j] = sin;
    }
  }
  // rffti1_ps(n / 4, twiddle, ifac)
  const nq = n / 4;
  const tw = m.HEAPF32.subarray(twPtr >> 2, (twPtr >> 2) + nq);
  const nf = m.HEAP32[w + 3];
  const argh = Math.fround((2 * Math.PI) / nq);
  let is = 0;
  let l1 = 1;
  for (let k1 = 1; k1 <= nf - 1; k1++) {
    const ip = m.HEAP32[w + 2 + k1 + 1];
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
        const [sin, cos] = glibcSinCosF(Math.fround(fi * argld));
        tw[i - 2] = cos;
        tw[i - 1] = sin;
      }
      is += ido;
    }
    l1 = l2;
  }
  return s;
}

/** A real pffft of size n (libsoxr tables), with input/output/work buffers in WASM memory. */
export class SoxrFft {
  readonly n: number;
  private readonly setup: number;
  /** Byte offsets of the buffers: `a` (input / result), `b` (other side), `work`. */
  readonly aPtr: number;
  readonly bPtr: number;
  private readonly workPtr: number;

  constructor(n: number) {
    if (n < 32 || n % 32 !== 0) throw new Error(`SoxrFft: size must be a multiple of 32, got ${n}`);
    const m = wasm();
    this.n = n;
    this.setup = soxrSetup(m, n);
    this.aPtr = m._pffft_aligned_malloc(n * 4);
    this.bPtr = m._pffft_aligned_malloc(n * 4);
    this.workPtr = m._pffft_aligned_malloc(n * 4);
  }

  /** Heap views (re-fetched per call: WASM memory may grow when other setups are made). */
  a(): Float32Array {
    const h = wasm().HEAPF32;
    return h.subarray(this.aPtr >> 2, (this.aPtr >> 2) + this.n);
  }
  b(): Float32Array {
    const h = wasm().HEAPF32;
    return h.subarray(this.bPtr >> 2, (this.bPtr >> 2) + this.n);
  }

  /** pffft_transform (internal order) or pffft_transform_ordered from buffer a into buffer b. */
  transformAtoB(direction: number, ordered: boolean): void {
    const m = wasm();
    if (ordered) m._pffft_transform_ordered(this.setup, this.aPtr, this.bPtr, this.workPtr, direction);
    else m._pffft_transform(this.setup, this.aPtr, this.bPtr, this.workPtr, direction);
  }
  transformBtoA(direction: number, ordered: boolean): void {
    const m = wasm();
    if (ordered) m._pffft_transform_ordered(this.setup, this.bPtr, this.aPtr, this.workPtr, direction);
    else m._pffft_transform(this.setup, this.bPtr, this.aPtr, this.workPtr, direction);
  }
  /** pffft_zreorder(b → a): ordered spectrum to pffft's internal order (BACKWARD) or back. */
  reorderBtoA(direction: number): void {
    wasm()._pffft_zreorder(this.setup, this.bPtr, this.aPtr, direction);
  }
}

const fftCache = new Map<number, SoxrFft>();
export function soxrFft(n: number): SoxrFft {
  let f = fftCache.get(n);
  if (!f) fftCache.set(n, (f = new SoxrFft(n)));
  return f;
}

const f = Math.fround;

/**
 * pffft_zconvolve (SSE) of two spectra in pffft's internal order, into `a`: blocks of 4 real
 * then 4 imaginary parts; DC and Nyquist (both real) share lane 0 of the first block.
 */
export function zconvolve(a: Float32Array, b: Float32Array, n: number): void {
  const dc = f(a[0] * b[0]);
  const ny = f(a[4] * b[4]);
  for (let base = 0; base < n; base += 8) {
    for (let l = base; l < base + 4; l++) {
      const ar = a[l], ai = a[l + 4], br = b[l], bi = b[l + 4];
      a[l] = f(f(ar * br) - f(ai * bi));
      a[l + 4] = f(f(ai * br) + f(ar * bi));
    }
  }
  a[0] = dc;
  a[4] = ny;
}

/**
 * _soxr_ordered_partial_convolve_simd: the first n values of ordered spectra multiplied (bins
 * 0 .. n/2 - 1), with slot 1 taking the real part of bin n/2: the spectrum of the filtered
 * signal decimated by dft_length / n, ready for an ordered inverse of size n.
 */
export function partialConvolve(a: Float32Array, b: Float32Array, n: number): void {
  const dc = f(a[0] * b[0]);
  const ny = f(f(b[n] * a[n]) - f(b[n + 1] * a[n + 1]));
  for (let i = 0; i < n; i += 2) {
    const ar = a[i], ai = a[i + 1], br = b[i], bi = b[i + 1];
    a[i] = f(f(ar * br) - f(ai * bi));
    a[i + 1] = f(f(ai * br) + f(ar * bi));
  }
  a[0] = dc;
  a[1] = ny;
}
