import type { FirStage, HalfStage, PolyStage, SoxrPlan, Stage } from './soxr-design';
import { FORWARD } from './soxr-pffft';
import { inputNeeded } from './soxr-stages';
import { type SoxrStageRun, heapF32, pffftPlan, pffftTransform, runSoxrStagesWasm } from '../dsp/wasm/kernels';

/**
 * libsoxr's `cr32s` engine (what python-soxr runs for float32 data at HQ) re-enacted operation
 * for operation, so that the output equals python-soxr's bit for bit:
 *
 * - 'fir' stages as dft_stage_fn: fixed DFT blocks over the stage's fifo (zero preload of
 *   post_peak / L samples, block k starting k · (dft_length − overlap) / L samples later), the
 *   float32 filter spectrum, libsoxr's pffft (the kernels' WASM build with libsoxr's tables), its
 *   frequency-domain up-sampling (spectrum mirroring) and 2:1 / 4:1 decimation (spectrum
 *   truncation), or its time-domain pick;
 * - 'poly' stages as poly-fir0.h / poly-fir.h with SSE: float32 coefficients padded to a multiple
 *   of 4 taps, four running lane sums combined as (l0 + l2) + (l1 + l3); interpolated phases by
 *   float32 Horner steps on soxr's 32.32 clock;
 * - 'half' stages as half-fir.h with SSE (the same lane scheme over coefficient pairs).
 *
 * The block schedules, filter spectra and coefficient layouts are made here; all stages then run
 * in WASM (kernels.c soxr_*), the signal staying in WASM memory from the first stage to the last.
 * Every stage emits the whole blocks soxr computes: the next stage reads those values (the tail
 * past the signal end included), and in a DFT block rounding couples all its samples.
 * Checked against python-soxr 1.1.0 on x86-64 for 23 rate pairs (integer, 2:1 to 9:1 both ways,
 * irrational) and lengths 1 to 30011: no sample differs; and against its JS re-enactment (the
 * test oracle tests/core/audio/oracles/soxr-exact.ts) on long signals.
 */

const f = Math.fround;

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

/**
 * dft_stage_fn's schedule until `nOut` outputs exist: per block (fifo position of its first input,
 * its offset on the up-sampled grid, outputs before it, result index of its first output, outputs it
 * adds), 5 ints each when `blocks` is given; returns the input samples read.
 */
function dftSchedule(g: DftGeometry, nOut: number, blocks: number[] | null): number {
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
    blocks?.push(pos, at, produced, first, count);
    produced += count;
    if (!g.lPow2 && L !== 1) at = L - 1 - rem;
    pos += quot;
  }
  return Math.max(0, maxRead - g.preload);
}

/** The filter spectrum of a DFT stage: pffft internal order, or ordered for frequency-domain decimation. */
const dftCoefs = new WeakMap<FirStage, Float32Array>();

function dftSpectrum(st: FirStage, g: DftGeometry): Float32Array {
  let c = dftCoefs.get(st);
  if (!c) {
    const { N } = g;
    const T = st.h.length;
    const F = pffftPlan(N, 'soxr');
    const a = heapF32(F.a, N);
    a.fill(0);
    // h · L / N rounded to float32, rotated so the output needs no shift (soxr's `offset`).
    const offset = N - T + 1;
    for (let i = 0; i < T; i++) a[(i + offset) & (N - 1)] = f(st.h[i] / N);
    pffftTransform(F, F.a, F.b, FORWARD, st.fDomainM);
    c = heapF32(F.b, N).slice();
    dftCoefs.set(st, c);
  }
  return c;
}

function dftRun(st: FirStage, nOut: number): SoxrStageRun {
  if (st.L > 1 && isPow2(st.L) && st.fDomainM) throw new Error('soxr exact: frequency-domain up- and down-sampling in one stage');
  const g = dftGeometry(st);
  const blocks: number[] = [];
  dftSchedule(g, nOut, blocks);
  return {
    kind: 'dft',
    coefs: dftSpectrum(st, g),
    N: g.N,
    L: g.L,
    step: g.step,
    lPow2: g.lPow2,
    preload: g.preload,
    small: g.lPow2 ? g.N / g.L : g.step < 0 ? g.N >> -g.step : 0,
    blocks: Int32Array.from(blocks),
  };
}

interface PolyState {
  nc4: number;
  preload: number;
  /** Rational: float32 coefficients per phase, nc4 each, tap order reversed and front-padded with
   *  zeros. Interpolated: per phase, per group of 4 taps, the order + 1 polynomial coefficients of
   *  each of the 4 (lane-minor). */
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

const MULT32 = 4294967296;

/** prepare_poly_fir_coefs: the coefficient polynomials in double, then stored as float32. */
function interpState(st: PolyStage): PolyState {
  let s = polyCache.get(st);
  if (!s) {
    const { nc, phases, order, H } = st;
    const nc4 = (nc + 3) & ~3;
    const w = order + 1;
    const coefs = new Float32Array(phases * nc4 * w);
    const at = (ph: number, p: number, e: number): number => ((ph * (nc4 >> 2) + (p >> 2)) * w + e) * 4 + (p & 3);
    for (let ph = 0; ph < phases; ph++) {
      for (let p = nc4 - nc; p < nc4; p++) {
        const q = (nc4 - 1 - p) * phases + ph;
        const f0 = H[q], f1 = H[q + 1], f2 = H[q + 2], fm1 = q >= 1 ? H[q - 1] : 0;
        coefs[at(ph, p, 0)] = f0;
        if (order === 1) coefs[at(ph, p, 1)] = f1 - f0;
        else if (order === 2) {
          const cc = 0.5 * (f2 + f0) - f1;
          coefs[at(ph, p, 1)] = f1 - cc - f0;
          coefs[at(ph, p, 2)] = cc;
        } else {
          const cc = 0.5 * (f1 + fm1) - f0;
          const d = (1 / 6) * (f2 - f1 + fm1 - f0 - 4 * cc);
          coefs[at(ph, p, 1)] = f1 - f0 - d - cc;
          coefs[at(ph, p, 2)] = cc;
          coefs[at(ph, p, 3)] = d;
        }
      }
    }
    s = { nc4, preload: ((nc - 1) >> 1) + (nc4 - nc), coefs };
    polyCache.set(st, s);
  }
  return s;
}

function polyReads(st: PolyStage, nOut: number): number {
  if (nOut <= 0) return 0;
  if (st.rational) {
    const { nc4, preload } = polyState(st);
    return Math.max(0, Math.floor((st.at0 + (nOut - 1) * st.M) / st.L) + nc4 - preload);
  }
  const { nc4, preload } = interpState(st);
  return Math.max(0, Math.floor((st.at0 + (nOut - 1) * st.stepWhole) / MULT32) + nc4 - preload);
}

function polyRun(st: PolyStage, nOut: number): SoxrStageRun {
  if (st.rational) {
    const { nc4, preload, coefs } = polyState(st);
    const div = Math.floor(st.at0 / st.L);
    const dDiv = Math.floor(st.M / st.L);
    return {
      kind: 'poly',
      coefs,
      nc4,
      L: st.L,
      preload,
      padTo: preload + polyReads(st, nOut) + nc4,
      start: { div, rem: st.at0 - div * st.L },
      step: { div: dDiv, rem: st.M - dDiv * st.L },
    };
  }
  const { nc4, preload, coefs } = interpState(st);
  const stepInt = Math.floor(st.stepWhole / MULT32);
  const atInt = Math.floor(st.at0 / MULT32);
  return {
    kind: 'interp',
    coefs,
    nc4,
    order: st.order,
    phaseBits: st.phaseBits,
    preload,
    padTo: preload + polyReads(st, nOut) + nc4,
    stepInt,
    stepFrac: st.stepWhole - stepInt * MULT32,
    atInt,
    atFrac: st.at0 - atInt * MULT32,
  };
}

function halfRun(st: HalfStage, nOut: number): SoxrStageRun {
  const n = st.coefs.length;
  if ((n & 3) > 1) throw new Error(`soxr exact: no SSE half-band kernel for ${n} coefficients`);
  return { kind: 'half', coefs: Float32Array.from(st.coefs), preload: 2 * n, padTo: 2 * n + 2 * nOut + 2 * n + 8 };
}

function readsFor(stage: Stage, nOut: number): number {
  switch (stage.kind) {
    case 'fir':
      return dftSchedule(dftGeometry(stage), nOut, null);
    case 'poly':
      return polyReads(stage, nOut);
    case 'half':
      return inputNeeded(stage, nOut);
  }
}

function stageRun(stage: Stage, nOut: number): SoxrStageRun {
  switch (stage.kind) {
    case 'fir':
      return dftRun(stage, nOut);
    case 'poly':
      return polyRun(stage, nOut);
    case 'half':
      return halfRun(stage, nOut);
  }
}

const runsCache = new WeakMap<SoxrPlan, Map<number, { stages: SoxrStageRun[]; counts: number[] }>>();

/**
 * A plan's stages prepared for the WASM kernels to make nOut outputs, and each stage's output count
 * (the last 32 lengths per plan kept: a corpus's clips, and so their octaves, often share lengths).
 */
export function planRuns(plan: SoxrPlan, nOut: number): { stages: SoxrStageRun[]; counts: number[] } {
  let byLength = runsCache.get(plan);
  if (!byLength) runsCache.set(plan, (byLength = new Map()));
  let runs = byLength.get(nOut);
  if (!runs) {
    runs = computeRuns(plan, nOut);
    if (byLength.size >= 32) byLength.delete(byLength.keys().next().value as number);
    byLength.set(nOut, runs);
  }
  return runs;
}

function computeRuns(plan: SoxrPlan, nOut: number): { stages: SoxrStageRun[]; counts: number[] } {
  const S = plan.stages.length;
  const counts = new Array<number>(S + 1);
  counts[S] = nOut;
  for (let s = S - 1; s >= 0; s--) counts[s] = readsFor(plan.stages[s], counts[s + 1]);
  return { stages: plan.stages.map((st, s) => stageRun(st, counts[s + 1])), counts: counts.slice(1) };
}

/** Runs a plan as libsoxr's cr32s engine does; `x` must hold float32 values. */
export function runPlanExact(plan: SoxrPlan, x: Float32Array, nOut: number): Float32Array {
  const { stages, counts } = planRuns(plan, nOut);
  return runSoxrStagesWasm(x, stages, counts);
}
