import { AUG_NAMES, type AugName } from '../../shared/params';

export { AUG_NAMES, type AugName };

/** Everything needed to replay one augmentation exactly (noise: the seed of its Gaussian draw). */
export type AugParams =
  | { aug: 'noise'; noiseSeed: number; factor: number; noiseAmp?: number }
  | { aug: 'pitch'; nSteps: number }
  | { aug: 'stretch'; rate: number }
  | { aug: 'shift'; shiftSamples: number }
  | { aug: 'gain'; gain: number };

export interface Augmented<P extends AugParams = AugParams> {
  y: Float32Array;
  params: P;
}

/** The reference's ranges and constants. */
export const NOISE_FACTOR = 0.005;
export const PITCH_RANGE: readonly [number, number] = [-2, 2];
export const STRETCH_RANGE: readonly [number, number] = [0.8, 1.2];
export const SHIFT_RANGE_SAMPLES: readonly [number, number] = [-5000, 5000];
export const GAIN_RANGE: readonly [number, number] = [0.8, 1.2];
