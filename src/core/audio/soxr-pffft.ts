import { setSoxrSinCos } from '../dsp/wasm/kernels';
import { glibcSinCosF } from './soxr-sincosf';

/**
 * libsoxr's own FFT, for the bit-exact resampler: python-soxr's `cr32s` engine runs pffft (SSE) in
 * float32. The kernels' WASM module builds the same pffft source with its SSE operations mapped to
 * WASM SIMD (identical IEEE float32 operations, no FMA), so its transforms equal libsoxr's once the
 * twiddle tables are equal too: libsoxr computes them with glibc's `sincosf`, which differs from a
 * correctly rounded float by one ulp in ~2% of entries; the 'soxr' pffft plans of kernels.ts are
 * filled with the glibc values (soxr-sincosf.ts), registered here.
 */
setSoxrSinCos(glibcSinCosF);

let ready = false;

/** Selects the bit-exact path (idempotent; the WASM module itself loads synchronously). */
export function initSoxrPffft(): Promise<void> {
  ready = true;
  return Promise.resolve();
}

export function soxrPffftReady(): boolean {
  return ready;
}

export const FORWARD = 0;
export const BACKWARD = 1;
