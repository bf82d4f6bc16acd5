/**
 * Principal component analysis of standardised feature vectors, as scikit-learn's
 * `PCA().fit(StandardScaler().fit_transform(X))` computes it: columns centred and divided by their population
 * standard deviation (a constant column is left at 0), components from the symmetric eigendecomposition of the
 * covariance (Householder tridiagonalisation + implicit QL, as LAPACK's dsyev and EISPACK's tred2/tql2 do),
 * each component's sign chosen as sklearn's svd_flip does (its largest-|loading| entry positive), explained
 * variance with ddof 1 and its ratio to the total. Pure functions on typed arrays: no I/O.
 */

export interface Standardised {
  /** Row-major n x d: (x - mean) / scale per column. */
  z: Float64Array;
  n: number;
  d: number;
  mean: Float64Array;
  /** Population standard deviation (ddof 0); 1 for a constant column, which standardises to 0. */
  scale: Float64Array;
  /** Indices of the columns with no variance (sklearn's tolerance for rounding). */
  constant: number[];
}

/** StandardScaler's fit_transform: z-scores per column, fitted on all rows given. */
export function standardise(rows: readonly ArrayLike<number>[]): Standardised {
  const n = rows.length;
  const d = n ? rows[0].length : 0;
  const mean = new Float64Array(d);
  for (const row of rows) {
    if (row.length !== d) throw new RangeError(`every row needs ${d} values, got ${row.length}`);
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (!Number.isFinite(v)) throw new RangeError('a feature vector holds a value that is not a finite number');
      mean[j] += v;
    }
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  const variance = new Float64Array(d);
  for (const row of rows) {
    for (let j = 0; j < d; j++) {
      const c = row[j] - mean[j];
      variance[j] += c * c;
    }
  }
  const scale = new Float64Array(d);
  const constant: number[] = [];
  const eps = Number.EPSILON;
  for (let j = 0; j < d; j++) {
    const v = variance[j] / n;
    // sklearn's _is_constant_feature: a variance within the rounding error of computing it counts as zero.
    const bound = n * eps * v + (n * mean[j] * eps) ** 2;
    if (v <= bound) {
      scale[j] = 1;
      constant.push(j);
    } else scale[j] = Math.sqrt(v);
  }
  const z = new Float64Array(n * d);
  const isConstant = new Uint8Array(d);
  for (const j of constant) isConstant[j] = 1;
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    for (let j = 0; j < d; j++) z[i * d + j] = isConstant[j] ? 0 : (row[j] - mean[j]) / scale[j];
  }
  return { z, n, d, mean, scale, constant };
}

/** Covariance (ddof 1) of the columns of a row-major n x d matrix whose columns are centred: d x d, row-major. */
export function covariance(z: Float64Array, n: number, d: number): Float64Array {
  const c = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let a = 0; a < d; a++) {
      const va = z[off + a];
      if (va === 0) continue;
      const row = a * d;
      for (let b = a; b < d; b++) c[row + b] += va * z[off + b];
    }
  }
  const div = Math.max(n - 1, 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = c[a * d + b] / div;
      c[a * d + b] = v;
      c[b * d + a] = v;
    }
  }
  return c;
}

export interface Eigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** vectors[k] is the unit eigenvector of values[k]. */
  vectors: Float64Array[];
}

/**
 * All eigenvalues and eigenvectors of a symmetric n x n matrix (row-major; only symmetry is assumed, the
 * lower triangle is read). Householder reduction to tridiagonal form, then the implicit QL algorithm with
 * Wilkinson shifts: the EISPACK tred2/tql2 procedures (Bowdler, Martin, Reinsch, Wilkinson), as in JAMA.
 */
export function symmetricEigen(matrix: Float64Array, n: number): Eigen {
  if (matrix.length !== n * n) throw new RangeError(`expected ${n}x${n} values, got ${matrix.length}`);
  const V = new Float64Array(matrix);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: [] };
  tred2(V, d, e, n);
  // W holds V transposed (W[i*n + k] = V[k][i]), so the QL rotations run along contiguous memory.
  const W = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) W[i * n + k] = V[k * n + i];
  tql2(W, d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[b] - d[a] || a - b);
  return {
    values: Float64Array.from(order, (i) => d[i]),
    vectors: order.map((i) => W.slice(i * n, (i + 1) * n)),
  };
}

/** Householder tridiagonalisation; V (row-major) becomes the accumulated orthogonal transformation. */
function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  const at = (r: number, c: number) => r * n + c;
  for (let j = 0; j < n; j++) d[j] = V[at(n - 1, j)];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[at(i - 1, j)];
        V[at(i, j)] = 0;
        V[at(j, i)] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[at(j, i)] = f;
        g = e[j] + V[at(j, j)] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[at(k, j)] * d[k];
          e[k] += V[at(k, j)] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[at(k, j)] -= f * e[k] + g * d[k];
        d[j] = V[at(i - 1, j)];
        V[at(i, j)] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[at(n - 1, i)] = V[at(i, i)];
    V[at(i, i)] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[at(k, i + 1)] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[at(k, i + 1)] * V[at(k, j)];
        for (let k = 0; k <= i; k++) V[at(k, j)] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[at(k, i + 1)] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[at(n - 1, j)];
    V[at(n - 1, j)] = 0;
  }
  V[at(n - 1, n - 1)] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e); W holds the eigenvectors as rows (W[i] = vector of d[i]). Unsorted. */
function tql2(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error('the eigenvalue iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const a = i * n;
          const b = (i + 1) * n;
          for (let k = 0; k < n; k++) {
            const t = W[b + k];
            W[b + k] = s * W[a + k] + c * t;
            W[a + k] = c * W[a + k] - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** sklearn's svd_flip (u_based_decision=False): the entry of largest magnitude (the first of equals) is made positive. */
export function flipSign(v: Float64Array): Float64Array {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[best])) best = j;
  if (v[best] < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j];
  return v;
}

export interface Pca {
  n: number;
  d: number;
  mean: Float64Array;
  scale: Float64Array;
  constant: number[];
  /** components[k]: unit loading vector of component k (length d), sign per flipSign. */
  components: Float64Array[];
  /** Variance along each component (ddof 1), sklearn's explained_variance_. */
  explainedVariance: number[];
  /** Each component's share of the total variance, sklearn's explained_variance_ratio_. */
  explainedVarianceRatio: number[];
  /** scores[k][i]: row i projected on component k, sklearn's transform(). */
  scores: Float64Array[];
}

/** The top `k` principal components of the standardised rows (n >= 2 rows of d numbers). */
export function pca(rows: readonly ArrayLike<number>[], k = 2): Pca {
  if (rows.length < 2) throw new RangeError(`a projection needs at least 2 vectors, got ${rows.length}`);
  const s = standardise(rows);
  const { z, n, d } = s;
  const eig = symmetricEigen(covariance(z, n, d), d);
  // Rounding leaves the eigenvalues of a singular covariance slightly negative; sklearn clips them too.
  const values = Array.from(eig.values, (v) => Math.max(v, 0));
  const total = values.reduce((a, b) => a + b, 0);
  const take = Math.min(k, d);
  const components = eig.vectors.slice(0, take).map(flipSign);
  const scores = components.map((v) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      const off = i * d;
      for (let j = 0; j < d; j++) acc += z[off + j] * v[j];
      out[i] = acc;
    }
    return out;
  });
  const explainedVariance = values.slice(0, take);
  return {
    n,
    d,
    mean: s.mean,
    scale: s.scale,
    constant: s.constant,
    components,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    scores,
  };
}
