const hannCache = new Map<number, Float64Array>();

/** scipy.signal.get_window('hann', n, fftbins=True): the periodic Hann window. */
export function hannPeriodic(n: number): Float64Array {
  let w = hannCache.get(n);
  if (!w) {
    w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    hannCache.set(n, w);
  }
  return w;
}
