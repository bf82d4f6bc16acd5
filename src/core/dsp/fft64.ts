/**
 * Float64 real FFT in plain JS (radix-2 complex FFT of n/2 points + real split).
 *
 * Used where librosa's numbers are float64-computed then rounded to float32 (its STFT runs
 * numpy's pocketfft on float64 frames and stores complex64): computing in float64 and rounding
 * reproduces librosa's |X| nearly bit for bit, which the tuning histograms need.
 */
export class RealFft64 {
  readonly n: number;
  private readonly half: number;
  private readonly bitrev: Uint32Array;
  // per radix-2^2 pass over sizes s -> 4s: w1 = e^{-2 pi i j / 2s}, w2 = e^{-2 pi i j / 4s}, j < s
  private readonly passes: { s: number; w1r: Float64Array; w1i: Float64Array; w2r: Float64Array; w2i: Float64Array }[];
  private readonly lastRadix2: { w1r: Float64Array; w1i: Float64Array } | null;
  private readonly splitRe: Float64Array; // e^{-2 pi i k / n}, k <= half
  private readonly splitIm: Float64Array;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;

  constructor(n: number) {
    if (n < 4 || (n & (n - 1)) !== 0) throw new Error(`RealFft64: size must be a power of two >= 4, got ${n}`);
    this.n = n;
    const half = n >> 1;
    this.half = half;
    this.bitrev = new Uint32Array(half);
    const bits = Math.log2(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitrev[i] = r;
    }
    const table = (count: number, period: number): [Float64Array, Float64Array] => {
      const re = new Float64Array(count);
      const im = new Float64Array(count);
      for (let j = 0; j < count; j++) {
        re[j] = Math.cos((-2 * Math.PI * j) / period);
        im[j] = Math.sin((-2 * Math.PI * j) / period);
      }
      return [re, im];
    };
    this.passes = [];
    let s = 1;
    while (4 * s <= half) {
      const [w1r, w1i] = table(s, 2 * s);
      const [w2r, w2i] = table(s, 4 * s);
      this.passes.push({ s, w1r, w1i, w2r, w2i });
      s *= 4;
    }
    if (2 * s === half) {
      const [w1r, w1i] = table(s, 2 * s);
      this.lastRadix2 = { w1r, w1i };
    } else {
      this.lastRadix2 = null;
    }
    this.splitRe = new Float64Array(half + 1);
    this.splitIm = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      const a = (-2 * Math.PI * k) / n;
      this.splitRe[k] = Math.cos(a);
      this.splitIm[k] = Math.sin(a);
    }
    this.zr = new Float64Array(half);
    this.zi = new Float64Array(half);
  }

  /**
   * In-place forward complex FFT of zr/zi (input in bit-reversed order), two radix-2 stages per
   * pass. The inverse transform is done by conjugating around this.
   */
  private butterflies(): void {
    const { zr, zi, half } = this;
    // first pass (sizes 1 -> 4): all twiddles are 1, so it is adds only
    if (this.passes.length > 0) {
      for (let i0 = 0; i0 < half; i0 += 4) {
        const a0r = zr[i0], a0i = zi[i0], a1r = zr[i0 + 1], a1i = zi[i0 + 1];
        const a2r = zr[i0 + 2], a2i = zi[i0 + 2], a3r = zr[i0 + 3], a3i = zi[i0 + 3];
        const b0r = a0r + a1r, b0i = a0i + a1i, b1r = a0r - a1r, b1i = a0i - a1i;
        const b2r = a2r + a3r, b2i = a2i + a3i, b3r = a2r - a3r, b3i = a2i - a3i;
        zr[i0] = b0r + b2r;
        zi[i0] = b0i + b2i;
        zr[i0 + 2] = b0r - b2r;
        zi[i0 + 2] = b0i - b2i;
        zr[i0 + 1] = b1r + b3i;
        zi[i0 + 1] = b1i - b3r;
        zr[i0 + 3] = b1r - b3i;
        zi[i0 + 3] = b1i + b3r;
      }
    }
    for (let pi = 1; pi < this.passes.length; pi++) {
      const { s, w1r, w1i, w2r, w2i } = this.passes[pi];
      const size = 4 * s;
      for (let start = 0; start < half; start += size) {
        for (let j = 0; j < s; j++) {
          const i0 = start + j;
          const i1 = i0 + s;
          const i2 = i1 + s;
          const i3 = i2 + s;
          const ar = w1r[j];
          const ai = w1i[j];
          // stage 1 (size 2s): (i0, i1) and (i2, i3) with w1
          let tr = zr[i1] * ar - zi[i1] * ai;
          let ti = zr[i1] * ai + zi[i1] * ar;
          const b0r = zr[i0] + tr;
          const b0i = zi[i0] + ti;
          const b1r = zr[i0] - tr;
          const b1i = zi[i0] - ti;
          tr = zr[i3] * ar - zi[i3] * ai;
          ti = zr[i3] * ai + zi[i3] * ar;
          const b2r = zr[i2] + tr;
          const b2i = zi[i2] + ti;
          const b3r = zr[i2] - tr;
          const b3i = zi[i2] - ti;
          // stage 2 (size 4s): (b0, b2) with w2, (b1, b3) with w2 * (-i)
          const cr = w2r[j];
          const ci = w2i[j];
          const c2r = b2r * cr - b2i * ci;
          const c2i = b2r * ci + b2i * cr;
          // (b3 * w2) * (-i) = (im, -re)
          const d3r = b3r * cr - b3i * ci;
          const d3i = b3r * ci + b3i * cr;
          zr[i0] = b0r + c2r;
          zi[i0] = b0i + c2i;
          zr[i2] = b0r - c2r;
          zi[i2] = b0i - c2i;
          zr[i1] = b1r + d3i;
          zi[i1] = b1i - d3r;
          zr[i3] = b1r - d3i;
          zi[i3] = b1i + d3r;
        }
      }
    }
    if (this.lastRadix2) {
      const { w1r, w1i } = this.lastRadix2;
      const h = half >> 1;
      for (let j = 0; j < h; j++) {
        const b = j + h;
        const tr = zr[b] * w1r[j] - zi[b] * w1i[j];
        const ti = zr[b] * w1i[j] + zi[b] * w1r[j];
        zr[b] = zr[j] - tr;
        zi[b] = zi[j] - ti;
        zr[j] += tr;
        zi[j] += ti;
      }
    }
  }

  /**
   * rfft of frame[0 .. n) into outRe/outIm[outOffset .. outOffset + n/2] (n/2 + 1 bins).
   */
  forward(frame: Float64Array, outRe: Float64Array, outIm: Float64Array, outOffset = 0): void {
    const { zr, zi, bitrev, half } = this;
    for (let m = 0; m < half; m++) {
      const r = bitrev[m];
      zr[r] = frame[2 * m];
      zi[r] = frame[2 * m + 1];
    }
    this.transformLoaded(outRe, outIm, outOffset);
  }

  /** rfft of x[offset + i] * window[i], i < n (no intermediate frame copy). */
  forwardWindowed(
    x: Float64Array,
    offset: number,
    window: Float64Array,
    outRe: Float64Array,
    outIm: Float64Array,
    outOffset = 0,
  ): void {
    const { zr, zi, bitrev, half } = this;
    for (let m = 0; m < half; m++) {
      const r = bitrev[m];
      const i = 2 * m;
      zr[r] = x[offset + i] * window[i];
      zi[r] = x[offset + i + 1] * window[i + 1];
    }
    this.transformLoaded(outRe, outIm, outOffset);
  }

  private transformLoaded(outRe: Float64Array, outIm: Float64Array, outOffset: number): void {
    const { zr, zi, half, splitRe, splitIm } = this;
    this.butterflies();
    // X[k] = E[k] + W^k O[k];  E = (Z[k] + conj Z[half-k]) / 2,  O = (Z[k] - conj Z[half-k]) / 2i
    const o = outOffset;
    outRe[o] = zr[0] + zi[0];
    outIm[o] = 0;
    outRe[o + half] = zr[0] - zi[0];
    outIm[o + half] = 0;
    for (let k = 1; k < half; k++) {
      const ar = zr[k];
      const ai = zi[k];
      const br = zr[half - k];
      const bi = -zi[half - k];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      // (a - b) / 2i = (ai - bi)/2 - i (ar - br)/2
      const or = 0.5 * (ai - bi);
      const oi = -0.5 * (ar - br);
      const wr = splitRe[k];
      const wi = splitIm[k];
      outRe[o + k] = er + or * wr - oi * wi;
      outIm[o + k] = ei + or * wi + oi * wr;
    }
  }

  /** Complex FFT of n/2 points (the transform this class runs internally), in place on re/im. */
  complexForward(re: Float64Array, im: Float64Array): void {
    const { zr, zi, bitrev, half } = this;
    for (let m = 0; m < half; m++) {
      zr[bitrev[m]] = re[m];
      zi[bitrev[m]] = im[m];
    }
    this.butterflies();
    re.set(zr);
    im.set(zi);
  }

  /** irfft (numpy semantics: imaginary parts of DC and Nyquist ignored), scaled by 1/n. */
  inverse(inRe: ArrayLike<number>, inIm: ArrayLike<number>, out: Float64Array): void {
    const { zr, zi, bitrev, half, splitRe, splitIm } = this;
    for (let k = 0; k < half; k++) {
      const xr = inRe[k];
      const xi = k === 0 ? 0 : inIm[k];
      const yr = inRe[half - k];
      const yi = k === 0 ? 0 : -inIm[half - k]; // conj X[half-k]
      const er = xr + yr;
      const ei = xi + yi;
      // O * 2 = (X - conj X[half-k]) / W^k = (X - ..) * conj(W^k)
      const dr = xr - yr;
      const di = xi - yi;
      const wr = splitRe[k];
      const wi = -splitIm[k];
      const or = dr * wr - di * wi;
      const oi = dr * wi + di * wr;
      // Z = E + i O
      // inverse FFT = conj(FFT(conj Z))
      const r = bitrev[k];
      zr[r] = er - oi;
      zi[r] = -(ei + or);
    }
    this.butterflies();
    const s = 1 / this.n;
    for (let m = 0; m < half; m++) {
      out[2 * m] = zr[m] * s;
      out[2 * m + 1] = -zi[m] * s;
    }
  }
}

const cache = new Map<number, RealFft64>();

export function realFft64(n: number): RealFft64 {
  let f = cache.get(n);
  if (!f) {
    f = new RealFft64(n);
    cache.set(n, f);
  }
  return f;
}
