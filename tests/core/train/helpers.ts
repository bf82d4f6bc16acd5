import type { Matrix } from '../../../src/core/train/matrix';
import { Rng } from '../../../src/core/train/rng';

/** Gaussian-ish clusters (sum of uniforms), one centre per class, `sep` apart on average. */
export function clusters(n: number, dim: number, classes: number, seed: number, sep = 1): { x: Matrix; y: Int32Array } {
  const r = new Rng(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: dim }, () => (r.next() * 2 - 1) * sep));
  const data = new Float32Array(n * dim);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % classes;
    for (let j = 0; j < dim; j++) data[i * dim + j] = centres[y[i]][j] + (r.next() + r.next() + r.next() - 1.5);
  }
  return { x: { rows: n, cols: dim, data }, y };
}
