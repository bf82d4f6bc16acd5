import { type Arena, type SoxrStageRun } from '../dsp/wasm/kernels';
import type { SoxrPlan } from './soxr-design';
import { planRuns } from './soxr-exact';

/**
 * The exact soxr engine (soxr-exact.ts) run over a long signal one output chunk at a time, in bounded
 * memory, with the same values bit for bit: each stage keeps the whole signal's block schedule (DFT
 * blocks, poly-phase clocks), and a chunk of its outputs is computed from the window of its input
 * those outputs read, itself computed by the stage before (so chunk edges recompute a little).
 * Outside a stage's input (before its start, past what the stage before produced) the values are the
 * zeros soxr's fifo holds there.
 */

/** Reads input samples [lo, hi) (any range; zeros outside the signal) as float32 into WASM memory at dst. */
export type InputReader = (lo: number, hi: number, dst: number) => void;

/** The fifo positions a DFT block reads, relative to the stage input (x index = fifo - preload). */
function blockReads(st: Extract<SoxrStageRun, { kind: 'dft' }>, q: number): [number, number] {
  const pos = st.blocks[5 * q];
  const at = st.blocks[5 * q + 1];
  const len = st.lPow2 ? st.N / st.L : st.L === 1 ? st.N : Math.ceil((st.N - at) / st.L);
  return [pos - st.preload, pos - st.preload + len];
}

/** First and last+1 DFT block whose outputs meet [a, b). */
function blockRange(st: Extract<SoxrStageRun, { kind: 'dft' }>, a: number, b: number): [number, number] {
  const nb = st.blocks.length / 5;
  let lo = 0;
  let hi = nb;
  // first block with produced + count > a
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (st.blocks[5 * mid + 2] + st.blocks[5 * mid + 4] > a) hi = mid;
    else lo = mid + 1;
  }
  const q0 = lo;
  let q1 = q0;
  while (q1 < nb && st.blocks[5 * q1 + 2] < b) q1++;
  return [q0, q1];
}

const BIG = (v: number): bigint => BigInt(v);

/** The poly-phase clock at output k: (div, rem) rational, (int, frac) interpolated. */
function clockAt(st: SoxrStageRun, k: number): [number, number] {
  if (st.kind === 'poly') {
    // at = div * L + rem, advancing by dDiv * L + dRem per output
    const L = BIG(st.L);
    const at = BIG(st.start.div) * L + BIG(st.start.rem) + BIG(k) * (BIG(st.step.div) * L + BIG(st.step.rem));
    return [Number(at / L), Number(at % L)];
  }
  if (st.kind === 'interp') {
    const M32 = 1n << 32n;
    const at = BIG(st.atInt) * M32 + BIG(st.atFrac) + BIG(k) * (BIG(st.stepInt) * M32 + BIG(st.stepFrac));
    return [Number(at / M32), Number(at % M32)];
  }
  throw new Error('clockAt: not a poly-phase stage');
}

/** The input range (stage-input coordinates, may reach outside the input) that outputs [a, b) read. */
function needed(st: SoxrStageRun, a: number, b: number): [number, number] {
  if (b <= a) return [0, 0];
  switch (st.kind) {
    case 'dft': {
      const [q0, q1] = blockRange(st, a, b);
      let lo = Infinity;
      let hi = -Infinity;
      for (let q = q0; q < q1; q++) {
        const [r0, r1] = blockReads(st, q);
        lo = Math.min(lo, r0);
        hi = Math.max(hi, r1);
      }
      return [lo, hi];
    }
    case 'poly':
    case 'interp': {
      const first = clockAt(st, a)[0];
      const last = clockAt(st, b - 1)[0];
      return [first - st.preload, last + st.nc4 - st.preload];
    }
    case 'half': {
      const n = st.coefs.length;
      return [2 * a - (2 * n + 1), 2 * (b - 1) + 2 * n + 2];
    }
  }
}

/**
 * Computes outputs [a, b) of stage `st` (total outputs nOut) into out (byte offset), from `win`:
 * the stage input's values over [w0, w1) (at byte offset win), which covers needed(st, a, b).
 */
function runStage(A: Arena, st: SoxrStageRun, nOut: number, win: number, w0: number, w1: number, a: number, b: number, out: number): void {
  const X = A.x;
  if (b <= a) return;
  if (st.kind === 'dft') {
    const F = A.pffft(st.N, 'soxr');
    const S = st.small ? A.pffft(st.small, 'soxr') : F;
    const [q0, q1] = blockRange(st, a, b);
    const p0 = st.blocks[5 * q0 + 2];
    const pEnd = st.blocks[5 * (q1 - 1) + 2] + st.blocks[5 * (q1 - 1) + 4];
    const blocks = st.blocks.slice(5 * q0, 5 * q1);
    for (let i = 0; i < blocks.length; i += 5) {
      blocks[i] -= w0; // fifo positions relative to the window (preload unchanged)
      blocks[i + 2] -= p0;
    }
    A.scope(() => {
      const pBlocks = A.putI32(blocks);
      const pC = A.alloc(4 * st.coefs.length);
      A.f32(pC, st.coefs.length).set(st.coefs);
      const tmp = A.alloc(4 * Math.max(1, pEnd - p0));
      X.soxr_dft_stage(F.setup, S.setup, F.a, F.b, F.work, S.a, S.b, S.work, pC, st.N, st.L, st.step, st.lPow2 ? 1 : 0, st.preload, win, w1 - w0, pBlocks, q1 - q0, tmp, Math.min(nOut, pEnd) - p0);
      new Uint8Array(X.memory.buffer).copyWithin(out, tmp + 4 * (a - p0), tmp + 4 * (b - p0));
    });
    return;
  }
  const pC = A.alloc(4 * st.coefs.length);
  A.f32(pC, st.coefs.length).set(st.coefs);
  if (st.kind === 'half') {
    X.soxr_half_fir(win + 4 * (2 * a - w0), pC, st.coefs.length, out, b - a);
    return;
  }
  const [c0, c1] = clockAt(st, a);
  // the kernel reads xp[div + j], xp = fifo = x shifted by preload: x index div - preload, in the window
  const base = st.preload + w0;
  if (st.kind === 'poly') X.soxr_poly_fir(win, pC, st.nc4, st.L, c0 - base, c1, st.step.div, st.step.rem, out, b - a);
  else X.soxr_interp_fir(win, pC, st.nc4, st.order, st.phaseBits, st.stepInt, st.stepFrac, c0 - base, c1, out, b - a);
}

/**
 * Resamples nIn input samples (read through `read`) to nOut outputs at byte offset `out` (soxr's own
 * length; the caller fixes the length), `chunk` outputs at a time. All memory but `out` is scratch.
 */
export function runPlanChunked(A: Arena, plan: SoxrPlan, nIn: number, nOut: number, read: InputReader, out: number, chunk = 1 << 20): void {
  const { stages, counts } = planRuns(plan, nOut);
  const S = stages.length;
  const inLen = (s: number): number => (s === 0 ? nIn : counts[s - 1]);
  for (let o0 = 0; o0 < nOut; o0 += chunk) {
    const o1 = Math.min(nOut, o0 + chunk);
    // backwards: the output range each stage must produce
    const ranges: [number, number][] = new Array(S + 1);
    ranges[S] = [o0, o1];
    for (let s = S - 1; s >= 0; s--) ranges[s] = needed(stages[s], ranges[s + 1][0], ranges[s + 1][1]);
    A.scope(() => {
      // stage 0's input window from the reader (zeros outside the signal)
      let [w0, w1] = ranges[0];
      let win = A.alloc(4 * Math.max(1, w1 - w0) + 16);
      read(w0, w1, win);
      for (let s = 0; s < S; s++) {
        const [a, b] = s + 1 < S ? ranges[s + 1] : [o0, o1];
        const dst = s + 1 < S ? A.alloc(4 * Math.max(1, b - a) + 16) : out + 4 * o0;
        // the valid outputs of this stage; the rest of the window is the next fifo's zeros
        const va = Math.max(a, 0);
        const vb = Math.min(b, counts[s]);
        if (s + 1 < S) A.f32(dst, b - a).fill(0);
        runStage(A, stages[s], counts[s], win, w0, w1, va, vb, dst + 4 * (va - a));
        win = dst;
        [w0, w1] = [a, b];
      }
    });
  }
  void inLen;
}
