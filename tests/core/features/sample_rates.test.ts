import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initFft } from '../../../src/core/dsp/fft';
import { FEATURE_BLOCKS } from '../../../src/core/features/config';
import { extractFeatures } from '../../../src/core/features/extract';
import { goldenAudioPath, maxRelError, readJson } from '../../helpers/golden';
import { readWavMono } from '../../helpers/wav';

interface Fixture {
  cases: Record<string, { vector166: number[]; blocks: Record<string, number[][]>; tuning: { chroma: number; cqt: number } }>;
}

// librosa 0.11 on a golden clip declared at other rates (see fixtures/make_sr_fixtures.py)
const fixture = readJson<Fixture>(path.join(__dirname, 'fixtures', 'other_sample_rates.json'));
const TOLERANCE: Record<string, number> = { mfcc: 1e-4, chroma: 1e-4, mel: 1e-4, contrast: 1e-4, tonnetz: 1e-3 };

describe('features at other configured sample rates', () => {
  beforeAll(async () => {
    await initFft();
  });

  it.each(Object.keys(fixture.cases))('%s Hz (44.1/48 kHz use the CQT early downsampling)', (sr) => {
    const g = fixture.cases[sr];
    const y = readWavMono(goldenAudioPath('synth', 'anger/anger_18_ru.wav')).samples;
    const r = extractFeatures(y, { sampleRate: Number(sr) }, { returnBlocks: true });
    expect(r.tuning).toEqual(g.tuning);
    let offset = 0;
    for (const block of FEATURE_BLOCKS) {
      const golden = g.blocks[block];
      expect(maxRelError(r.blocks![block]!, golden), `${block} per frame`).toBeLessThan(TOLERANCE[block]);
      const pooled = r.vector.subarray(offset, offset + golden.length);
      expect(maxRelError(pooled, g.vector166.slice(offset, offset + golden.length)), `${block} pooled`).toBeLessThan(
        TOLERANCE[block],
      );
      offset += golden.length;
    }
  });
});
