/**
 * The filter design and stage plan of libsoxr 0.1.3 at quality "HQ" (what python-soxr's
 * `quality='soxr_hq'` and so librosa's default resampler use), re-derived from its sources so
 * that our resampler runs the very same filters: Kaiser-windowed sincs whose length, beta and
 * band edges follow soxr's formulas, in the same cascade of stages (half-band 2:1 stages,
 * a long FFT-friendly FIR stage, a polyphase "arbitrary ratio" stage, an optional post stage).
 */

const LN2_DB = 20 * Math.log10(2); // linear_to_dB(2)
const MULT32 = 4294967296;

/** soxr_quality_spec(SOXR_HQ): 20-bit precision. */
const HQ_BITS = 20;

function sinePhi(x: number): number {
  return ((2.0517e-7 * x - 1.1303e-4) * x + 0.023154) * x + 0.55924;
}
function sinePow(x: number): number {
  return Math.log(0.5) / Math.log(Math.sin(x * 0.5));
}

/** lsx_inv_f_resp: where a filter with stop-band attenuation `a` dB has dropped by `drop` dB. */
function invFResp(drop: number, a: number): number {
  let x = sinePhi(a);
  const lin = Math.exp(drop * (Math.LN10 * 0.05));
  const s = lin > 0.5 ? 1 - lin : lin;
  x = Math.asin(Math.pow(s, 1 / sinePow(x))) / x;
  return lin > 0.5 ? x : 1 - x;
}

const KAISER_COEFS = [
  [-6.784957e-10, 1.02856e-5, 0.1087556, -0.8988365 + 0.001],
  [-6.897885e-10, 1.027433e-5, 0.10876, -0.8994658 + 0.002],
  [-1.000683e-9, 1.030092e-5, 0.1087677, -0.9007898 + 0.003],
  [-3.654474e-10, 1.040631e-5, 0.1087085, -0.8977766 + 0.006],
  [8.106988e-9, 6.983091e-6, 0.1091387, -0.9172048 + 0.015],
  [9.519571e-9, 7.272678e-6, 0.1090068, -0.9140768 + 0.025],
  [-5.626821e-9, 1.342186e-5, 0.1083999, -0.9065452 + 0.05],
  [-9.965946e-8, 5.073548e-5, 0.1040967, -0.7672778 + 0.085],
  [1.604808e-7, -5.856462e-5, 0.1185998, -1.34824 + 0.1],
  [-1.511964e-7, 6.363034e-5, 0.1064627, -0.9876665 + 0.18],
];

function kaiserBeta(att: number, trBw: number): number {
  if (att >= 60) {
    const realm = Math.log(trBw / 0.0005) / Math.log(2);
    const last = KAISER_COEFS.length - 1;
    const ir = Math.trunc(realm);
    const c0 = KAISER_COEFS[Math.min(Math.max(ir, 0), last)];
    const c1 = KAISER_COEFS[Math.min(Math.max(ir + 1, 0), last)];
    const b0 = ((c0[0] * att + c0[1]) * att + c0[2]) * att + c0[3];
    const b1 = ((c1[0] * att + c1[1]) * att + c1[2]) * att + c1[3];
    return b0 + (b1 - b0) * (realm - ir);
  }
  if (att > 50) return 0.1102 * (att - 8.7);
  if (att > 20.96) return 0.58417 * Math.pow(att - 20.96, 0.4) + 0.07886 * (att - 20.96);
  return 0;
}

/** Modified Bessel function I0: lsx_bessel_I_0's power series, summed in the same order. */
function besselI0(x: number): number {
  const x2 = x / 2;
  let term = 1;
  let sum = 1;
  let last: number;
  let i = 1;
  do {
    const y = x2 / i++;
    last = sum;
    sum += term *= y * y;
  } while (sum !== last);
  return sum;
}

function makeLpf(numTaps: number, fc: number, beta: number, rho: number, scale: number): Float64Array {
  const m = numTaps - 1;
  const h = new Float64Array(numTaps);
  const mult = scale / besselI0(beta);
  const mult1 = 1 / (0.5 * m + rho);
  for (let i = 0; i <= m / 2; i++) {
    const z = i - 0.5 * m;
    const x = z * Math.PI;
    const y = z * mult1;
    let v = x !== 0 ? Math.sin(fc * x) / x : fc;
    v *= besselI0(beta * Math.sqrt(1 - y * y)) * mult;
    h[i] = v;
    h[m - i] = v;
  }
  return h;
}

/**
 * lsx_design_lpf. `k` > 0: number of phases (polyphase prototype, gain k); k < 0: the tap count
 * is made ≡ 1 (mod -k). `numTaps` 0 lets the design choose. With `dummy` only the count is returned.
 */
function designLpf(
  fp: number, fs: number, fn: number, att: number, numTaps: number, k: number, beta: number,
): { h: Float64Array; numTaps: number } {
  const phases = Math.max(k, 1);
  const modulo = Math.max(-k, 1);
  const rho = phases === 1 ? 0.5 : att < 120 ? 0.63 : 0.75;
  fp /= Math.abs(fn);
  fs /= Math.abs(fn);
  let trBw = 0.5 * (fs - fp);
  trBw /= phases;
  fs /= phases;
  trBw = Math.min(trBw, 0.5 * fs);
  const fc = fs - trBw;
  if (beta < 0) beta = kaiserBeta(att, (trBw * 0.5) / fc);
  const attW = att < 60 ? (att - 7.95) / (2.285 * Math.PI * 2) : ((0.0007528358 - 1.577737e-5 * beta) * beta + 0.6248022) * beta + 0.06186902;
  let n = numTaps;
  if (!n) {
    n = Math.ceil(attW / trBw + 1);
    n = phases > 1 ? Math.trunc(n / phases) * phases + phases - 1 : Math.trunc((n + modulo - 2) / modulo) * modulo + 1;
  }
  if (fn < 0) return { h: new Float64Array(0), numTaps: n };
  return { h: makeLpf(n, fc, beta, rho, phases), numTaps: n };
}

/** A zero-phase rational stage y[k] = Σ_t h(kM − tL + c) x[t] (c = centre tap), done by FFT. */
export interface FirStage {
  kind: 'fir';
  L: number;
  M: number;
  /** Odd-length symmetric filter including the gain L. */
  h: Float64Array;
  /**
   * soxr decimates this stage in the frequency domain (M = 2 or 4 and stop-band edge <= 1): the
   * filtered spectrum is cut to its lowest 1/M and inverse-transformed at 1/M of the DFT length.
   */
  fDomainM: boolean;
}

/** soxr's 2:1 half-band stage (fixed coefficients). */
export interface HalfStage {
  kind: 'half';
  coefs: Float64Array;
}

/** soxr's polyphase stage: rational (L phases, step M) or interpolated (2^phaseBits phases). */
export interface PolyStage {
  kind: 'poly';
  rational: boolean;
  /** Taps per phase. */
  nc: number;
  phases: number;
  /** Coefficient interpolation order for the irrational case (0 when rational). */
  order: number;
  phaseBits: number;
  L: number;
  /** Rational: integer step; otherwise the 32.32 fixed-point step as in soxr. */
  M: number;
  stepWhole: number;
  /** Start position (32.32 for irrational; integer for rational). */
  at0: number;
  /** Prototype H[q] (q = tap * phases + phase), with H[0] = 0 and zeros past the end. */
  H: Float64Array;
}

export type Stage = FirStage | HalfStage | PolyStage;

// libsoxr 0.1.3's half-band filters (half-coefs.h), the two the single-precision SIMD core offers.
const HALF_FIRS: { att: number; coefs: number[] }[] = [
  {
    att: 136.51,
    coefs: [
      3.1154652365332069e-1, -8.7344917685739543e-2, 3.681445835363728e-2, -1.5189204581464479e-2,
      5.4540855610738801e-3, -1.5643862626630416e-3, 3.1816575906323303e-4, -3.4799449225005688e-5,
    ],
  },
  {
    att: 152.32,
    coefs: [
      3.1227034755311189e-1, -8.9221517147969526e-2, 3.9139704015071934e-2, -1.7250558515852023e-2,
      6.8589440230476112e-3, -2.3045049636430419e-3, 6.0963740543348963e-4, -1.1323803957431231e-4,
      1.1197769991000046e-5,
    ],
  },
];

// poly_firs[] of the SIMD cores: per entry the (scalar, interpolation order) of each option.
const POLY_FIRS: [number, number][][] = [
  [[0, 0], [7.2, 1], [5.0, 2]],
  [[0, 0], [9.4, 1], [6.7, 2]],
  [[0, 0], [12.4, 1], [7.8, 2]],
  [[0, 0], [13.6, 1], [9.3, 2]],
  [[0, 0], [10.5, 2], [8.4, 3]],
  [[0, 0], [11.85, 2], [9.0, 3]],
  [[0, 0], [8.0, 1], [5.3, 2]],
  [[0, 0], [8.6, 1], [5.7, 2]],
  [[0, 0], [10.6, 1], [6.75, 2]],
  [[0, 0], [12.6, 1], [8.6, 2]],
  [[0, 0], [9.6, 2], [7.6, 3]],
  [[0, 0], [11.4, 2], [8.65, 3]],
  [[10.62, 0]],
  [[0, 0], [8, 1], [6, 2]],
  [[0, 0], [9, 1], [6, 2]],
  [[0, 0], [11, 1], [7, 2]],
  [[0, 0], [13, 1], [8, 2]],
  [[0, 0], [10, 2], [8, 3]],
  [[0, 0], [12, 2], [9, 3]],
];

const f32 = Math.fround;
const COEF_SIZE_KBYTES = 400;

function firStage(fp: number, fs: number, fn: number, att: number, L: number, M: number): FirStage {
  // Linear phase (phase_response 50): an odd tap count, ≡ 1 mod 2L when L is a power of two equal to Fn.
  const k = (L & (L - 1)) === 0 && L > 1 && fn === L ? L << 1 : 4;
  const { h } = designLpf(fp, fs, fn, att, 0, -k, -1);
  if (L !== 1) for (let i = 0; i < h.length; i++) h[i] *= L;
  return { kind: 'fir', L, M, h, fDomainM: Math.abs(3 - M) === 1 && fs <= 1 };
}

export interface SoxrPlan {
  ioRatio: number;
  stages: Stage[];
}

/** _soxr_init for an input/output rate ratio at HQ quality with default flags. */
export function planSoxrHq(ioRatio: number): SoxrPlan {
  if (!(ioRatio > 0) || !Number.isFinite(ioRatio)) throw new Error(`resample: invalid rate ratio ${ioRatio}`);
  const bits = HQ_BITS;
  const fp0 = 1 - 0.05 / (1 - invFResp(-3, bits * LN2_DB));
  const fs0 = 1;
  let att = (bits + 1) * LN2_DB;
  let attArb = att;
  const mode = Math.trunc((Math.ceil(bits) - 6) / 4);
  const iOpt = 1;
  let arbM = ioRatio;
  let preL = 1, preM = 1, shr = 0, arbL = 1, postL = 1, postM = 1;
  let upsample = false;
  let rational = false;
  let n = 0;
  while (!n++) {
    const maxL = 2048;
    let epsilon = 0;
    upsample = arbM < 1;
    shr = 0;
    for (let i = Math.trunc(0.5 * arbM); (i >>= 1); arbM *= 0.5, ++shr);
    preM = upsample || (arbM > 1.5 && arbM < 2) ? 1 : 0;
    postM = 1 + (arbM > 1 && preM ? 1 : 0);
    arbM /= postM;
    preL = 1 + (!preM && arbM < 2 ? 1 : 0) + (upsample && mode ? 1 : 0);
    arbM *= preL;
    const frac = arbM - Math.trunc(arbM);
    if (frac !== 0) epsilon = Math.abs(Math.floor(frac * MULT32 + 0.5) / (frac * MULT32) - 1);
    rational = frac === 0;
    for (let i = 1; i <= maxL && !rational; ++i) {
      const d = frac * i;
      const tr = Math.trunc(d + 0.5);
      rational = Math.abs(tr / d - 1) <= epsilon;
      if (rational) {
        if (tr === i) {
          arbM = Math.ceil(arbM);
          const x = arbM > 3 ? 1 : 0;
          shr += x;
          arbM /= 1 + x;
        } else {
          arbM = i * Math.trunc(arbM) + tr;
          arbL = i;
        }
      }
    }
    let L = preL * arbL;
    let M = Math.trunc(arbM * postM);
    const odd = (L | M) & 1;
    if (!odd) {
      L >>= 1;
      M >>= 1;
    }
    const d = (preL * arbL) / arbM;
    if (iOpt && postL === 1 && d > 4 && d !== 5) {
      postL = 4;
      for (let i = Math.trunc(d / 16); (i >>= 1) && postL < 256; postL <<= 1);
      arbM = (arbM * postL) / arbL / preL;
      arbL = 1;
      n = 0;
    } else if (rational && (Math.max(L, M) < 3 + 2 * iOpt || L * M < 6 * iOpt)) {
      preL = L;
      preM = M;
      arbM = arbL = postM = 1;
    }
  }
  const havePre = preM * preL !== 1;
  const haveArb = arbM * arbL !== 1;
  const havePost = postM * postL !== 1;
  const numStages = shr + (havePre ? 1 : 0) + (haveArb ? 1 : 0) + (havePost ? 1 : 0);
  const alpha = postM / (ioRatio * postL);
  let budget = numStages;
  if (budget > 1) {
    if (haveArb) {
      att += LN2_DB;
      attArb = att;
      --budget;
    }
    att += 20 * Math.log10(budget);
  }

  const stages: Stage[] = [];
  const half = HALF_FIRS.find((f) => att <= Math.fround(f.att)) ?? HALF_FIRS[HALF_FIRS.length - 1];
  for (let i = 0; i < shr; i++) stages.push({ kind: 'half', coefs: Float64Array.from(half.coefs) });

  let fp1 = fp0;
  let fs1 = fs0;
  if (havePre) {
    const fn1 = preM ? Math.max(preL, preM) : arbM / arbL;
    stages.push(firStage(fp1, fs1, fn1, att, preL, Math.max(preM, 1)));
    fp1 /= fn1;
    fs1 /= fn1;
  }
  if (haveArb) stages.push(polyStage({ upsample, preM, mode, arbL, arbM, rational, attArb, fp1, fs1 }));
  if (havePost) {
    stages.push(
      firStage(fp0 / (upsample ? alpha : 1), upsample ? Math.max(2 - fs0 / alpha, 1) : fs0, Math.max(postL, postM), att, postL, postM),
    );
  }
  return { ioRatio, stages };
}

function polyStage(p: {
  upsample: boolean; preM: number; mode: number; arbL: number; arbM: number; rational: boolean;
  attArb: number; fp1: number; fs1: number;
}): PolyStage {
  let { arbL, arbM, rational } = p;
  const { upsample, preM, mode, attArb, fp1, fs1 } = p;
  const interp = POLY_FIRS[6 * ((upsample ? 1 : 0) + (preM ? 1 : 0)) + mode - (upsample ? 0 : 1)];
  let fp = fp1;
  let fs: number;
  let fn: number;
  const mult = upsample ? 1 : arbM / arbL;
  if (!upsample && preM) {
    fn = 2 * mult;
    fs = 3 + Math.abs(fs1 - 1);
  } else {
    fn = 1;
    fs = 2 - (mode ? fp1 + (fs1 - fp1) * 0.7 : fs1);
  }
  if (mode) fp = fs - (fs - fp) / (1 - invFResp(f32(-0.01), attArb));

  let i = (rational ? 0 : 1) - 1;
  let numCoefs = interp[0][0];
  let phaseBits = 0;
  let phases = 0;
  let order = 0;
  let phase0 = 0;
  for (;;) {
    const [scalar] = interp[++i];
    if (i) {
      arbM /= arbL;
      arbL = 1;
      rational = false;
    }
    phaseBits = Math.ceil(f32(scalar) - Math.log(mult) / Math.log(2));
    phases = rational ? arbL : 1 << phaseBits;
    if (interp[0][0] === 0) {
      const phases0 = Math.max(phases, 19);
      const n0 = designLpf(fp, fs, -fn, attArb, 0, phases0, -1).numTaps;
      numCoefs = Math.trunc(n0 / phases0) + 1;
      if (!preM) numCoefs += numCoefs & 1;
    }
    if (numCoefs & 1 && rational && arbL & 1) {
      phases <<= 1;
      arbL <<= 1;
      arbM *= 2;
    }
    phase0 = 0.5 * (numCoefs & 1);
    order = i + (i && mode > 4 ? 1 : 0);
    const nc4 = (numCoefs + 3) & ~3;
    const coefsSize = nc4 * phases * (order + 1) * 4;
    if (!(i < 2 && interp[i + 1] && Math.floor(coefsSize / 1000) > COEF_SIZE_KBYTES)) break;
  }
  const numTaps = numCoefs * phases - 1;
  const { h } = designLpf(fp, fs, fn, attArb, numTaps, phases, -1);
  const H = new Float64Array(numTaps + 4);
  H.set(h, 1);
  const at = arbL * phase0;
  return {
    kind: 'poly',
    rational,
    nc: numCoefs,
    phases,
    order: rational ? 0 : order,
    phaseBits,
    L: arbL,
    M: rational ? Math.round(arbM) : 0,
    stepWhole: rational ? 0 : Math.floor(arbM * MULT32 + 0.5),
    at0: rational ? Math.round(at) : Math.floor(at * MULT32 + 0.5),
    H,
  };
}
