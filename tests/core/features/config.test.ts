import { beforeAll, describe, expect, it } from 'vitest';
import { initFft } from '../../../src/core/dsp/fft';
import {
  DEFAULT_FEATURE_CONFIG,
  featureConfigHash,
  featureDims,
  presetOf,
  resolveFeatureConfig,
  type FeatureConfig,
} from '../../../src/core/features/config';
import { extractFeatures } from '../../../src/core/features/extract';
import { FEATURE_PRESET_INFO } from '../../../src/shared/params';

/** Rows of each block (librosa's defaults), summed over the configured blocks. */
function featureVectorLength(config: FeatureConfig): number {
  const rows = { mfcc: config.nMfcc, chroma: 12, mel: 128, contrast: 7, tonnetz: 6 };
  return config.blocks.reduce((n, b) => n + rows[b], 0);
}

describe('feature config', () => {
  it('defaults to the 166-d reference vector', () => {
    expect(featureVectorLength(resolveFeatureConfig())).toBe(166);
    expect(DEFAULT_FEATURE_CONFIG.nMfcc).toBe(13);
    expect(DEFAULT_FEATURE_CONFIG.sampleRate).toBe(22050);
  });

  it('hash is stable, canonical (block order, defaults) and changes with the config', () => {
    const h = featureConfigHash({});
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(featureConfigHash(DEFAULT_FEATURE_CONFIG)).toBe(h);
    expect(featureConfigHash({ blocks: ['tonnetz', 'mfcc', 'chroma', 'mel', 'contrast', 'mfcc'] })).toBe(h);
    expect(featureConfigHash({ nMfcc: 20 })).not.toBe(h);
    expect(featureConfigHash({ blocks: ['mfcc'] })).not.toBe(h);
    expect(featureConfigHash({ sampleRate: 16000 })).not.toBe(h);
  });

  it("pins reference-166's hash to the one from before presets (every cached vector and model stays valid)", () => {
    // sha256 of {"algorithm":"librosa-0.11-v2","blocks":[...all five],"nMfcc":13,"sampleRate":22050}, first 16 hex digits
    expect(featureConfigHash({})).toBe('9b9b509b96cbc7e7');
    expect(featureConfigHash({ preset: 'reference-166' })).toBe('9b9b509b96cbc7e7');
    expect(resolveFeatureConfig({ preset: 'reference-166' })).toEqual(resolveFeatureConfig());
    expect('preset' in resolveFeatureConfig({ preset: 'reference-166' })).toBe(false);
  });

  it('keys another preset by its name and version, and fixes its blocks, MFCC count and rate', () => {
    const extended = resolveFeatureConfig({ preset: 'extended' });
    expect(extended).toEqual({ ...resolveFeatureConfig(), preset: 'extended', presetVersion: FEATURE_PRESET_INFO.extended.version });
    expect(featureDims(extended)).toBe(377); // version 2: 370 + pYIN's 7
    expect(featureDims(resolveFeatureConfig())).toBe(166);
    expect(featureDims(resolveFeatureConfig({ nMfcc: 20 }))).toBe(173);
    expect(presetOf(extended)).toBe('extended');
    expect(presetOf(resolveFeatureConfig())).toBe('reference-166');
    const h = featureConfigHash({ preset: 'extended' });
    expect(h).not.toBe(featureConfigHash({}));
    expect(featureConfigHash(extended)).toBe(h);
    expect(featureConfigHash({ preset: 'extended', presetVersion: FEATURE_PRESET_INFO.extended.version + 1 })).not.toBe(h);
    expect(() => resolveFeatureConfig({ preset: 'extended', nMfcc: 20 })).toThrow(/extended preset is fixed/);
    expect(() => resolveFeatureConfig({ preset: 'extended', blocks: ['mfcc'] })).toThrow(/extended preset is fixed/);
    expect(() => resolveFeatureConfig({ preset: 'nope' as never })).toThrow(/unknown feature preset/);
  });

  it('rejects unknown blocks and bad values', () => {
    expect(() => resolveFeatureConfig({ blocks: ['zcr' as never] })).toThrow(/unknown feature block/);
    expect(() => resolveFeatureConfig({ blocks: [] })).toThrow();
    expect(() => resolveFeatureConfig({ nMfcc: 0 })).toThrow();
  });
});

describe('extractFeatures with a subset of blocks', () => {
  beforeAll(async () => {
    await initFft();
  });

  it('returns only the requested blocks, in canonical order, sized by nMfcc', () => {
    const y = Float32Array.from({ length: 22050 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / 22050));
    const full = extractFeatures(y, { blocks: ['mfcc', 'chroma'], nMfcc: 13 });
    const r = extractFeatures(y, { blocks: ['chroma', 'mfcc'], nMfcc: 20 }, { returnBlocks: true });
    expect(r.vector.length).toBe(32);
    expect(Object.keys(r.blocks!)).toEqual(['mfcc', 'chroma']);
    expect(r.blocks!.mfcc!.length).toBe(20);
    expect(r.blocks!.mfcc![0].length).toBe(r.nFrames);
    expect(r.nFrames).toBe(1 + Math.floor(22050 / 512));
    expect(r.tuning.cqt).toBeNull();
    expect(Array.from(r.vector.subarray(0, 13))).toEqual(Array.from(full.vector.subarray(0, 13)));
    // a 220 Hz tone is an A: chroma row 9 (C=0) dominates
    const chroma = r.vector.subarray(20);
    expect(chroma.indexOf(Math.max(...chroma))).toBe(9);
  });
});
