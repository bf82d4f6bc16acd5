/** float32 tiny: librosa takes its normalisation thresholds from the float32 dtype. */
export const F32_TINY = 1.1754943508222875e-38;

/** librosa.util.normalize along the feature axis of a [nRows][nFrames] matrix, in place. */
export function normalizeColumns(X: Float64Array, nRows: number, nFrames: number, norm: 'inf' | 1 | 2): Float64Array {
  for (let t = 0; t < nFrames; t++) {
    let len = 0;
    if (norm === 'inf') {
      for (let r = 0; r < nRows; r++) len = Math.max(len, Math.abs(X[r * nFrames + t]));
    } else if (norm === 1) {
      for (let r = 0; r < nRows; r++) len += Math.abs(X[r * nFrames + t]);
    } else {
      for (let r = 0; r < nRows; r++) len += X[r * nFrames + t] * X[r * nFrames + t];
      len = Math.sqrt(len);
    }
    if (len < F32_TINY) continue;
    for (let r = 0; r < nRows; r++) X[r * nFrames + t] /= len;
  }
  return X;
}
