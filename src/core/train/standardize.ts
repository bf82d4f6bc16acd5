/**
 * StandardScaler: per-feature mean and std fitted on the training rows only, then applied to every split
 * and to new audio at classification time (so it is saved with the model).
 */
import type { Matrix } from './matrix';

export interface Standardizer {
  mean: number[];
  /** Population std (ddof 0, as sklearn); a constant feature gets 1 so it maps to 0 instead of NaN. */
  std: number[];
}

export function fitStandardizer(m: Matrix): Standardizer {
  if (m.rows === 0) throw new RangeError('cannot fit a standardizer on zero rows');
  const mean = new Float64Array(m.cols);
  const sq = new Float64Array(m.cols);
  for (let r = 0; r < m.rows; r++) {
    const off = r * m.cols;
    for (let c = 0; c < m.cols; c++) mean[c] += m.data[off + c];
  }
  for (let c = 0; c < m.cols; c++) mean[c] /= m.rows;
  for (let r = 0; r < m.rows; r++) {
    const off = r * m.cols;
    for (let c = 0; c < m.cols; c++) {
      const d = m.data[off + c] - mean[c];
      sq[c] += d * d;
    }
  }
  const std = Array.from(sq, (s) => {
    const sd = Math.sqrt(s / m.rows);
    // sklearn treats near-zero variance (relative to float eps) as constant.
    return sd < 10 * Number.EPSILON ? 1 : sd;
  });
  return { mean: Array.from(mean), std };
}

export function applyStandardizer(s: Standardizer, m: Matrix): Matrix {
  if (s.mean.length !== m.cols) throw new RangeError(`standardizer has ${s.mean.length} features, matrix has ${m.cols}`);
  const data = new Float32Array(m.data.length);
  for (let r = 0; r < m.rows; r++) {
    const off = r * m.cols;
    for (let c = 0; c < m.cols; c++) data[off + c] = (m.data[off + c] - s.mean[c]) / s.std[c];
  }
  return { rows: m.rows, cols: m.cols, data };
}

/** Applies the standardizer to one feature vector (classification of a single clip). */
export function standardizeVector(s: Standardizer, v: ArrayLike<number>): Float32Array {
  const out = new Float32Array(v.length);
  for (let c = 0; c < v.length; c++) out[c] = (v[c] - s.mean[c]) / s.std[c];
  return out;
}

export function isStandardizer(x: unknown): x is Standardizer {
  const s = x as Standardizer;
  return (
    typeof s === 'object' && s !== null && Array.isArray(s.mean) && Array.isArray(s.std) && s.mean.length === s.std.length &&
    s.mean.every(Number.isFinite) && s.std.every((v) => Number.isFinite(v) && v > 0)
  );
}
