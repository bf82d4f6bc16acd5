import { absComplex64, type Spectrogram } from '../dsp/stft';
import { roundHalfEven } from '../dsp/numpyRound';

const f32 = Math.fround;
const TWO_PI = 2 * Math.PI;

/** np.angle of a complex64 value: float32 atan2. */
function angle64(re: number, im: number): number {
  return f32(Math.atan2(f32(im), f32(re)));
}

/** hop * np.fft.rfftfreq(n_fft, d=1/(2 pi)), evaluated in numpy's order of operations. */
function phaseAdvance(nFft: number, hop: number, nBins: number): Float64Array {
  const val = 1 / (nFft * (1 / TWO_PI));
  const out = new Float64Array(nBins);
  for (let k = 0; k < nBins; k++) out[k] = hop * (k * val);
  return out;
}

/** np.arange(0, nFrames, rate) in float64. */
export function vocoderTimeSteps(nFrames: number, rate: number): Float64Array {
  const n = Math.max(0, Math.ceil(nFrames / rate));
  const steps = new Float64Array(n);
  for (let i = 0; i < n; i++) steps[i] = i * rate;
  return steps;
}

/**
 * librosa.phase_vocoder (0.11) on a complex64 STFT: for each fractional step, magnitudes linearly
 * interpolated between the two neighbouring columns (two zero columns appended), phase accumulated from
 * the first column's angle by the expected advance plus the wrapped deviation. The float32/float64 mix
 * of numpy's arithmetic is kept (phase accumulator float32, magnitudes float64, output complex64)
 * because the accumulated phase grows to thousands of radians, where float32 rounding shows.
 * Input and output are frame-major; output values are float32-representable.
 */
export function phaseVocoder(D: Spectrogram, rate: number, opts: { nFft?: number; hop?: number } = {}): Spectrogram {
  if (!(rate > 0)) throw new RangeError(`phaseVocoder: rate must be > 0, got ${rate}`);
  const { nBins, nFrames } = D;
  const nFft = opts.nFft ?? 2 * (nBins - 1);
  const hop = opts.hop ?? Math.floor(nFft / 4);
  const steps = vocoderTimeSteps(nFrames, rate);
  const outFrames = steps.length;
  const re = new Float64Array(outFrames * nBins);
  const im = new Float64Array(outFrames * nBins);
  const phiAdvance = phaseAdvance(nFft, hop, nBins);

  // |D| and angle(D) of every input column once (each is read by ~2/rate output frames), plus the
  // two zero columns librosa pads with.
  const mags = new Float64Array((nFrames + 2) * nBins);
  const angles = new Float64Array((nFrames + 2) * nBins);
  for (let i = 0; i < nFrames * nBins; i++) {
    mags[i] = absComplex64(D.re[i], D.im[i]);
    angles[i] = angle64(D.re[i], D.im[i]);
  }

  const phaseAcc = angles.slice(0, nBins);
  for (let t = 0; t < outFrames; t++) {
    const step = steps[t];
    const b0 = Math.trunc(step) * nBins;
    const b1 = b0 + nBins;
    const alpha = step % 1;
    const beta = 1 - alpha;
    const bo = t * nBins;
    for (let k = 0; k < nBins; k++) {
      const mag = beta * mags[b0 + k] + alpha * mags[b1 + k];
      const phi = phaseAcc[k];
      re[bo + k] = f32(f32(Math.cos(phi)) * mag);
      im[bo + k] = f32(f32(Math.sin(phi)) * mag);
      let dphase = f32(angles[b1 + k] - angles[b0 + k]) - phiAdvance[k];
      dphase = dphase - TWO_PI * roundHalfEven(dphase / TWO_PI);
      phaseAcc[k] = f32(phi + (phiAdvance[k] + dphase));
    }
  }
  return { nFrames: outFrames, nBins, re, im };
}
