import { dctRowsWasm } from './wasm/kernels';

const dctCache = new Map<string, Float64Array>();

/** First `nOut` rows of the orthonormal DCT-II matrix of size n (scipy.fft.dct(type=2, norm='ortho')). */
export function dct2OrthoMatrix(n: number, nOut: number): Float64Array {
  const key = `${n}/${nOut}`;
  let m = dctCache.get(key);
  if (!m) {
    m = new Float64Array(nOut * n);
    for (let k = 0; k < nOut; k++) {
      const scale = Math.sqrt((k === 0 ? 1 : 2) / n);
      for (let i = 0; i < n; i++) m[k * n + i] = scale * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
    }
    dctCache.set(key, m);
  }
  return m;
}

/** MFCC from a log-mel matrix [nMels][nFrames]; result [nMfcc][nFrames]. */
export function mfccFromLogMel(logMel: Float64Array, nMels: number, nFrames: number, nMfcc: number): Float64Array {
  const D = dct2OrthoMatrix(nMels, nMfcc);
  // the same sums in WASM (SIMD over frames), bit for bit
  if (nFrames >= 8) return dctRowsWasm(D, nMfcc, nMels, logMel, nFrames);
  const out = new Float64Array(nMfcc * nFrames);
  for (let k = 0; k < nMfcc; k++) {
    const o = k * nFrames;
    for (let i = 0; i < nMels; i++) {
      const d = D[k * nMels + i];
      const row = i * nFrames;
      for (let t = 0; t < nFrames; t++) out[o + t] += d * logMel[row + t];
    }
  }
  return out;
}
