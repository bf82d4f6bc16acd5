import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch, type Handlers } from '../../../src/core/api/service';
import { importDataset } from '../../../src/core/dataset/import';
import { datasetSamples } from '../../../src/core/experiments/samples';
import { blockColumns, exploreRequest } from '../../../src/core/explore/project';
import { pca } from '../../../src/core/explore/pca';
import { featureConfigHash } from '../../../src/core/features/config';
import { FeatureCache } from '../../../src/core/store/feature-cache';
import type { Workspace } from '../../../src/core/workspace/workspace';
import { contract, type ProgressEvent } from '../../../src/shared/contract';
import type { Projection } from '../../../src/shared/explore';
import { demoWorkspace } from '../../helpers/demo-workspace';
import { pcm16Wav, tempDir, writeFile } from '../../helpers/make-wav';

let ws: Workspace;
let handlers: Handlers;
let demoId: number;
const events: ProgressEvent[] = [];
const demoRows = fs.readFileSync(path.resolve('resources/demo/manifest.csv'), 'utf8').trim().split('\n').slice(1);

beforeAll(async () => {
  ws = await demoWorkspace('api-explorer-ws');
  handlers = createHandlers(ws, { transport: 'web', emit: (e) => events.push(e) });
  demoId = (await handlers['datasets:list']({}))[0].id;
});
afterAll(() => ws?.close());

async function project(input: object): Promise<Projection> {
  const r = await dispatch(handlers, 'explorer:project', input);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  expect(contract['explorer:project'].output.safeParse(r.result).error).toBeUndefined();
  return r.result as Projection;
}

describe('the feature explorer over the contract', () => {
  let first: Projection;

  it('extracts the missing vectors in a job with progress, then projects every clip', async () => {
    first = await project({ id: demoId, requestId: 'exp-1' });
    expect(first).toMatchObject({ datasetId: demoId, clips: demoRows.length, dims: 166, failed: [], extracted: demoRows.length });
    expect(first.blocks).toEqual(['mfcc', 'chroma', 'mel', 'contrast', 'tonnetz']);
    expect(first.points).toHaveLength(demoRows.length);
    const [pc1, pc2] = first.explained;
    expect(pc1).toBeGreaterThan(pc2);
    expect(pc2).toBeGreaterThan(0);
    expect(pc1 + pc2).toBeLessThan(1);
    // Each point is a clip of the dataset with its label and speaker.
    const clips = await handlers['datasets:clips']({ id: demoId, offset: 0, limit: 1000 } as never);
    const byId = new Map(clips.clips.map((c) => [c.id, c]));
    for (const p of first.points) expect(byId.get(p.clipId)).toMatchObject({ path: p.path, label: p.label, speaker: p.speaker });
    const progress = events.filter((e) => e.kind === 'explore' && e.requestId === 'exp-1');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ done: demoRows.length, total: demoRows.length });
  });

  it('projects from the feature cache alone the second time: the same numbers, no job', async () => {
    const before = events.length;
    const again = await project({ id: demoId, requestId: 'exp-2' });
    expect(again.extracted).toBe(0);
    expect(events.length).toBe(before);
    expect(again.points).toEqual(first.points);
    expect(again.explained).toEqual(first.explained);
    expect(again.ms).toBeLessThan(2000);
  });

  it('is the PCA of the cached vectors of every clip', () => {
    const request = exploreRequest(demoId);
    const cache = new FeatureCache(ws.db);
    const hash = featureConfigHash(request.features);
    const samples = datasetSamples(ws.db, demoId);
    const p = pca(samples.map((s) => cache.get({ sha256: s.sha256, configHash: hash })!.vector));
    expect(first.points.map((pt) => pt.clipId)).toEqual(samples.map((s) => s.id));
    expect(first.points.map((pt) => pt.x)).toEqual(Array.from(p.scores[0]));
    expect(first.points.map((pt) => pt.y)).toEqual(Array.from(p.scores[1]));
    expect(first.explained).toEqual(p.explainedVarianceRatio);
    expect(first.configHash).toBe(hash);
  });

  it('projects a subset of blocks from the same vectors', async () => {
    const mfcc = await project({ id: demoId, blocks: ['mfcc'] });
    expect(mfcc).toMatchObject({ dims: 13, blocks: ['mfcc'], extracted: 0 });
    expect(mfcc.explained[0]).not.toBeCloseTo(first.explained[0], 3);
    const spectral = await project({ id: demoId, blocks: ['tonnetz', 'contrast'] });
    expect(spectral).toMatchObject({ dims: 13, blocks: ['contrast', 'tonnetz'] });
    expect(blockColumns(exploreRequest(demoId).features, ['contrast', 'tonnetz'])).toEqual([...Array(13).keys()].map((i) => 153 + i));
    expect(blockColumns(exploreRequest(demoId, { nMfcc: 20, blocks: ['mfcc', 'chroma'] }).features, ['chroma'])).toEqual([...Array(12).keys()].map((i) => 20 + i));
  });

  it('refuses blocks outside the configuration and unknown datasets', async () => {
    expect(await dispatch(handlers, 'explorer:project', { id: demoId, features: { blocks: ['mfcc'] }, blocks: ['mel'] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('mel') },
    });
    expect(await dispatch(handlers, 'explorer:project', { id: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('lists the clips it could not read apart from the points', async () => {
    // Clips nothing is cached for (generated tones), one of which is replaced by text after the import.
    const folder = tempDir('explorer-broken');
    const lines = ['path,label,speaker'];
    for (let i = 0; i < 6; i++) {
      writeFile(folder, `tone_${i}.wav`, pcm16Wav({ seconds: 0.6, freq: 150 + 40 * i, seed: i + 1 }));
      lines.push(`tone_${i}.wav,${i % 2 ? 'anger' : 'sadness'},s${i % 3}`);
    }
    fs.writeFileSync(path.join(folder, 'manifest.csv'), `${lines.join('\n')}\n`);
    const imported = await importDataset(ws.db, { source: path.join(folder, 'manifest.csv'), name: 'six' });
    const victim = 'tone_2.wav';
    fs.writeFileSync(path.join(folder, victim), 'not audio any more');
    const p = await project({ id: imported.id, requestId: 'exp-broken' });
    expect(p.points).toHaveLength(5);
    expect(p.failed).toEqual([expect.objectContaining({ path: victim, code: expect.any(String), message: expect.any(String) })]);
    expect(p.clips).toBe(6);
    expect(p.points.map((pt) => pt.path)).not.toContain(victim);
  });

  it('cancels a caller: alone it stops the extraction, shared the other caller still gets its projection', async () => {
    // A configuration nothing is cached for (nMfcc 20) makes a fresh extraction.
    const features = { nMfcc: 20 };
    const a = dispatch(handlers, 'explorer:project', { id: demoId, features, requestId: 'share-a' });
    const b = dispatch(handlers, 'explorer:project', { id: demoId, features, requestId: 'share-b' });
    await expect.poll(() => events.some((e) => e.kind === 'explore' && e.requestId === 'share-b'), { timeout: 30_000 }).toBe(true);
    expect(await handlers['explorer:cancel']({ requestId: 'share-a' })).toEqual({ cancelled: true });
    expect(await a).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    const shared = await b;
    expect(shared).toMatchObject({ ok: true, result: { dims: 20 + 153, failed: [] } });
    // One extraction served both: every progress event went to both callers until a left.
    expect(events.filter((e) => e.kind === 'explore' && e.requestId === 'share-a').length).toBeGreaterThan(0);

    const c = dispatch(handlers, 'explorer:project', { id: demoId, features: { nMfcc: 21 }, requestId: 'alone' });
    await expect.poll(() => events.some((e) => e.kind === 'explore' && e.requestId === 'alone'), { timeout: 30_000 }).toBe(true);
    expect(await handlers['explorer:cancel']({ requestId: 'alone' })).toEqual({ cancelled: true });
    expect(await c).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await handlers['explorer:cancel']({ requestId: 'alone' })).toEqual({ cancelled: false });
  });
});

describe('settings and workspaces over the contract', () => {
  it('keeps the language in the settings it was given and tells every window', async () => {
    // no language until the user chooses one (the window then follows the system's locale)
    expect(await handlers['settings:get']({})).toEqual({ recentWorkspaces: [] });
    expect(await handlers['settings:set']({ language: 'ru' })).toMatchObject({ language: 'ru' });
    expect(await handlers['settings:get']({})).toMatchObject({ language: 'ru' });
    expect(events.at(-1)).toEqual({ kind: 'settings', settings: { language: 'ru', recentWorkspaces: [] } });
  });

  it('serves one workspace: switching is the desktop shell\'s business', async () => {
    expect(await dispatch(handlers, 'workspaces:open', { dir: '/tmp/other' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
