import { realFft64 } from '../dsp/fft64';
import type { FirStage, HalfStage, PolyStage, SoxrPlan, Stage } from './soxr-design';

/** A real FFT of size n: spectra as re/im arrays of n/2 + 1 bins; inverse scaled by 1/n. */
export interface RealFftLike {
  forward(x: Float64Array, re: Float64Array, im: Float64Array): void;
  inverse(re: Float64Array, im: Float64Array, x: Float64Array): void;
}
export type RealFftFactory = (n: number) => RealFftLike;

/** The float64 real FFT of dsp/fft64 (cached per size): the generic path's default. */
export const float64Fft: RealFftFactory = realFft64;

/**
 * Runs a soxr stage plan over a whole signal. Each stage sees its input as zero-extended on both
 * sides, exactly like soxr's zero preload and its zero-fed flush, and all stages are aligned at
 * t = 0 (soxr compensates each stage's delay), so a stage's output k sits at input time k·M/L.
 */
export function runPlan(plan: SoxrPlan, x: Float64Array, nOut: number, fft: RealFftFactory = float64Fft): Float64Array {
  const counts = new Array<number>(plan.stages.length + 1);
  counts[plan.stages.length] = nOut;
  for (let s = plan.stages.length - 1; s >= 0; s--) counts[s] = inputNeeded(plan.stages[s], counts[s + 1]);
  let cur = x;
  for (let s = 0; s < plan.stages.length; s++) cur = runStage(plan.stages[s], cur, counts[s + 1], fft);
  return cur;
}

const MULT32 = 4294967296;

export function inputNeeded(stage: Stage, nOut: number): number {
  if (nOut <= 0) return 0;
  switch (stage.kind) {
    case 'half':
      return 2 * nOut + 2 * stage.coefs.length - 2;
    case 'fir': {
      const c = (stage.h.length - 1) >> 1;
      return Math.floor(((nOut - 1) * stage.M + c) / stage.L) + 1;
    }
    case 'poly': {
      const pre = (stage.nc - 1) >> 1;
      const last = stage.rational
        ? Math.floor((stage.at0 + (nOut - 1) * stage.M) / stage.L)
        : Math.floor((stage.at0 + (nOut - 1) * stage.stepWhole) / MULT32);
      return last + stage.nc - pre + 1;
    }
  }
}

function runStage(stage: Stage, x: Float64Array, nOut: number, fft: RealFftFactory): Float64Array {
  switch (stage.kind) {
    case 'half':
      return runHalf(stage, x, nOut);
    case 'fir':
      return runFir(stage, x, nOut, fft);
    case 'poly':
      return stage.rational ? runPolyRational(stage, x, nOut) : runPolyInterpolated(stage, x, nOut);
  }
}

function padded(x: Float64Array, before: number, total: number): Float64Array {
  const xp = new Float64Array(Math.max(total, before));
  xp.set(x.subarray(0, Math.max(0, Math.min(x.length, total - before))), before);
  return xp;
}

function runHalf(stage: HalfStage, x: Float64Array, nOut: number): Float64Array {
  const c = stage.coefs;
  const n = c.length;
  const pre = 2 * n;
  const xp = padded(x, pre, pre + 2 * nOut + 2 * n);
  const y = new Float64Array(nOut);
  for (let i = 0; i < nOut; i++) {
    const k = pre + 2 * i;
    let sum = 0.5 * xp[k];
    for (let j = 0; j < n; j++) sum += c[j] * (xp[k - 2 * j - 1] + xp[k + 2 * j + 1]);
    y[i] = sum;
  }
  return y;
}

interface FirKernel {
  fft: RealFftLike;
  /** Folded-output FFT (n/2) for the 2:1 case. */
  fftHalf: RealFftLike | null;
  hre: Float64Array;
  him: Float64Array;
}

const kernelCache = new WeakMap<FirStage, WeakMap<RealFftFactory, Map<number, FirKernel>>>();

function firKernel(stage: FirStage, n: number, factory: RealFftFactory): FirKernel {
  let byFactory = kernelCache.get(stage);
  if (!byFactory) kernelCache.set(stage, (byFactory = new WeakMap()));
  let byN = byFactory.get(factory);
  if (!byN) byFactory.set(factory, (byN = new Map()));
  let k = byN.get(n);
  if (!k) {
    const fft = factory(n);
    const hpad = new Float64Array(n);
    hpad.set(stage.h);
    const hre = new Float64Array(n / 2 + 1);
    const him = new Float64Array(n / 2 + 1);
    fft.forward(hpad, hre, him);
    k = { fft, fftHalf: stage.M === 2 ? factory(n / 2) : null, hre, him };
    byN.set(n, k);
  }
  return k;
}

function nextPow2(v: number): number {
  let p = 1;
  while (p < v) p <<= 1;
  return p;
}

/** Overlap-save FFT convolution of the zero-stuffed input, keeping every M-th output. */
function runFir(stage: FirStage, x: Float64Array, nOut: number, factory: RealFftFactory): Float64Array {
  const { h, L, M } = stage;
  const T = h.length;
  const c = (T - 1) >> 1;
  const y = new Float64Array(nOut);
  if (nOut === 0) return y;
  const span = (nOut - 1) * M + 1; // outputs needed on the upsampled grid
  const n = Math.max(64, Math.min(nextPow2(4 * T), nextPow2(span + T - 1)));
  const { fft, fftHalf, hre, him } = firKernel(stage, n, factory);
  const B = n - T + 1; // new outputs per block (even: n even, T odd)
  const seg = new Float64Array(n);
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  const yc = new Float64Array(n);
  const xl = x.length;
  for (let n0 = 0; n0 < span; n0 += B) {
    // seg[j] = u[n0 - c + j], u[m] = x[m / L] on multiples of L
    const m0 = n0 - c;
    if (L === 1) {
      seg.fill(0);
      const lo = Math.max(0, -m0);
      const hi = Math.min(n, xl - m0);
      if (hi > lo) seg.set(x.subarray(m0 + lo, m0 + hi), lo);
    } else {
      seg.fill(0);
      let j = ((-m0 % L) + L) % L; // first j with (m0 + j) divisible by L
      for (let t = (m0 + j) / L; j < n; j += L, t++) if (t >= 0 && t < xl) seg[j] = x[t];
    }
    fft.forward(seg, re, im);
    for (let k = 0; k <= n / 2; k++) {
      const a = re[k], b = im[k];
      re[k] = a * hre[k] - b * him[k];
      im[k] = a * him[k] + b * hre[k];
    }
    if (fftHalf) {
      // Even outputs only: fold the spectrum, D[k] = (Y[k] + conj(Y[n/2 - k])) / 2, then an n/2 inverse.
      const q = n / 2;
      for (let k = 0; k <= q / 2; k++) {
        const ar = re[k], ai = im[k], br = re[q - k], bi = im[q - k];
        re[k] = 0.5 * (ar + br);
        im[k] = 0.5 * (ai - bi);
      }
      fftHalf.inverse(re, im, yc);
      // out[n0 + 2m] = yc[(T - 1)/2 + m]
      const k0 = n0 / 2;
      const kEnd = Math.min(nOut, k0 + B / 2);
      for (let k = k0, p = c; k < kEnd; k++, p++) y[k] = yc[p];
    } else {
      fft.inverse(re, im, yc);
      const kStart = Math.ceil(n0 / M);
      const kEnd = Math.min(nOut, Math.ceil((n0 + B) / M));
      for (let k = kStart; k < kEnd; k++) y[k] = yc[T - 1 + k * M - n0];
    }
  }
  return y;
}

const polyTables = new WeakMap<PolyStage, Float64Array>();

/** Rational polyphase: P[rem][j] = H[(nc − 1 − j)·L + rem]. */
function rationalTable(stage: PolyStage): Float64Array {
  let t = polyTables.get(stage);
  if (!t) {
    const { nc, L, H } = stage;
    t = new Float64Array(L * nc);
    for (let r = 0; r < L; r++) for (let j = 0; j < nc; j++) t[r * nc + j] = H[(nc - 1 - j) * L + r];
    polyTables.set(stage, t);
  }
  return t;
}

function runPolyRational(stage: PolyStage, x: Float64Array, nOut: number): Float64Array {
  const { nc, L, M, at0 } = stage;
  const P = rationalTable(stage);
  const pre = (nc - 1) >> 1;
  const y = new Float64Array(nOut);
  const lastDiv = Math.floor((at0 + (nOut - 1) * M) / L);
  const xp = padded(x, pre, lastDiv + nc + 1);
  let div = Math.floor(at0 / L) | 0;
  let rem = (at0 - div * L) | 0;
  const dDiv = Math.floor(M / L) | 0;
  const dRem = (M - dDiv * L) | 0;
  for (let k = 0; k < nOut; k++) {
    const base = rem * nc;
    let sum = 0;
    for (let j = 0; j < nc; j++) sum += P[base + j] * xp[div + j];
    y[k] = sum;
    div += dDiv;
    rem += dRem;
    if (rem >= L) {
      rem -= L;
      div++;
    }
  }
  return y;
}

/** Interpolated polyphase: per phase and tap, the polynomial coefficients soxr precomputes. */
function interpolatedTable(stage: PolyStage): Float64Array {
  let t = polyTables.get(stage);
  if (!t) {
    const { nc, phases, order, H } = stage;
    const w = order + 1;
    t = new Float64Array(phases * nc * w);
    for (let p = 0; p < phases; p++) {
      for (let j = 0; j < nc; j++) {
        const q = (nc - 1 - j) * phases + p;
        const f0 = H[q], f1 = H[q + 1], f2 = H[q + 2], fm1 = q >= 1 ? H[q - 1] : 0;
        const o = (p * nc + j) * w;
        if (order === 1) {
          t[o] = f0;
          t[o + 1] = f1 - f0;
        } else if (order === 2) {
          const c = 0.5 * (f2 + f0) - f1;
          t[o] = f0;
          t[o + 1] = f1 - c - f0;
          t[o + 2] = c;
        } else {
          const c = 0.5 * (f1 + fm1) - f0;
          const d = (1 / 6) * (f2 - f1 + fm1 - f0 - 4 * c);
          t[o] = f0;
          t[o + 1] = f1 - f0 - d - c;
          t[o + 2] = c;
          t[o + 3] = d;
        }
      }
    }
    polyTables.set(stage, t);
  }
  return t;
}

function runPolyInterpolated(stage: PolyStage, x: Float64Array, nOut: number): Float64Array {
  const { nc, order, phaseBits, stepWhole, at0 } = stage;
  const Q = interpolatedTable(stage);
  const w = order + 1;
  const pre = (nc - 1) >> 1;
  const y = new Float64Array(nOut);
  const lastInt = Math.floor((at0 + (nOut - 1) * stepWhole) / MULT32);
  const xp = padded(x, pre, lastInt + nc + 2);
  // soxr's 32.32 fixed-point clock, kept exact as int32 integer and uint32 fraction parts.
  const stepInt = Math.floor(stepWhole / MULT32) | 0;
  const stepFrac = (stepWhole - stepInt * MULT32) >>> 0;
  let atInt = Math.floor(at0 / MULT32) | 0;
  let atFrac = (at0 - atInt * MULT32) >>> 0;
  const shift = 32 - phaseBits;
  const rowLen = nc * w;
  for (let k = 0; k < nOut; k++) {
    const phase = atFrac >>> shift;
    const fx = ((atFrac << phaseBits) >>> 0) / MULT32;
    const base = phase * rowLen;
    let sum = 0;
    if (order === 1) {
      for (let j = 0, o = base; j < nc; j++, o += 2) sum += (Q[o + 1] * fx + Q[o]) * xp[atInt + j];
    } else if (order === 2) {
      for (let j = 0, o = base; j < nc; j++, o += 3) sum += ((Q[o + 2] * fx + Q[o + 1]) * fx + Q[o]) * xp[atInt + j];
    } else {
      for (let j = 0, o = base; j < nc; j++, o += 4)
        sum += (((Q[o + 3] * fx + Q[o + 2]) * fx + Q[o + 1]) * fx + Q[o]) * xp[atInt + j];
    }
    y[k] = sum;
    const f = atFrac + stepFrac;
    atInt = (atInt + stepInt + (f >= MULT32 ? 1 : 0)) | 0;
    atFrac = f >>> 0;
  }
  return y;
}
