export * from './params';
export { addNoise, applyGain, timeShift } from './waveform';
export { timeStretch, stretchedLength } from './timeStretch';
export { pitchShift, type Resampler } from './pitchShift';
export { phaseVocoder } from './phaseVocoder';
export { drawParams, applyAugmentation, augment } from './draw';
export * from './plan';
