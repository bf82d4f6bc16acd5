import type { Rng } from '../train/rng';
import {
  GAIN_RANGE,
  NOISE_FACTOR,
  PITCH_RANGE,
  SHIFT_RANGE_SAMPLES,
  STRETCH_RANGE,
  type AugName,
  type AugParams,
  type Augmented,
} from './params';
import { pitchShift, type Resampler } from './pitchShift';
import { uniform } from './sampling';
import { timeStretch } from './timeStretch';
import { addNoise, applyGain, timeShift } from './waveform';

/**
 * Draws the random parameter of one augmentation from the reference's ranges. Noise draws only the seed
 * of its Gaussian vector; its amplitude (noiseAmp) follows from the signal and is filled in when applied.
 */
export function drawParams(name: AugName, rng: Rng): AugParams {
  switch (name) {
    case 'noise':
      return { aug: 'noise', noiseSeed: rng.nextUint32(), factor: NOISE_FACTOR };
    case 'pitch':
      return { aug: 'pitch', nSteps: uniform(rng, PITCH_RANGE[0], PITCH_RANGE[1]) };
    case 'stretch':
      return { aug: 'stretch', rate: uniform(rng, STRETCH_RANGE[0], STRETCH_RANGE[1]) };
    case 'shift':
      // int(U(-5, 5) * 1000): truncation toward zero, as Python's int()
      return {
        aug: 'shift',
        shiftSamples: Math.trunc(uniform(rng, SHIFT_RANGE_SAMPLES[0] / 1000, SHIFT_RANGE_SAMPLES[1] / 1000) * 1000),
      };
    case 'gain':
      return { aug: 'gain', gain: uniform(rng, GAIN_RANGE[0], GAIN_RANGE[1]) };
  }
}

/** Replays an augmentation from its logged parameters. */
export function applyAugmentation(
  y: ArrayLike<number>,
  sr: number,
  params: AugParams,
  resample?: Resampler,
): Augmented {
  switch (params.aug) {
    case 'noise':
      return addNoise(y, params.noiseSeed, params.factor);
    case 'pitch':
      return pitchShift(y, sr, params.nSteps, resample);
    case 'stretch':
      return timeStretch(y, params.rate);
    case 'shift':
      return timeShift(y, params.shiftSamples);
    case 'gain':
      return applyGain(y, params.gain);
  }
}

/** reference augment(y, sr, name, rng): draw, then apply. */
export function augment(y: ArrayLike<number>, sr: number, name: AugName, rng: Rng, resample?: Resampler): Augmented {
  return applyAugmentation(y, sr, drawParams(name, rng), resample);
}
