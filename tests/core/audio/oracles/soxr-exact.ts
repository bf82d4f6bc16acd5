import type { FirStage, HalfStage, PolyStage, SoxrPlan, Stage } from '../../../../src/core/audio/soxr-design';
import { BACKWARD, FORWARD } from '../../../../src/core/audio/soxr-pffft';
import { inputNeeded } from '../../../../src/core/audio/soxr-stages';
import { type PffftPlan, heapF32, pffftPlan, pffftReorder, pffftTransform } from '../../../../src/core/dsp/wasm/kernels';

/**
 * Parity oracle of the WASM soxr stages (audio/soxr-exact.ts runPlanExact, same arguments): libsoxr's
 * `cr32s` engine re-enacted operation for operation in JS, on the same pffft (kernels.wasm with
 * libsoxr's glibc twiddles): the DFT stage's fifo, up-sampling, decimation and pick, the rational
 * and interpolated poly-phase stages and the half-band stage as soxr's SSE builds run them.
 */

const f = Math.fround;

/** A real pffft of size n with libsoxr's tables (kernels.wasm), its buffers as views (oracle use). */
class SoxrFft {
  constructor(readonly n: number) {}
  private plan(): PffftPlan {
    return pffftPlan(this.n, 'soxr');
  }
  a(): Float32Array {
    return heapF32(this.plan().a, this.n);
  }
  b(): Float32Array {
    return heapF32(this.plan().b, this.n);
  }
  transformAtoB(direction: number, ordered: boolean): void {
    const p = this.plan();
    pffftTransform(p, p.a, p.b, direction, ordered);
  }
  transformBtoA(direction: number, ordered: boolean): void {
    const p = this.plan();
    pffftTransform(p, p.b, p.a, direction, ordered);
  }
  reorderBtoA(direction: number): void {
    const p = this.plan();
    pffftReorder(p, p.b, p.a, direction);
  }
}

const fftCache = new Map<number, SoxrFft>();
function soxrFft(n: number): SoxrFft {
  let s = fftCache.get(n);
  if (!s) fftCache.set(n, (s = new SoxrFft(n)));
  return s;
}

/**
 * pffft_zconvolve (SSE) of two spectra in pffft's internal order, into `a`: blocks of 4 real
 * then 4 imaginary parts; DC and Nyquist (both real) share lane 0 of the first block.
 */
function zconvolve(a: Float32Array, b: Float32Array, n: number): void {
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
 * 0 .. n/2 - 1), with slot 1 taking the real part of bin n/2.
 */
function partialConvolve(a: Float32Array, b: Float32Array, n: number): void {
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

const isPow2 = (v: number): boolean => v >= 2 && (v & (v - 1)) === 0;

/** set_dft_length(num_taps, log2_min_dft_size = 10, log2_large_dft_size = 17). */
function dftLength(numTaps: number): number {
  const d = Math.log(numTaps) / Math.log(2);
  const hi = Math.max(Math.trunc(d + 1.77), 17);
  return 1 << Math.min(Math.max(Math.trunc(d + 2.77), 10), hi);
}

interface DftGeometry {
  N: number;
  overlap: number;
  L: number;
  /** > 0: time-domain pick every `step`; < 0: frequency-domain decimation by 2^-step. */
  step: number;
  preload: number;
  at0: number;
  lPow2: boolean;
}

function dftGeometry(st: FirStage): DftGeometry {
  const T = st.h.length;
  const postPeak = T >> 1;
  return {
    N: dftLength(T),
    overlap: T - 1,
    L: st.L,
    step: st.fDomainM ? -(st.M >> 1) : st.M,
    preload: Math.floor(postPeak / st.L),
    at0: postPeak % st.L,
    lPow2: isPow2(st.L),
  };
}

/** One DFT block: where it reads the fifo and which of its results become outputs. */
interface DftBlock {
  /** Fifo position of its first input sample. */
  pos: number;
  /** Offset of that sample on the up-sampled grid (time-domain L > 1 only). */
  at: number;
  /** Outputs before this block. */
  produced: number;
  /** Block result index of its first output (time-domain pick). */
  first: number;
  /** Outputs it adds. */
  count: number;
}

/** dft_stage_fn's schedule, block by block until `nOut` outputs exist; returns the input samples read. */
function dftSchedule(g: DftGeometry, nOut: number, run: ((b: DftBlock) => void) | null): number {
  const { N, overlap, L, step } = g;
  const valid = N - overlap;
  let at = g.at0;
  let pos = 0;
  let produced = 0;
  let remM = 0;
  let maxRead = 0;
  while (produced < nOut) {
    const num = N - overlap - at + L - 1;
    const quot = Math.floor(num / L);
    const rem = num - quot * L;
    maxRead = Math.max(maxRead, pos + (g.lPow2 ? N / L : L === 1 ? N : Math.ceil((N - at) / L)));
    const first = remM;
    let count: number;
    if (step === 1) count = valid;
    else if (step > 0) {
      count = Math.ceil((valid - remM) / step);
      remM += count * step - valid;
    } else {
      const m = -step;
      count = N - ((((1 << m) - 1) * N + overlap) >> m); // soxr reserves N outputs and trims the rest
    }
    run?.({ pos, at, produced, first, count });
    produced += count;
    if (!g.lPow2 && L !== 1) at = L - 1 - rem;
    pos += quot;
  }
  return Math.max(0, maxRead - g.preload);
}

interface DftState {
  g: DftGeometry;
  /** The filter spectrum: pffft internal order, or ordered for frequency-domain decimation. */
  coefs: Float32Array;
}

const dftCache = new WeakMap<FirStage, DftState>();

function dftState(st: FirStage): DftState {
  let s = dftCache.get(st);
  if (!s) {
    const g = dftGeometry(st);
    const { N } = g;
    const T = st.h.length;
    const F = soxrFft(N);
    const a = F.a();
    a.fill(0);
    // h · L / N rounded to float32, rotated so the output needs no shift (soxr's `offset`).
    const offset = N - T + 1;
    for (let i = 0; i < T; i++) a[(i + offset) & (N - 1)] = f(st.h[i] / N);
    F.transformAtoB(FORWARD, st.fDomainM);
    s = { g, coefs: Float32Array.from(F.b()) };
    // Allocate every transform a block uses now: an allocation may grow (and detach) WASM memory.
    if (g.lPow2) soxrFft(N / g.L);
    if (g.step < 0) soxrFft(N >> -g.step);
    dftCache.set(st, s);
  }
  return s;
}

function runDftExact(st: FirStage, x: Float32Array, nOut: number): Float32Array {
  const { g, coefs } = dftState(st);
  const { N, overlap, L, step, preload } = g;
  const out = new Float32Array(nOut);
  const xl = x.length;
  // The stage fifo: `preload` zeros, then x, then zeros.
  const fill = (dst: Float32Array, pos: number, count: number, at: number, stride: number): void => {
    for (let j = 0, i = at; j < count && i < dst.length; j++, i += stride) {
      const k = pos + j - preload;
      dst[i] = k >= 0 && k < xl ? x[k] : 0;
    }
  };
  const emit = (res: Float32Array, b: DftBlock, stride: number): void => {
    const n = Math.min(b.count, nOut - b.produced);
    for (let k = 0, i = b.first; k < n; k++, i += stride) out[b.produced + k] = res[i];
  };
  dftSchedule(g, nOut, (b) => {
    if (g.lPow2) {
      // Up-sampling by L in the frequency domain: the spectrum of N/L samples, repeated.
      const portion = N / L;
      const P = soxrFft(portion);
      fill(P.a(), b.pos, portion, 0, 1);
      P.transformAtoB(FORWARD, true);
      const F = soxrFft(N);
      const d = F.b();
      d.set(P.b());
      let i = portion + 2;
      for (; i < portion << 1; i += 2) {
        d[i] = d[(portion << 1) - i];
        d[i + 1] = -d[(portion << 1) - i + 1];
      }
      d[portion] = d[1];
      d[portion + 1] = 0;
      d[1] = d[0];
      for (let p = portion << 1; i < N; i += p, p <<= 1) {
        d.copyWithin(i, 0, p);
        d[i + 1] = 0; // the copied Nyquist slot is this bin's imaginary part
      }
      if (step <= 0) throw new Error('soxr exact: frequency-domain up- and down-sampling in one stage');
      F.reorderBtoA(BACKWARD);
      zconvolve(F.a(), coefs, N);
      F.transformAtoB(BACKWARD, false);
      emit(F.b(), b, step);
      return;
    }
    const F = soxrFft(N);
    const a = F.a();
    if (L === 1) fill(a, b.pos, N, 0, 1);
    else {
      a.fill(0);
      fill(a, b.pos, N, b.at, L);
    }
    if (step > 0) {
      F.transformAtoB(FORWARD, false);
      zconvolve(F.b(), coefs, N);
      F.transformBtoA(BACKWARD, false);
      emit(F.a(), b, step);
      return;
    }
    // Decimation by 2^m in the frequency domain: the lowest N >> m of the ordered spectrum.
    const n = N >> -step;
    F.transformAtoB(FORWARD, true);
    const spec = F.b();
    partialConvolve(spec, coefs, n);
    const S = soxrFft(n);
    S.a().set(spec.subarray(0, n));
    S.transformAtoB(BACKWARD, true);
    emit(S.b(), b, 1);
  });
  return out;
}

interface PolyState {
  nc4: number;
  preload: number;
  /** Float32 coefficients per phase, nc4 each, tap order reversed and front-padded with zeros. */
  coefs: Float32Array;
}

const polyCache = new WeakMap<PolyStage, PolyState>();

function polyState(st: PolyStage): PolyState {
  let s = polyCache.get(st);
  if (!s) {
    const { nc, L, H } = st;
    const nc4 = (nc + 3) & ~3;
    const coefs = new Float32Array(L * nc4);
    for (let ph = 0; ph < L; ph++) {
      for (let p = 0; p < nc4; p++) {
        const tap = nc4 - 1 - p;
        coefs[ph * nc4 + p] = tap < nc ? f(H[tap * L + ph]) : 0;
      }
    }
    s = { nc4, preload: ((nc - 1) >> 1) + (nc4 - nc), coefs };
    polyCache.set(st, s);
  }
  return s;
}

function polyReads(st: PolyStage, nOut: number): number {
  if (nOut <= 0) return 0;
  const { nc4, preload } = polyState(st);
  const div = Math.floor((st.at0 + (nOut - 1) * st.M) / st.L);
  return Math.max(0, div + nc4 - preload);
}

function runPolyExact(st: PolyStage, x: Float32Array, nOut: number): Float32Array {
  const { nc4, preload, coefs } = polyState(st);
  const { L, M } = st;
  // The fifo, materialised: preload zeros, x, and zeros up to the last tap read.
  const need = polyReads(st, nOut);
  const xp = new Float32Array(preload + Math.max(need, x.length) + nc4);
  xp.set(x, preload);
  const div = Math.floor(st.at0 / L);
  const dDiv = Math.floor(M / L);
  let rem = st.at0 - div * L;
  let d = div;
  const dRem = M - dDiv * L;
  const out = new Float32Array(nOut);
  const lanes = new Float64Array(4);
  for (let k = 0; k < nOut; k++) {
    lanes.fill(0);
    const o = rem * nc4;
    for (let p = 0; p < nc4; p++) lanes[p & 3] = f(f(xp[d + p] * coefs[o + p]) + lanes[p & 3]);
    out[k] = f(f(lanes[0] + lanes[2]) + f(lanes[1] + lanes[3]));
    d += dDiv;
    rem += dRem;
    if (rem >= L) {
      rem -= L;
      d++;
    }
  }
  return out;
}

const MULT32 = 4294967296;

/**
 * half-fir.h with SSE (h8 / h9): output i centred on input 2i; lanes take coefficient pairs
 * 0-3 and 4-7 with the centre tap (times 0.5) seeding lane 0, a ninth pair added to lane 0 alone.
 */
function runHalfExact(st: HalfStage, x: Float32Array, nOut: number): Float32Array {
  const c = Float32Array.from(st.coefs);
  const n = c.length;
  if ((n & 3) > 1) throw new Error(`soxr exact: no SSE half-band kernel for ${n} coefficients`);
  const pre = 2 * n;
  const xp = new Float32Array(pre + Math.max(2 * nOut + 2 * n, x.length) + 8);
  xp.set(x, pre);
  const out = new Float32Array(nOut);
  const half = f(0.5);
  const lanes = new Float64Array(4);
  for (let i = 0, b = pre; i < nOut; i++, b += 2) {
    for (let l = 0; l < 4; l++) lanes[l] = f((l === 0 ? half : 0) * xp[b + l]);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      for (let l = 0; l < 4; l++) {
        const k = 2 * (j + l) + 1;
        lanes[l] = f(lanes[l] + f(f(xp[b + k] + xp[b - k]) * c[j + l]));
      }
    }
    if (j < n) lanes[0] = f(lanes[0] + f(f(xp[b + 2 * j + 1] + xp[b - 2 * j - 1]) * c[j]));
    out[i] = f(f(lanes[0] + lanes[2]) + f(lanes[1] + lanes[3]));
  }
  return out;
}

interface InterpState {
  nc4: number;
  preload: number;
  /** Per phase, per tap position (nc4, zero-padded in front), the order + 1 float32 polynomial coefficients. */
  coefs: Float32Array;
}

const interpCache = new WeakMap<PolyStage, InterpState>();

/** prepare_poly_fir_coefs: the coefficient polynomials in double, then stored as float32. */
function interpState(st: PolyStage): InterpState {
  let s = interpCache.get(st);
  if (!s) {
    const { nc, phases, order, H } = st;
    const nc4 = (nc + 3) & ~3;
    const w = order + 1;
    const coefs = new Float32Array(phases * nc4 * w);
    for (let ph = 0; ph < phases; ph++) {
      for (let p = nc4 - nc; p < nc4; p++) {
        const q = (nc4 - 1 - p) * phases + ph;
        const f0 = H[q], f1 = H[q + 1], f2 = H[q + 2], fm1 = q >= 1 ? H[q - 1] : 0;
        const o = (ph * nc4 + p) * w;
        coefs[o] = f0;
        if (order === 1) coefs[o + 1] = f1 - f0;
        else if (order === 2) {
          const cc = 0.5 * (f2 + f0) - f1;
          coefs[o + 1] = f1 - cc - f0;
          coefs[o + 2] = cc;
        } else {
          const cc = 0.5 * (f1 + fm1) - f0;
          const d = (1 / 6) * (f2 - f1 + fm1 - f0 - 4 * cc);
          coefs[o + 1] = f1 - f0 - d - cc;
          coefs[o + 2] = cc;
          coefs[o + 3] = d;
        }
      }
    }
    s = { nc4, preload: ((nc - 1) >> 1) + (nc4 - nc), coefs };
    interpCache.set(st, s);
  }
  return s;
}

function interpReads(st: PolyStage, nOut: number): number {
  if (nOut <= 0) return 0;
  const { nc4, preload } = interpState(st);
  const last = Math.floor((st.at0 + (nOut - 1) * st.stepWhole) / MULT32);
  return Math.max(0, last + nc4 - preload);
}

/**
 * poly-fir.h with SSE, soxr's 32.32 clock (python-soxr asks for no high-precision clock): the
 * phase from the fraction's top bits, the rest as a float32 x, each tap's coefficient evaluated by
 * Horner in float32, four lane sums.
 */
function runInterpExact(st: PolyStage, x: Float32Array, nOut: number): Float32Array {
  const { nc4, preload, coefs } = interpState(st);
  const { order, phaseBits, stepWhole, at0 } = st;
  const w = order + 1;
  const need = interpReads(st, nOut);
  const xp = new Float32Array(preload + Math.max(need, x.length) + nc4);
  xp.set(x, preload);
  const out = new Float32Array(nOut);
  const stepInt = Math.floor(stepWhole / MULT32);
  const stepFrac = stepWhole - stepInt * MULT32;
  let atInt = Math.floor(at0 / MULT32);
  let atFrac = at0 - atInt * MULT32;
  const shift = 32 - phaseBits;
  const lanes = new Float64Array(4);
  for (let k = 0; k < nOut; k++) {
    const phase = atFrac >>> shift;
    const X = f(((atFrac << phaseBits) >>> 0) / MULT32);
    const base = phase * nc4 * w;
    lanes.fill(0);
    for (let p = 0; p < nc4; p++) {
      const o = base + p * w;
      let cf = coefs[o + order];
      for (let e = order - 1; e >= 0; e--) cf = f(f(cf * X) + coefs[o + e]);
      const l = p & 3;
      lanes[l] = f(f(cf * xp[atInt + p]) + lanes[l]);
    }
    out[k] = f(f(lanes[0] + lanes[2]) + f(lanes[1] + lanes[3]));
    atFrac += stepFrac;
    atInt += stepInt;
    if (atFrac >= MULT32) {
      atFrac -= MULT32;
      atInt++;
    }
  }
  return out;
}

function readsFor(stage: Stage, nOut: number): number {
  switch (stage.kind) {
    case 'fir':
      return dftSchedule(dftGeometry(stage), nOut, null);
    case 'poly':
      return stage.rational ? polyReads(stage, nOut) : interpReads(stage, nOut);
    case 'half':
      return inputNeeded(stage, nOut);
  }
}

function runExactStage(stage: Stage, x: Float32Array, nOut: number): Float32Array {
  switch (stage.kind) {
    case 'fir':
      return runDftExact(stage, x, nOut);
    case 'poly':
      return stage.rational ? runPolyExact(stage, x, nOut) : runInterpExact(stage, x, nOut);
    case 'half':
      return runHalfExact(stage, x, nOut);
  }
}

/** Runs a plan as libsoxr's cr32s engine does, in JS; `x` must hold float32 values. */
export function runPlanExactJs(plan: SoxrPlan, x: Float32Array, nOut: number): Float32Array {
  const S = plan.stages.length;
  const counts = new Array<number>(S + 1);
  counts[S] = nOut;
  for (let s = S - 1; s >= 0; s--) counts[s] = readsFor(plan.stages[s], counts[s + 1]);
  let cur = x;
  for (let s = 0; s < S; s++) cur = runExactStage(plan.stages[s], cur, counts[s + 1]);
  return cur;
}
