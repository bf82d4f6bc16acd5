import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { importDataset } from '../../../src/core/dataset/import';
import { datasetDetail, listClips, listDatasets } from '../../../src/core/dataset/queries';
import { openWorkspace, type Workspace } from '../../../src/core/workspace/workspace';
import { pcm16Wav, tempDir, writeFile } from '../../helpers/make-wav';

let ws: Workspace;
beforeEach(() => {
  ws = openWorkspace(tempDir('ws'));
  return () => ws.close();
});

function folderDataset(): string {
  const root = tempDir('folder');
  writeFile(root, 'anger/a1.wav', pcm16Wav({ seconds: 0.5, freq: 300, seed: 1 }));
  writeFile(root, 'anger/a2.wav', pcm16Wav({ seconds: 0.7, freq: 310, seed: 2 }));
  writeFile(root, 'sadness/s1.wav', pcm16Wav({ seconds: 0.6, freq: 200, seed: 3 }));
  writeFile(root, 'sadness/nested/s2.wav', pcm16Wav({ seconds: 0.4, freq: 190, seed: 4 }));
  return root;
}

describe('importDataset (folder per label)', () => {
  it('imports every readable file with its probed facts', async () => {
    const root = folderDataset();
    const r = await importDataset(ws.db, { source: root, name: 'tiny' });
    expect(r.clips).toBe(4);
    expect(r.classes).toEqual({ anger: 2, sadness: 2 });
    expect(r.errors).toEqual([]);
    expect(r.durationSec).toBeCloseTo(2.2, 3);
    const clips = listClips(ws.db, { id: r.id, offset: 0, limit: 10 }).clips;
    const s2 = clips.find((c) => c.path === 'sadness/nested/s2.wav')!;
    expect(s2).toMatchObject({ label: 'sadness', sampleRate: 16000, channels: 1, container: 'wav' });
    expect(s2.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists a text file, a zero-byte wav and a truncated wav as errors and imports the rest', async () => {
    const root = folderDataset();
    writeFile(root, 'anger/notes.txt', 'hello, these are my notes\n');
    writeFile(root, 'anger/empty.wav', Buffer.alloc(0));
    const full = pcm16Wav({ seconds: 0.5, seed: 9 });
    writeFile(root, 'sadness/cut.wav', full.subarray(0, 44 + 1000)); // header promises 16000 bytes of data
    const progress: number[] = [];
    const r = await importDataset(ws.db, { source: root, name: 'messy', onProgress: (p) => p.phase === 'probe' && progress.push(p.done) });
    expect(r.clips).toBe(4);
    expect(r.errors.map((e) => e.file).sort()).toEqual(['anger/empty.wav', 'anger/notes.txt', 'sadness/cut.wav']);
    const byFile = Object.fromEntries(r.errors.map((e) => [e.file, e]));
    expect(byFile['anger/empty.wav'].code).toBe('empty');
    expect(byFile['sadness/cut.wav'].code).toBe('truncated');
    expect(byFile['anger/notes.txt'].message).toContain('anger/notes.txt');
    expect(progress.at(-1)).toBe(7);
    expect(datasetDetail(ws.db, r.id).errorList).toHaveLength(3);
  });

  it('re-importing the same folder updates instead of duplicating, and notices changes', async () => {
    const root = folderDataset();
    const first = await importDataset(ws.db, { source: root, name: 'again' });
    const second = await importDataset(ws.db, { source: root, name: 'again' });
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({ clips: 4, added: 0, updated: 0, unchanged: 4, removed: 0 });
    expect(listDatasets(ws.db)).toHaveLength(1);
    fs.rmSync(path.join(root, 'anger/a2.wav'));
    writeFile(root, 'anger/a3.wav', pcm16Wav({ seconds: 0.3, seed: 7 }));
    const third = await importDataset(ws.db, { source: root, name: 'again' });
    expect(third).toMatchObject({ clips: 4, added: 1, removed: 1, unchanged: 3 });
  });

  it('reports exact duplicate files', async () => {
    const root = folderDataset();
    fs.copyFileSync(path.join(root, 'anger/a1.wav'), path.join(root, 'sadness/copy-of-a1.wav'));
    const r = await importDataset(ws.db, { source: root, name: 'dups' });
    expect(r.duplicates).toHaveLength(1);
    expect(r.duplicates[0].files.sort()).toEqual(['anger/a1.wav', 'sadness/copy-of-a1.wav']);
  });

  it('reports files outside any label folder', async () => {
    const root = folderDataset();
    writeFile(root, 'loose.wav', pcm16Wav({ seconds: 0.2 }));
    const r = await importDataset(ws.db, { source: root, name: 'loose' });
    expect(r.errors).toEqual([expect.objectContaining({ file: 'loose.wav', code: 'no_label' })]);
  });
});

describe('importDataset (CSV manifest, RAVDESS names)', () => {
  it('reads path,label,speaker relative to the CSV and reports missing files', async () => {
    const root = tempDir('csv');
    writeFile(root, 'clips/x1.wav', pcm16Wav({ seconds: 0.3, seed: 1 }));
    writeFile(root, 'clips/x2.wav', pcm16Wav({ seconds: 0.3, seed: 2 }));
    writeFile(root, 'clips/x3.wav', pcm16Wav({ seconds: 0.3, seed: 3 }));
    writeFile(root, 'meta/manifest.csv', 'path,label,speaker\n../clips/x1.wav,fear,s1\n../clips/x2.wav,fear,s2\n../clips/x3.wav,neutral,s1\n../clips/gone.wav,neutral,s2\n');
    const r = await importDataset(ws.db, { source: path.join(root, 'meta/manifest.csv'), name: 'csv' });
    expect(r).toMatchObject({ clips: 3, classes: { fear: 2, neutral: 1 }, speakers: 2 });
    expect(r.errors).toEqual([expect.objectContaining({ file: '../clips/gone.wav', code: 'missing' })]);
    const detail = datasetDetail(ws.db, r.id);
    expect(detail.perSpeaker.map((s) => [s.speaker, s.clips])).toEqual([
      ['s1', 2],
      ['s2', 1],
    ]);
  });

  it('refuses a CSV without path and label columns', async () => {
    const root = tempDir('csv-bad');
    writeFile(root, 'm.csv', 'file,emotion\na.wav,fear\n');
    await expect(importDataset(ws.db, { source: path.join(root, 'm.csv'), name: 'bad' })).rejects.toThrow(/path,label/);
  });

  it('takes label and speaker from RAVDESS file names when asked', async () => {
    const root = tempDir('ravdess');
    writeFile(root, 'Actor_12/03-01-05-01-02-01-12.wav', pcm16Wav({ seconds: 0.3, seed: 1 }));
    writeFile(root, 'Actor_12/03-01-01-01-01-01-12.wav', pcm16Wav({ seconds: 0.3, seed: 2 }));
    writeFile(root, 'Actor_03/03-01-05-02-01-02-03.wav', pcm16Wav({ seconds: 0.3, seed: 3 }));
    writeFile(root, 'Actor_03/readme.wav', pcm16Wav({ seconds: 0.3, seed: 4 }));
    const r = await importDataset(ws.db, { source: root, name: 'rav', naming: 'ravdess' });
    expect(r).toMatchObject({ clips: 3, classes: { anger: 2, neutral: 1 }, speakers: 2 });
    expect(r.errors).toEqual([expect.objectContaining({ file: 'Actor_03/readme.wav', code: 'bad_name' })]);
  });
});
