// Parity oracle of the WASM running medians (kernels.c median_rows / median_cols, used by the HPSS
// mask): the JS code the C was ported from. Production never runs it; tests check the C against it.

/** Index into [0, n) under scipy.ndimage 'reflect' (= numpy 'symmetric': d c b a | a b c d | d c b a). */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

/** padded[j] = x[offset + reflect(j - half)] for j < n + 2 * half. */
function reflectPad(x: Int32Array, offset: number, n: number, half: number, padded: Int32Array): void {
  if (n > half) {
    for (let j = 0; j < half; j++) padded[j] = x[offset + (half - 1 - j)];
    for (let i = 0; i < n; i++) padded[half + i] = x[offset + i];
    for (let j = 0; j < half; j++) padded[half + n + j] = x[offset + (n - 1 - j)];
  } else {
    for (let j = 0; j < n + 2 * half; j++) padded[j] = x[offset + reflectIndex(j - half, n)];
  }
}

/**
 * Centred running median of odd width `size` over the `n` int32 keys x[offset .. offset+n),
 * written to out[outOffset ..], with 'reflect' edges (scipy.ndimage.median_filter). `padded`
 * (length >= n + size - 1) and `window` (length == size) are scratch buffers; passing them in
 * (rather than reading them off a workspace object) and keeping the padding in its own function
 * keep V8's loop code ~30% faster.
 *
 * Keys, not floats: the bit patterns of non-negative float32 values sort like the values, and
 * int32 compares are ~40% faster here. A sorted window is updated by one delete and one insert per
 * step (linear scans from the median or an end: at width 31 they beat a binary search and a
 * Suomela-style block algorithm in V8).
 */
export function runningMedian(
  x: Int32Array,
  offset: number,
  n: number,
  size: number,
  out: Int32Array,
  outOffset: number,
  padded: Int32Array,
  window: Int32Array,
): void {
  const half = size >> 1;
  reflectPad(x, offset, n, half, padded);
  for (let j = 0; j < size; j++) window[j] = padded[j];
  window.sort();
  out[outOffset] = window[half];
  for (let i = 1; i < n; i++) {
    const leaving = padded[i - 1] | 0;
    const entering = padded[i - 1 + size] | 0;
    if (entering > leaving) {
      let p = leaving >= window[half] ? half : 0;
      while (window[p] < leaving) p++;
      while (p + 1 < size && window[p + 1] < entering) {
        window[p] = window[p + 1];
        p++;
      }
      window[p] = entering;
    } else if (entering < leaving) {
      let p = leaving <= window[half] ? half : size - 1;
      while (window[p] > leaving) p--;
      while (p > 0 && window[p - 1] > entering) {
        window[p] = window[p - 1];
        p--;
      }
      window[p] = entering;
    }
    out[outOffset + i] = window[half];
  }
}

/** runningMedian over each of `nRows` contiguous rows of `rowLength` keys (row-major in and out). */
export function medianRows(x: Int32Array, nRows: number, rowLength: number, size: number, out: Int32Array): void {
  const padded = new Int32Array(rowLength + size);
  const window = new Int32Array(size);
  for (let r = 0; r < nRows; r++) runningMedian(x, r * rowLength, rowLength, size, out, r * rowLength, padded, window);
}
