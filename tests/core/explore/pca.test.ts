import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { covariance, flipSign, pca, standardise, symmetricEigen } from '../../../src/core/explore/pca';

interface SklearnCase {
  name: string;
  n: number;
  d: number;
  x: string;
  mean: string;
  scale: string;
  constant: number[];
  components: string;
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  allExplainedVarianceRatio: number[];
  scores: string;
}

// scikit-learn 1.9's StandardScaler + PCA(2) on three matrices (scripts/make-pca-fixture.py).
const fixture = JSON.parse(fs.readFileSync(path.resolve('tests/fixtures/explore/sklearn-pca.json'), 'utf8')) as { sklearn: string; cases: SklearnCase[] };
const f64 = (b64: string) => {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float64Array(buf.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(i * 8);
  return out;
};
const rowsOf = (flat: Float64Array, n: number, d: number) => Array.from({ length: n }, (_, i) => flat.subarray(i * d, (i + 1) * d));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A deterministic pseudo-random stream in [-0.5, 0.5). */
function stream(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

describe('pca: components known by construction', () => {
  // Columns a, a, a, b, b with a and b uncorrelated, zero-mean, equal variance: the correlation matrix has
  // eigenvalues 3 and 2 (and 0, 0, 0); PC1 = (1,1,1,0,0)/√3 holds 3/5 of the variance, PC2 = (0,0,0,1,1)/√2 2/5.
  const a = [1, -1, 1, -1, 1, -1, 1, -1];
  const b = [1, 1, -1, -1, 1, 1, -1, -1];
  // Different offsets and scales per column: standardisation removes them.
  const rows = a.map((ai, i) => [10 + 2 * ai, -3 + 0.5 * ai, 7 * ai, 100 + 40 * b[i], 0.001 * b[i]]);

  it('finds both components, their variance shares and the scores', () => {
    const p = pca(rows);
    const r3 = 1 / Math.sqrt(3);
    const r2 = 1 / Math.sqrt(2);
    expect(maxAbsDiff(p.components[0], [r3, r3, r3, 0, 0])).toBeLessThan(1e-12);
    expect(maxAbsDiff(p.components[1], [0, 0, 0, r2, r2])).toBeLessThan(1e-12);
    expect(p.explainedVarianceRatio[0]).toBeCloseTo(3 / 5, 12);
    expect(p.explainedVarianceRatio[1]).toBeCloseTo(2 / 5, 12);
    // Each standardised column of ±1 values has variance 8/7 with ddof 1: PC1 carries 3 of them.
    expect(p.explainedVariance[0]).toBeCloseTo((3 * 8) / 7, 12);
    // Row i scores a_i·√3 on PC1 and b_i·√2 on PC2.
    expect(maxAbsDiff(p.scores[0], a.map((v) => v * Math.sqrt(3)))).toBeLessThan(1e-12);
    expect(maxAbsDiff(p.scores[1], b.map((v) => v * Math.sqrt(2)))).toBeLessThan(1e-12);
  });

  it('keeps the sign convention: the largest-|loading| entry positive, whatever the data sign', () => {
    const flipped = rows.map((r) => r.map((v) => -v));
    const p = pca(flipped);
    expect(p.components[0][0]).toBeGreaterThan(0);
    expect(p.components[1][3]).toBeGreaterThan(0);
    // The same components; the scores change sign with the data.
    expect(maxAbsDiff(p.components[0], pca(rows).components[0])).toBeLessThan(1e-12);
    expect(p.scores[0][0]).toBeCloseTo(-Math.sqrt(3), 12);
    expect(Array.from(flipSign(Float64Array.from([0.2, -0.9, 0.3])))).toEqual([-0.2, 0.9, -0.3]);
    expect(Array.from(flipSign(Float64Array.from([-0.5, 0.5])))).toEqual([0.5, -0.5]);
  });

  it('leaves a constant column at 0 and out of the variance', () => {
    const withConstant = rows.map((r) => [...r, 42]);
    const p = pca(withConstant);
    expect(p.constant).toEqual([5]);
    expect(p.components[0][5]).toBe(0);
    expect(p.explainedVarianceRatio[0]).toBeCloseTo(3 / 5, 12);
    expect(standardise(withConstant).z.filter((_, i) => i % 6 === 5).every((v) => v === 0)).toBe(true);
  });

  it('refuses what it cannot project', () => {
    expect(() => pca([[1, 2, 3]])).toThrow(/at least 2/);
    expect(() => pca([[1, 2], [3]])).toThrow(/2 values/);
    expect(() => pca([[1, Number.NaN], [3, 4]])).toThrow(/finite/);
  });

  it('gives zero shares, not NaN, when nothing varies', () => {
    const p = pca([[1, 2], [1, 2], [1, 2]]);
    expect(p.explainedVarianceRatio).toEqual([0, 0]);
    expect(Array.from(p.scores[0])).toEqual([0, 0, 0]);
  });
});

describe('symmetricEigen', () => {
  it('decomposes a random symmetric matrix: A v = λ v, orthonormal vectors, largest first', () => {
    const n = 40;
    const rnd = stream(7);
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) A[i * n + j] = A[j * n + i] = rnd();
    const { values, vectors } = symmetricEigen(A, n);
    for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
    let residual = 0;
    let ortho = 0;
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j] * vectors[k][j];
        residual = Math.max(residual, Math.abs(s - values[k] * vectors[k][i]));
      }
      for (let l = 0; l < n; l++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += vectors[k][j] * vectors[l][j];
        ortho = Math.max(ortho, Math.abs(s - (k === l ? 1 : 0)));
      }
    }
    expect(residual).toBeLessThan(1e-12);
    expect(ortho).toBeLessThan(1e-12);
    // The trace is the sum of the eigenvalues.
    let trace = 0;
    for (let i = 0; i < n; i++) trace += A[i * n + i];
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 10);
  });

  it('handles diagonal, repeated and 1x1 matrices', () => {
    const diag = symmetricEigen(Float64Array.from([2, 0, 0, 0, 5, 0, 0, 0, -1]), 3);
    expect(Array.from(diag.values)).toEqual([5, 2, -1]);
    expect(Array.from(diag.vectors[0]).map(Math.abs)).toEqual([0, 1, 0]);
    const repeated = symmetricEigen(Float64Array.from([3, 0, 0, 3]), 2);
    expect(Array.from(repeated.values)).toEqual([3, 3]);
    expect(Array.from(symmetricEigen(Float64Array.from([4]), 1).values)).toEqual([4]);
  });
});

describe('pca against scikit-learn', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const rows = rowsOf(f64(c.x), c.n, c.d);
    const p = pca(rows);
    // Standardisation: StandardScaler's mean_ and scale_ (population sd, 1 for a constant column).
    const mean = f64(c.mean);
    for (let j = 0; j < c.d; j++) expect(Math.abs(p.mean[j] - mean[j])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(mean[j])));
    const scale = f64(c.scale);
    for (let j = 0; j < c.d; j++) expect(Math.abs(p.scale[j] - scale[j]) / scale[j]).toBeLessThan(1e-11);
    expect(p.constant).toEqual(c.constant);
    // Components, signs included.
    const comps = f64(c.components);
    expect(maxAbsDiff(p.components[0], comps.subarray(0, c.d))).toBeLessThan(1e-9);
    expect(maxAbsDiff(p.components[1], comps.subarray(c.d, 2 * c.d))).toBeLessThan(1e-9);
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(p.explainedVariance[k] - c.explainedVariance[k]) / c.explainedVariance[k]).toBeLessThan(1e-11);
      expect(Math.abs(p.explainedVarianceRatio[k] - c.explainedVarianceRatio[k])).toBeLessThan(1e-12);
    }
    // The scores (sklearn's transform), n x 2 row-major.
    const scores = f64(c.scores);
    const big = Math.max(...Array.from(scores, Math.abs));
    for (let i = 0; i < c.n; i++) {
      expect(Math.abs(p.scores[0][i] - scores[i * 2])).toBeLessThan(1e-9 * big);
      expect(Math.abs(p.scores[1][i] - scores[i * 2 + 1])).toBeLessThan(1e-9 * big);
    }
    // Every component's share: our eigenvalues of the covariance against sklearn's full SVD.
    const eig = symmetricEigen(covariance(standardise(rows).z, c.n, c.d), c.d);
    const total = Array.from(eig.values).reduce((s, v) => s + Math.max(v, 0), 0);
    c.allExplainedVarianceRatio.forEach((r, k) => expect(Math.abs(Math.max(eig.values[k], 0) / total - r)).toBeLessThan(1e-12));
  });
});
