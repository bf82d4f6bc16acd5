import { resample as soxrHqResample } from '../audio/resample';
import type { Augmented } from './params';
import { timeStretch } from './timeStretch';

export type Resampler = (x: Float32Array, srIn: number, srOut: number) => ArrayLike<number>;

/**
 * librosa.effects.pitch_shift(y, sr=sr, n_steps=n): time_stretch by 2^(-n/12), resample from sr/rate
 * to sr (soxr HQ port), then fix_length to len(y) (truncate or zero-pad). `resample` is injectable
 * for tests and benchmarks only.
 */
export function pitchShift(
  y: ArrayLike<number>,
  sr: number,
  nSteps: number,
  resample: Resampler = soxrHqResample,
): Augmented<{ aug: 'pitch'; nSteps: number }> {
  if (!Number.isFinite(nSteps)) throw new RangeError(`pitchShift: n_steps must be finite, got ${nSteps}`);
  const rate = 2 ** (-nSteps / 12);
  const stretched = timeStretch(y, rate).y;
  const shifted = resample(stretched, sr / rate, sr);
  const out = new Float32Array(y.length);
  const n = Math.min(out.length, shifted.length);
  for (let i = 0; i < n; i++) out[i] = shifted[i];
  return { y: out, params: { aug: 'pitch', nSteps } };
}
