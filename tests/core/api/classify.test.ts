import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch, type Handlers } from '../../../src/core/api/service';
import { predictionsCsv } from '../../../src/core/classify/export';
import { classifyRunResult } from '../../../src/core/classify/runs';
import type { Workspace } from '../../../src/core/workspace/workspace';
import { contract, ProgressEventSchema, type ProgressEvent } from '../../../src/shared/contract';
import { demoWorkspace } from '../../helpers/demo-workspace';
import { copyDemoClips, trainDemoModel, writeBrokenFiles } from '../../helpers/classify';
import { tempDir } from '../../helpers/make-wav';

let ws: Workspace;
let handlers: Handlers;
let experimentId: number;
let folder: string;
let runId: number;
const events: ProgressEvent[] = [];

beforeAll(async () => {
  ws = await demoWorkspace('api-classify-ws');
  handlers = createHandlers(ws, { transport: 'web', emit: (e) => events.push(e) });
  experimentId = await trainDemoModel(ws);
  folder = tempDir('api-classify-in');
  copyDemoClips(folder, ['anger', 'sadness', 'neutral'], 5);
  writeBrokenFiles(folder, 'sadness');
}, 180_000);
afterAll(() => ws?.close());

function waitFor<K extends ProgressEvent['kind']>(kind: K, requestId: string, timeoutMs = 120_000): Promise<Extract<ProgressEvent, { kind: K }>> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const e = events.find((x) => x.kind === kind && 'requestId' in x && x.requestId === requestId);
      if (e) resolve(e as Extract<ProgressEvent, { kind: K }>);
      else if (Date.now() - started > timeoutMs) reject(new Error(`no ${kind} event for ${requestId}`));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

describe('classification over the contract', () => {
  it('runs in a job process: the run id first, then progress, then a small end event', async () => {
    const started = await dispatch(handlers, 'classify:start', { request: { model: { experimentId }, source: { kind: 'folder', path: folder }, backend: 'cpu', workers: 1 }, requestId: 'cls-1' });
    expect(started).toEqual({ ok: true, result: { requestId: 'cls-1' } });
    const again = await dispatch(handlers, 'classify:start', { request: { model: { experimentId }, source: { kind: 'folder', path: folder } }, requestId: 'cls-1' });
    expect(again).toMatchObject({ ok: false, error: { code: 'duplicate_request' } });
    const end = await waitFor('classify-end', 'cls-1');
    expect(end.error).toBeUndefined();
    runId = end.result!.runId;
    expect(end.result).toEqual({ runId, status: 'completed', counts: { files: 20, classified: 15, failed: 5, skipped: 0, notReached: 0 } });
    const mine = events.filter((e) => e.kind === 'classify' && e.requestId === 'cls-1') as Extract<ProgressEvent, { kind: 'classify' }>[];
    expect(mine[0].progress).toEqual({ phase: 'started', runId });
    expect(mine.some((e) => e.progress.phase === 'reading')).toBe(true);
    // What crosses the progress stream is what the contract says it is.
    for (const e of events) expect(ProgressEventSchema.safeParse(e).error).toBeUndefined();
  });

  it('lists and reads the run without its rows, which it pages, filters and sorts in the engine', async () => {
    const list = await handlers['classify:list']({});
    expect(list[0]).toMatchObject({ id: runId, status: 'completed', experimentId, files: 20, classified: 15, failed: 5 });
    const detail = await handlers['classify:get']({ id: runId });
    expect(contract['classify:get'].output.safeParse(detail).error).toBeUndefined();
    expect(detail).not.toHaveProperty('predictions');
    expect(detail.trueLabels).toEqual(['anger', 'neutral', 'sadness']);
    expect(detail.modelValidation).toMatchObject({ accuracy: expect.any(Number), macroF1: expect.any(Number), protocol: expect.stringContaining('stratified') });

    const page = (q: Record<string, unknown>) => dispatch(handlers, 'classify:predictions', { id: runId, ...q }).then((e) => (e.ok ? (e.result as { total: number; rows: { idx: number; file: string; labelPred: string | null; labelTrue: string | null; confidence: number | null; error: unknown }[] }) : Promise.reject(e.error)));
    const all = await page({ limit: 1000 });
    expect(all.total).toBe(20);
    expect(all.rows.map((r) => r.idx)).toEqual([...Array(20).keys()]);
    const classified = await page({ outcome: 'classified', limit: 1000 });
    expect(classified.total).toBe(15);
    expect(classified.rows.every((r) => r.labelPred !== null && r.error === null)).toBe(true);
    const failed = await page({ outcome: 'failed' });
    expect(failed.rows.map((r) => r.file).sort()).toEqual(['sadness/empty.wav', 'sadness/header-only.wav', 'sadness/not-audio.wav', 'sadness/short.wav', 'sadness/truncated.wav']);
    // Paging: two pages of 8 and 7 make the whole, in the same order.
    const p1 = await page({ outcome: 'classified', limit: 8 });
    const p2 = await page({ outcome: 'classified', limit: 8, offset: 8 });
    expect([...p1.rows, ...p2.rows].map((r) => r.idx)).toEqual(classified.rows.map((r) => r.idx));
    // Filters.
    const label = classified.rows[0].labelPred!;
    const byPred = await page({ predicted: label, limit: 1000 });
    expect(byPred.total).toBe(classified.rows.filter((r) => r.labelPred === label).length);
    const byTrue = await page({ trueLabel: 'neutral', outcome: 'classified', limit: 1000 });
    expect(byTrue.rows.map((r) => r.labelTrue)).toEqual(Array(5).fill('neutral'));
    const confident = await page({ minConfidence: 0.6, limit: 1000 });
    expect(confident.rows.every((r) => (r.confidence ?? 0) >= 0.6)).toBe(true);
    expect(confident.total).toBe(classified.rows.filter((r) => (r.confidence ?? 0) >= 0.6).length);
    // Sorts: failed files (no confidence) last whichever the direction; files by name both ways.
    const byConf = await page({ sort: 'confidence', order: 'desc', limit: 1000 });
    const conf = byConf.rows.slice(0, 15).map((r) => r.confidence!);
    expect(conf).toEqual([...conf].sort((a, b) => b - a));
    expect(byConf.rows.slice(15).every((r) => r.confidence === null)).toBe(true);
    const ascConf = await page({ sort: 'confidence', order: 'asc', limit: 1000 });
    expect(ascConf.rows.slice(15).every((r) => r.confidence === null)).toBe(true);
    const byFile = await page({ sort: 'file', order: 'desc', limit: 1000 });
    expect(byFile.rows.map((r) => r.file)).toEqual(all.rows.map((r) => r.file).sort().reverse());
    expect(await dispatch(handlers, 'classify:predictions', { id: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('exports the run as the CLI writes it, with a file name', async () => {
    const csv = await handlers['classify:export']({ id: runId, format: 'csv' });
    expect(csv).toEqual({ name: `classify-${runId}-predictions.csv`, mime: 'text/csv', content: predictionsCsv(classifyRunResult(ws.db, runId)!) });
    const json = await handlers['classify:export']({ id: runId, format: 'json' });
    expect(json.name).toBe(`classify-${runId}.json`);
    expect(JSON.parse(json.content)).toMatchObject({ runId, counts: { files: 20 } });
    expect(await dispatch(handlers, 'classify:export', { id: 999, format: 'csv' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('answers cancel for a request it does not run, and ends a job whose source is refused with the reason', async () => {
    expect(await handlers['classify:cancel']({ requestId: 'nothing' })).toEqual({ cancelled: false });
    const bad = await dispatch(handlers, 'classify:start', { request: { model: { experimentId }, source: { kind: 'folder', path: '/no/such/folder' } }, requestId: 'cls-missing' });
    expect(bad.ok).toBe(true);
    const end = await waitFor('classify-end', 'cls-missing');
    expect(end.error).toMatchObject({ code: 'source_not_found' });
  });
});

describe('reports over the contract', () => {
  it('writes an experiment report and a classify run report into the workspace, one write per folder at a time', async () => {
    const [a, b] = await Promise.all([
      dispatch(handlers, 'reports:export', { experimentId, lang: 'ru' }),
      dispatch(handlers, 'reports:export', { experimentId, lang: 'ru', format: 'md' }),
    ]);
    expect(a).toMatchObject({ ok: true, result: { folder: `experiment-${experimentId}-ru` } });
    expect(b).toMatchObject({ ok: true, result: { folder: `experiment-${experimentId}-ru` } });
    // The second (Markdown only) ran after the first: the folder holds what it wrote.
    expect(fs.readdirSync(path.join(ws.dir, 'reports', `experiment-${experimentId}-ru`)).sort()).toEqual(['confusion_matrix.png', 'report.md', 'training_curves.png']);
    const cls = await handlers['reports:export']({ classifyRunId: runId, lang: 'en', format: 'both' });
    expect(contract['reports:export'].output.safeParse(cls).error).toBeUndefined();
    expect(cls.files.map((f) => f.path)).toEqual(['report.pdf', 'report.md', 'predicted_classes.png', 'confusion_matrix.png'].map((n) => `classify-${runId}-en/${n}`));
    expect(await dispatch(handlers, 'reports:export', { classifyRunId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  }, 120_000);
});
