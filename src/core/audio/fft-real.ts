type Real = Float64Array | Float32Array;

/**
 * A real FFT for the resampler's block convolutions: an n/2-point complex radix-2² FFT plus the
 * usual real split. Synchronous and self-contained so decoding never waits on WASM. Spectra are
 * kept as separate re/im arrays of n/2 + 1 bins.
 *
 * precision 'float32' keeps the working data and twiddles in float32 (every store rounds), which
 * gives the rounding-noise floor of soxr's own float32 FFT convolution: librosa's values in bands
 * where a resampled signal holds nothing but that noise (spectral contrast's top band) then agree.
 */
export class RealFft {
  readonly n: number;
  readonly precision: 'float64' | 'float32';
  private readonly h: number;
  private readonly rev: Uint32Array;
  private readonly oddStages: boolean;
  /** Per radix-2² pass of span s: [cos, sin] of 2πj/2s and of 2πj/4s, j < s. */
  private readonly tw4: Real[];
  private readonly splitC: Real; // cos(2πk/n), k ≤ h/2
  private readonly splitS: Real;
  private readonly zr: Real;
  private readonly zi: Real;

  constructor(n: number, precision: 'float64' | 'float32' = 'float64') {
    this.precision = precision;
    const Arr = precision === 'float32' ? Float32Array : Float64Array;
    if (n < 4 || (n & (n - 1)) !== 0) throw new Error(`RealFft: size must be a power of two >= 4, got ${n}`);
    this.n = n;
    const h = n >> 1;
    this.h = h;
    const bits = Math.round(Math.log2(h));
    this.rev = new Uint32Array(h);
    for (let i = 0; i < h; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.oddStages = bits % 2 === 1;
    this.tw4 = [];
    for (let st = this.oddStages ? 2 : 1; st < h; st <<= 2) {
      const t = new Arr(4 * st);
      for (let j = 0; j < st; j++) {
        t[4 * j] = Math.cos((Math.PI * j) / st); // W_{2s}^j = e^{∓2πij/2s}
        t[4 * j + 1] = Math.sin((Math.PI * j) / st);
        t[4 * j + 2] = Math.cos((Math.PI * j) / (2 * st)); // W_{4s}^j
        t[4 * j + 3] = Math.sin((Math.PI * j) / (2 * st));
      }
      this.tw4.push(t);
    }
    this.splitC = new Arr(h + 1);
    this.splitS = new Arr(h + 1);
    for (let k = 0; k <= h; k++) {
      this.splitC[k] = Math.cos((2 * Math.PI * k) / n);
      this.splitS[k] = Math.sin((2 * Math.PI * k) / n);
    }
    this.zr = new Arr(h);
    this.zi = new Arr(h);
  }

  /** Complex FFT of zr/zi in place (input in natural order). sign −1 forward, +1 inverse (unscaled). */
  private complex(sign: number): void {
    const { zr, zi, rev, h } = this;
    for (let i = 0; i < h; i++) {
      const j = rev[i];
      if (j > i) {
        let t = zr[i]; zr[i] = zr[j]; zr[j] = t;
        t = zi[i]; zi[i] = zi[j]; zi[j] = t;
      }
    }
    let s = 1;
    if (this.oddStages) {
      for (let a = 0; a < h; a += 2) {
        const b = a + 1;
        const tr = zr[b], ti = zi[b];
        zr[b] = zr[a] - tr; zi[b] = zi[a] - ti;
        zr[a] += tr; zi[a] += ti;
      }
      s = 2;
    }
    if (this.precision === 'float32') this.passes32(sign, s);
    else this.passes64(sign, s);
  }

  private passes64(sign: number, s: number): void {
    const { zr, zi, h } = this;
    // Radix-2² passes: two radix-2 levels (sizes 2s and 4s) per sweep over the data.
    for (let pass = 0; s < h; s <<= 2, pass++) {
      const tw = this.tw4[pass];
      const s4 = s << 2;
      for (let j = 0; j < s; j++) {
        const w2r = tw[4 * j], w2i = sign * tw[4 * j + 1];
        const w4r = tw[4 * j + 2], w4i = sign * tw[4 * j + 3];
        for (let a = j; a < h; a += s4) {
          const b = a + s, c = b + s, d = c + s;
          const x1r = zr[b], x1i = zi[b], x3r = zr[d], x3i = zi[d];
          const m1r = w2r * x1r - w2i * x1i, m1i = w2r * x1i + w2i * x1r;
          const m3r = w2r * x3r - w2i * x3i, m3i = w2r * x3i + w2i * x3r;
          const x0r = zr[a], x0i = zi[a], x2r = zr[c], x2i = zi[c];
          const t0r = x0r + m1r, t0i = x0i + m1i, t1r = x0r - m1r, t1i = x0i - m1i;
          const t2r = x2r + m3r, t2i = x2i + m3i, t3r = x2r - m3r, t3i = x2i - m3i;
          const u2r = w4r * t2r - w4i * t2i, u2i = w4r * t2i + w4i * t2r;
          const v3r = w4r * t3r - w4i * t3i, v3i = w4r * t3i + w4i * t3r;
          // w4' = w4 · (sign · i): forward multiplies by −i, inverse by +i
          const u3r = -sign * v3i, u3i = sign * v3r;
          zr[a] = t0r + u2r; zi[a] = t0i + u2i;
          zr[c] = t0r - u2r; zi[c] = t0i - u2i;
          zr[b] = t1r + u3r; zi[b] = t1i + u3i;
          zr[d] = t1r - u3r; zi[d] = t1i - u3i;
        }
      }
    }
  }

  /** The same passes rounding every operation to float32, like a single-precision FFT. */
  private passes32(sign: number, s: number): void {
    const { zr, zi, h } = this;
    const f = Math.fround;
    // Radix-2² passes: two radix-2 levels (sizes 2s and 4s) per sweep over the data.
    for (let pass = 0; s < h; s <<= 2, pass++) {
      const tw = this.tw4[pass];
      const s4 = s << 2;
      for (let j = 0; j < s; j++) {
        const w2r = tw[4 * j], w2i = sign * tw[4 * j + 1];
        const w4r = tw[4 * j + 2], w4i = sign * tw[4 * j + 3];
        for (let a = j; a < h; a += s4) {
          const b = a + s, c = b + s, d = c + s;
          const x1r = zr[b], x1i = zi[b], x3r = zr[d], x3i = zi[d];
          const m1r = f(f(w2r * x1r) - f(w2i * x1i)), m1i = f(f(w2r * x1i) + f(w2i * x1r));
          const m3r = f(f(w2r * x3r) - f(w2i * x3i)), m3i = f(f(w2r * x3i) + f(w2i * x3r));
          const x0r = zr[a], x0i = zi[a], x2r = zr[c], x2i = zi[c];
          const t0r = f(x0r + m1r), t0i = f(x0i + m1i), t1r = f(x0r - m1r), t1i = f(x0i - m1i);
          const t2r = f(x2r + m3r), t2i = f(x2i + m3i), t3r = f(x2r - m3r), t3i = f(x2i - m3i);
          const u2r = f(f(w4r * t2r) - f(w4i * t2i)), u2i = f(f(w4r * t2i) + f(w4i * t2r));
          const v3r = f(f(w4r * t3r) - f(w4i * t3i)), v3i = f(f(w4r * t3i) + f(w4i * t3r));
          // w4' = w4 · (sign · i): forward multiplies by −i, inverse by +i
          const u3r = -sign * v3i, u3i = sign * v3r;
          zr[a] = t0r + u2r; zi[a] = t0i + u2i;
          zr[c] = t0r - u2r; zi[c] = t0i - u2i;
          zr[b] = t1r + u3r; zi[b] = t1i + u3i;
          zr[d] = t1r - u3r; zi[d] = t1i - u3i;
        }
      }
    }
  }

  /** X[k] = Σ x[t] e^{-2πikt/n}, k = 0..n/2. */
  forward(x: Float64Array, re: Float64Array, im: Float64Array): void {
    const { zr, zi, h, splitC, splitS } = this;
    for (let j = 0; j < h; j++) {
      zr[j] = x[2 * j];
      zi[j] = x[2 * j + 1];
    }
    this.complex(-1);
    re[0] = zr[0] + zi[0];
    im[0] = 0;
    re[h] = zr[0] - zi[0];
    im[h] = 0;
    for (let k = 1; k < h; k++) {
      const ar = zr[k], ai = zi[k];
      const br = zr[h - k], bi = -zi[h - k]; // conj(Z[h-k])
      const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
      // O = (Z[k] - conj(Z[h-k])) / (2i)
      const or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
      const c = splitC[k], s = -splitS[k]; // e^{-2πik/n}
      re[k] = er + c * or - s * oi;
      im[k] = ei + c * oi + s * or;
    }
    if (this.precision === 'float32') roundInPlace(re, im);
  }

  /** x[t] = (1/n) Σ X[k] e^{2πikt/n} from bins 0..n/2 of a real signal's spectrum. */
  inverse(re: Float64Array, im: Float64Array, x: Float64Array): void {
    const { zr, zi, h, splitC, splitS } = this;
    for (let k = 0; k < h; k++) {
      const ar = re[k], ai = im[k];
      const br = re[h - k], bi = -im[h - k]; // conj(X[h-k])
      const er = ar + br, ei = ai + bi; // 2E
      const dr = ar - br, di = ai - bi;
      const c = splitC[k], s = splitS[k]; // e^{+2πik/n}
      const or = dr * c - di * s, oi = dr * s + di * c; // 2O
      zr[k] = er - oi; // Z = E + iO
      zi[k] = ei + or;
    }
    this.complex(1);
    const scale = 1 / this.n;
    for (let j = 0; j < h; j++) {
      x[2 * j] = zr[j] * scale;
      x[2 * j + 1] = zi[j] * scale;
    }
    if (this.precision === 'float32') roundInPlace(x);
  }
}

function roundInPlace(...arrays: Float64Array[]): void {
  const f = Math.fround;
  for (const a of arrays) for (let i = 0; i < a.length; i++) a[i] = f(a[i]);
}
