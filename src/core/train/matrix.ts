/** A dense row-major float32 matrix: the feature rows the trainer consumes. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export function matrixFromRows(rows: readonly ArrayLike<number>[], cols?: number): Matrix {
  const c = cols ?? (rows.length > 0 ? rows[0].length : 0);
  const data = new Float32Array(rows.length * c);
  rows.forEach((r, i) => {
    if (r.length !== c) throw new RangeError(`row ${i} has ${r.length} values, expected ${c}`);
    data.set(Array.from(r), i * c);
  });
  return { rows: rows.length, cols: c, data };
}

/** Rows `idx` of `m`, in that order. */
export function takeRows(m: Matrix, idx: ArrayLike<number>): Matrix {
  const data = new Float32Array(idx.length * m.cols);
  for (let i = 0; i < idx.length; i++) data.set(m.data.subarray(idx[i] * m.cols, (idx[i] + 1) * m.cols), i * m.cols);
  return { rows: idx.length, cols: m.cols, data };
}
