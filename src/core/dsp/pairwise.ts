/**
 * numpy's pairwise summation (the add.reduce inner loop over a contiguous axis): blocks of up to 128
 * values summed with 8 interleaved accumulators, longer runs split in halves (a multiple of 8 first).
 * librosa's reductions over a contiguous axis (a frame's 2048 squared samples in rms, a frame's 1025
 * bins of |X|, which librosa holds bin-contiguous) are these sums; float32 ones round every addition.
 */

/** Sum of a[start .. start+n) in float32, as numpy sums a contiguous float32 run. */
export function pairwiseSumF32(a: ArrayLike<number>, start: number, n: number): number {
  const f = Math.fround;
  if (n < 8) {
    let res = -0.0;
    for (let i = 0; i < n; i++) res = f(res + a[start + i]);
    return res;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const p = start + i;
      r0 = f(r0 + a[p]);
      r1 = f(r1 + a[p + 1]);
      r2 = f(r2 + a[p + 2]);
      r3 = f(r3 + a[p + 3]);
      r4 = f(r4 + a[p + 4]);
      r5 = f(r5 + a[p + 5]);
      r6 = f(r6 + a[p + 6]);
      r7 = f(r7 + a[p + 7]);
    }
    let res = f(f(f(r0 + r1) + f(r2 + r3)) + f(f(r4 + r5) + f(r6 + r7)));
    for (; i < n; i++) res = f(res + a[start + i]);
    return res;
  }
  let n2 = n >> 1;
  n2 -= n2 % 8;
  return f(pairwiseSumF32(a, start, n2) + pairwiseSumF32(a, start + n2, n - n2));
}

/** The same summation in float64. */
export function pairwiseSumF64(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = -0.0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const p = start + i;
      r0 += a[p];
      r1 += a[p + 1];
      r2 += a[p + 2];
      r3 += a[p + 3];
      r4 += a[p + 4];
      r5 += a[p + 5];
      r6 += a[p + 6];
      r7 += a[p + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = n >> 1;
  n2 -= n2 % 8;
  return pairwiseSumF64(a, start, n2) + pairwiseSumF64(a, start + n2, n - n2);
}
