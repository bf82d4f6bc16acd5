import { planSoxrHq, type SoxrPlan } from './soxr-design';
import { runPlanExact } from './soxr-exact';
import { initSoxrPffft, soxrPffftReady } from './soxr-pffft';
import { float64Fft, runPlan, type RealFftFactory } from './soxr-stages';

export { float64Fft } from './soxr-stages';

export type { RealFftFactory, RealFftLike } from './soxr-stages';

/**
 * Band-limited resampling that reproduces `soxr.resample(x, srIn, srOut, quality='soxr_hq')`
 * (libsoxr 0.1.3, what librosa 0.11 uses by default): the same filters, stages and edge handling.
 *
 * For float32 input, once `initResampler()` has loaded libsoxr's FFT (pffft in WASM), the result
 * is python-soxr's bit for bit (soxr-exact.ts re-enacts its float32 `cr32s` engine); that matters
 * where librosa's features look at soxr's stop band, which holds nothing but its rounding noise.
 * Without the WASM FFT, or for float64 input or an explicit `fft`, the generic path runs the same
 * stages in float64, ~3e-7 of full scale from soxr.
 */

/** Loads libsoxr's FFT for the bit-exact path (idempotent). */
export function initResampler(): Promise<void> {
  return initSoxrPffft();
}

const planCache = new Map<number, SoxrPlan>();
const PLAN_CACHE_SIZE = 16;

/** soxr HQ's stage plan for an input/output rate ratio, designed once (the last 16 ratios kept). */
export function soxrHqPlan(ioRatio: number): SoxrPlan {
  let plan = planCache.get(ioRatio);
  if (plan) {
    planCache.delete(ioRatio); // keep most recent last
  } else {
    plan = planSoxrHq(ioRatio);
    if (planCache.size >= PLAN_CACHE_SIZE) planCache.delete(planCache.keys().next().value as number);
  }
  planCache.set(ioRatio, plan);
  return plan;
}

function toFloat64(x: Float32Array | Float64Array): Float64Array {
  return x instanceof Float64Array ? x : Float64Array.from(x);
}

/** librosa.util.fix_length: truncate, or pad with zeros at the end. */
export function fixLength<T extends Float32Array | Float64Array>(x: T, n: number): T {
  if (x.length === n) return x;
  if (x.length > n) return x.slice(0, n) as T;
  const out = new (x.constructor as { new (n: number): T })(n);
  out.set(x);
  return out;
}

/**
 * soxr's own output length, `round(n · srOut / srIn)` computed as soxr does it
 * (`(int64)(samples_in / io_ratio + .5)` with io_ratio = srIn / srOut).
 */
export function soxrOutputLength(n: number, srIn: number, srOut: number): number {
  return Math.floor(n / (srIn / srOut) + 0.5);
}

/** Raw soxr HQ resampling (soxr's output length, no fix_length, no gain). */
export interface ResampleOptions {
  /**
   * FFT for the generic path's long-FIR stages (giving one selects that path). Default
   * `float64Fft`; dsp/fft's pffft `realFft32` (after initFft) is faster. Both stay within ~3e-7
   * of soxr.
   */
  fft?: RealFftFactory;
  /** false: the generic path even when the bit-exact one is available. */
  exact?: boolean;
}

/** Whether resampleSoxrHq would take the bit-exact path for this input and options. */
export function resamplesExactly(x: Float32Array | Float64Array, opts: ResampleOptions = {}): boolean {
  return x instanceof Float32Array && !opts.fft && opts.exact !== false && soxrPffftReady();
}

export function resampleSoxrHq(x: Float32Array | Float64Array, srIn: number, srOut: number, opts: ResampleOptions = {}): Float64Array {
  if (!(srIn > 0) || !(srOut > 0)) throw new Error(`resample: sample rates must be positive (got ${srIn} -> ${srOut})`);
  const nOut = soxrOutputLength(x.length, srIn, srOut);
  if (srIn === srOut) return Float64Array.from(x);
  if (x.length === 0 || nOut === 0) return new Float64Array(nOut);
  const plan = soxrHqPlan(srIn / srOut);
  if (resamplesExactly(x, opts)) return new Float64Array(runPlanExact(plan, x as Float32Array, nOut));
  return runPlan(plan, toFloat64(x), nOut, opts.fft);
}

/**
 * `librosa.resample(x, orig_sr=srIn, target_sr=srOut, res_type='soxr_hq')`: soxr HQ, then
 * fix_length to ceil(n · srOut / srIn). Rates may be any positive numbers (pitch shifting
 * resamples from sr / rate). Equal rates return a copy, as librosa returns the input.
 */
export function resample(x: Float32Array | Float64Array, srIn: number, srOut: number, opts: ResampleOptions = {}): Float64Array {
  if (srIn === srOut) return Float64Array.from(x);
  const n = Math.ceil(x.length * (srOut / srIn));
  return fixLength(resampleSoxrHq(x, srIn, srOut, opts), n);
}

/**
 * resample() of float32 data with float32 output, as librosa.load gets it: python-soxr's result bit
 * for bit after initResampler() (without a conversion to float64 and back), else the generic path
 * rounded to float32.
 */
export function resampleF32(x: Float32Array, srIn: number, srOut: number): Float32Array {
  if (srIn === srOut) return x.slice();
  const n = Math.ceil(x.length * (srOut / srIn));
  const nOut = soxrOutputLength(x.length, srIn, srOut);
  if (!resamplesExactly(x) || x.length === 0 || nOut === 0) return new Float32Array(resample(x, srIn, srOut));
  if (!(srIn > 0) || !(srOut > 0)) throw new Error(`resample: sample rates must be positive (got ${srIn} -> ${srOut})`);
  return fixLength(runPlanExact(soxrHqPlan(srIn / srOut), x, nOut), n);
}

/**
 * The CQT's octave step: `soxr.resample(y, 2, 1, quality='soxr_hq')` then fix_length(ceil(n/2)),
 * without librosa's `scale=True` gain (the caller applies it).
 */
export function decimateHalfSoxrHq(x: Float32Array | Float64Array, opts: ResampleOptions = {}): Float64Array {
  // the generic float64 path: the CQT does not need soxr's exact rounding
  return fixLength(resampleSoxrHq(x, 2, 1, { fft: float64Fft, ...opts }), Math.ceil(x.length / 2));
}
