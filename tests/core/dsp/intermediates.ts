import path from 'node:path';
import { goldenAudioPath, goldenDir, readGolden } from '../../helpers/golden';
import { readWavMono } from '../../helpers/wav';

/** The golden intermediates (librosa 0.11 on one clip per set), matrices [bin][frame]. */
export interface Intermediates {
  file: string;
  n_samples: number;
  hann_window_periodic_2048: number[];
  stft: { n_frames: number; magnitude: number[][] };
  mel_filterbank: { mel_edges_hz: number[]; matrix: number[][] };
  mel_power: number[][];
  log_mel_db: { matrix: number[][] };
  dct2_ortho: { matrix_first13: number[][] };
  chroma_stft: {
    tuning_estimated: number;
    filterbank_at_tuning: number[][];
    filterbank_at_tuning0: number[][];
    raw_chroma_before_norm: number[][];
  };
  spectral_contrast: { band_edges_hz: number[] };
  hpss_harmonic_signal: number[];
  cqt: { tuning_estimated: number; frequencies_hz: number[]; magnitude: number[][]; cq_to_chroma: number[][] };
  chroma_cqt: number[][];
  tonnetz: { phi: number[][]; matrix: number[][] };
  soxr_hq_half_of_harmonic: { n: number; signal: number[] };
}

export const SETS = ['synth', 'speech'] as const;

export function loadIntermediates(set: (typeof SETS)[number]): { it: Intermediates; y: Float32Array } {
  const it = readGolden<Intermediates>(path.join(goldenDir(set), 'intermediates.bin.gz'));
  const y = readWavMono(goldenAudioPath(set, it.file)).samples;
  return { it, y };
}

/** View a flat [row][col] matrix as rows (for maxRelError). */
export function rowsOf(X: ArrayLike<number> & { subarray?: unknown }, nRows: number, nCols: number): Float64Array[] {
  const a = Float64Array.from(X as ArrayLike<number>);
  return Array.from({ length: nRows }, (_, r) => a.subarray(r * nCols, (r + 1) * nCols));
}

/** Transpose a frame-major [t][k] array into rows [k][t]. */
export function binRows(frameMajor: Float64Array, nFrames: number, nBins: number): Float64Array[] {
  return Array.from({ length: nBins }, (_, k) => {
    const row = new Float64Array(nFrames);
    for (let t = 0; t < nFrames; t++) row[t] = frameMajor[t * nBins + k];
    return row;
  });
}
