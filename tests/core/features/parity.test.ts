import { beforeAll, describe, expect, it } from 'vitest';
import { initFft } from '../../../src/core/dsp/fft';
import { FEATURE_BLOCKS } from '../../../src/core/features/config';
import { extractFeatures } from '../../../src/core/features/extract';
import { type GoldenClip, goldenAudioPath, goldenClipFiles, maxRelError, readGolden } from '../../helpers/golden';
import { readWavMono } from '../../helpers/wav';

// issue 3 acceptance: per block max|ours - librosa| <= tol * max|librosa block|, per frame and pooled
const TOLERANCE = { mfcc: 1e-4, chroma: 1e-4, mel: 1e-4, contrast: 1e-4, tonnetz: 1e-3 } as const;

const cases = (['synth', 'speech'] as const).flatMap((set) =>
  goldenClipFiles(set).map((file) => [set, file.split('/').pop()!, file] as const),
);

describe('feature vector parity with librosa 0.11 on every golden clip', () => {
  beforeAll(async () => {
    await initFft();
  });

  it('covers both golden sets', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)('%s %s', (set, _name, file) => {
    const g = readGolden<GoldenClip>(file);
    const y = readWavMono(goldenAudioPath(set, g.file)).samples;
    expect(y.length).toBe(g.n_samples);
    const r = extractFeatures(y, {}, { returnBlocks: true });

    expect(r.tuning.chroma).toBe(g.tuning.chroma_stft_bins_per_octave_12);
    expect(r.tuning.cqt).toBe(g.tuning.cqt_on_harmonic_bins_per_octave_36);
    expect(r.nFrames).toBe(g.n_frames);
    expect(r.vector.length).toBe(166);

    let offset = 0;
    for (const block of FEATURE_BLOCKS) {
      const golden = g.blocks[block];
      const ours = r.blocks![block]!;
      expect(ours.length).toBe(golden.length);
      expect(maxRelError(ours, golden), `${block} per frame`).toBeLessThan(TOLERANCE[block]);
      const pooled = r.vector.subarray(offset, offset + golden.length);
      expect(maxRelError(pooled, g.vector166.slice(offset, offset + golden.length)), `${block} pooled`).toBeLessThan(
        TOLERANCE[block],
      );
      offset += golden.length;
    }
  });
});
