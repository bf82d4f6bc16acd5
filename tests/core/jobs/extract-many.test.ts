import { describe, expect, it } from 'vitest';
import { extractMany } from '../../../src/core/jobs/extract-many';
import { resolveFeatureConfig } from '../../../src/core/features/config';
import { FeatureCache } from '../../../src/core/store/feature-cache';
import { openWorkspace } from '../../../src/core/workspace/workspace';
import { FEATURE_PRESET_INFO } from '../../../src/shared/params';
import { goldenAudioPath, goldenClip } from '../../helpers/golden';
import { tempDir, writeFile } from '../../helpers/make-wav';

const clips = [
  ['anger__anger_18_ru', 'anger/anger_18_ru.wav'],
  ['fear__fear_06_en', 'fear/fear_06_en.wav'],
].map(([golden, audio]) => ({
  golden: goldenClip('synth', golden),
  path: goldenAudioPath('synth', audio),
}));

describe('extractMany', () => {
  it('computes on worker threads, caches, and reuses the cache', async () => {
    const ws = openWorkspace(tempDir('extract'));
    const config = resolveFeatureConfig();
    const broken = writeFile(tempDir('broken'), 'x.wav', 'RIFF....WAVEnope');
    const requests = [
      ...clips.map((c, i) => ({ key: `c${i}`, path: c.path, sha256: `sha-${i}`, variants: [{ augId: '' }, { augId: 'gain#4@1', params: { aug: 'gain' as const, gain: 0.5 } }] })),
      { key: 'bad', path: broken, sha256: 'sha-bad', variants: [{ augId: '' }] },
    ];
    const errors: string[] = [];
    const progress: number[] = [];
    const first = await extractMany(ws.db, requests, { config, workers: 2, onError: (e) => errors.push(e.key), onProgress: (p) => progress.push(p.done) });
    expect(errors).toEqual(['bad']);
    expect(first).toHaveLength(4);
    expect(progress.at(-1)).toBe(5);
    for (const [i, c] of clips.entries()) {
      const orig = first.find((r) => r.key === `c${i}` && r.augId === '')!;
      const g = c.golden.vector166;
      const maxAbs = Math.max(...g.map(Math.abs));
      const err = Math.max(...g.map((v, k) => Math.abs(v - orig.features.vector[k])));
      expect(err / maxAbs).toBeLessThan(1e-4);
      const gained = first.find((r) => r.key === `c${i}` && r.augId === 'gain#4@1')!;
      // Halving the gain lowers MFCC 0 (log energy) and leaves the chroma (normalised) as it was.
      expect(gained.features.vector[0]).toBeLessThan(orig.features.vector[0]);
      expect(gained.features.vector[13]).toBeCloseTo(orig.features.vector[13], 6);
      expect(gained.features.augParams).toEqual({ aug: 'gain', gain: 0.5 });
    }
    expect(new FeatureCache(ws.db).count()).toBe(4);
    const second = await extractMany(ws.db, requests.slice(0, 2), { config, workers: 2 });
    expect(second).toHaveLength(4);
    expect(Array.from(second[0].features.vector)).toEqual(Array.from(first.find((r) => r.key === second[0].key && r.augId === second[0].augId)!.features.vector));
    ws.close();
  });

  it("computes a preset's vector on the workers, cached apart from reference-166's; refuses a version it does not compute", async () => {
    const ws = openWorkspace(tempDir('extract-preset'));
    const config = resolveFeatureConfig({ preset: 'extended' });
    const requests = clips.map((c, i) => ({ key: `c${i}`, path: c.path, sha256: `sha-${i}`, variants: [{ augId: '' }] }));
    const reference = await extractMany(ws.db, requests, { config: resolveFeatureConfig(), workers: 1 });
    const extended = await extractMany(ws.db, requests, { config, workers: 1 });
    for (const r of extended) {
      expect(r.features.vector).toHaveLength(FEATURE_PRESET_INFO.extended.dimension);
      // its first 166 values are the reference vector, bit for bit
      expect(Array.from(r.features.vector.subarray(0, 166))).toEqual(Array.from(reference.find((x) => x.key === r.key)!.features.vector));
    }
    expect(new FeatureCache(ws.db).count()).toBe(4);
    await expect(extractMany(ws.db, requests, { config: { ...config, presetVersion: config.presetVersion! + 1 } })).rejects.toMatchObject({
      code: 'unsupported_model',
      message: expect.stringContaining(`extended feature preset version ${config.presetVersion! + 1} are asked for; this SER Studio computes version ${config.presetVersion}`),
    });
    // version 1 (370 values, before pYIN): a run or model of it is refused with what to do
    const { version, dimension } = FEATURE_PRESET_INFO.extended;
    await expect(extractMany(ws.db, requests, { config: { ...config, presetVersion: 1 } })).rejects.toMatchObject({
      code: 'unsupported_model',
      message: `vectors of the extended feature preset version 1 are asked for; this SER Studio computes version ${version} (${dimension} values) only: ` +
        'train again with the extended preset (a model or run of version 1 cannot be used or repeated)',
    });
    ws.close();
  });
});
