/**
 * librosa.feature.delta(data, width, order=1, axis=-1, mode='interp') on a [rows][frames] matrix:
 * scipy.signal.savgol_filter(data, width, polyorder=1, deriv=1, mode='interp') along time. For a
 * first-order polynomial the Savitzky-Golay derivative is the least-squares slope over the window,
 * sum_{j=-h..h} j * x[t+j] / sum_j j^2 (h = width // 2). 'interp' keeps it for the frames with a
 * full window and gives the first and last h frames the slope of the first / last `width` frames
 * (a straight line fitted there), which is the same sum centred on frame h / on frame T-1-h.
 * librosa requires width <= T (it raises otherwise); so does this. The sums run in float64 and the
 * result is rounded to float32, as scipy returns float32 for librosa's float32 MFCCs.
 */
export function delta(data: ArrayLike<number>, nRows: number, nFrames: number, width = 9): Float64Array {
  if (!Number.isInteger(width) || width < 3 || width % 2 !== 1) throw new RangeError(`delta: width must be an odd integer >= 3, got ${width}`);
  if (width > nFrames) {
    throw new RangeError(`delta: width=${width} needs at least ${width} frames, the input has ${nFrames} (librosa raises the same error)`);
  }
  if (data.length < nRows * nFrames) throw new Error(`delta: ${data.length} values, expected ${nRows} x ${nFrames}`);
  const h = width >> 1;
  let denom = 0;
  for (let j = 1; j <= h; j++) denom += 2 * j * j;
  const out = new Float64Array(nRows * nFrames);
  for (let r = 0; r < nRows; r++) {
    const row = r * nFrames;
    for (let t = h; t < nFrames - h; t++) {
      // scipy.ndimage.correlate1d's order: the centre tap (0), then taps -h..-1, then 1..h
      let s = 0;
      for (let j = -h; j < 0; j++) s += data[row + t + j] * (j / denom);
      for (let j = 1; j <= h; j++) s += data[row + t + j] * (j / denom);
      out[row + t] = Math.fround(s);
    }
    const first = out[row + h];
    const last = out[row + nFrames - 1 - h];
    for (let t = 0; t < h; t++) {
      out[row + t] = first;
      out[row + nFrames - 1 - t] = last;
    }
  }
  return out;
}
