// End to end: `ser-studio serve` on a fresh workspace, the built renderer in Debian's Chromium.
// Imports two datasets through the UI, opens one, reads the charts' numbers, filters and plays clips.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_MANIFEST, openSession, poll, type E2eSession, type Server } from './harness';
import { countBy, makeDemoCopy, makeFolderDataset, readManifest, type DemoCopy, type GeneratedFolder, type ManifestRow } from './fixtures';
import { writeWav } from './wav';

// The root tsconfig has no DOM lib; these are the few DOM shapes the page-side callbacks touch.
interface AudioLike {
  readyState: number;
  error: { code: number } | null;
  duration: number;
  currentSrc: string;
  currentTime: number;
  ended: boolean;
}
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

let session: E2eSession;
let tmp: string;
let server: Server;
let page: Page;
let folder: GeneratedFolder;
let demoRows: ManifestRow[];
let broken: DemoCopy;
let brokenRunId: number;

/** Reads a chart's fallback table: category -> first dataset's value. */
async function chartValues(testid: string): Promise<Record<string, number>> {
  const rows = await page.locator(`[data-testid="${testid}-data"] tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [tr.getAttribute('data-category') ?? '', Number(tr.querySelector('td')?.textContent ?? 'NaN')] as const),
  );
  return Object.fromEntries(rows);
}

/** Imports through the form; returns the report and every progress label the bar showed meanwhile. */
async function importThroughUi(source: string, name: string) {
  await page.goto(`${server.url}#/datasets`);
  await page.getByTestId('import-source').fill(source);
  await page.getByTestId('import-name').fill(name);
  // Progress is transient: record the bar's states as they happen rather than racing to see them.
  await page.evaluate(() => {
    const seen: string[] = [];
    (globalThis as unknown as { progressSeen: string[] }).progressSeen = seen;
    const doc = (globalThis as unknown as { document: { body: unknown; querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document;
    const Observer = (globalThis as unknown as { MutationObserver: new (cb: () => void) => { observe(t: unknown, o: object): void } }).MutationObserver;
    new Observer(() => {
      const bar = doc.querySelector('[role="progressbar"]');
      const label = bar?.getAttribute('aria-valuenow');
      if (label != null && seen[seen.length - 1] !== label) seen.push(label);
    }).observe(doc.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.getByTestId('import-submit').click();
  const report = page.getByTestId('import-report');
  await report.waitFor({ timeout: 60_000 });
  const progress = await page.evaluate(() => (globalThis as unknown as { progressSeen: string[] }).progressSeen.map(Number));
  return { report, progress };
}

beforeAll(async () => {
  session = await openSession('ser-e2e-');
  ({ tmp, server, page } = session);
  demoRows = readManifest(DEMO_MANIFEST);
  folder = makeFolderDataset(path.join(tmp, 'recordings'));
});

afterAll(() => session?.close());

describe('datasets in the browser UI', () => {
  it('shows the app shell with the workspace from app:info', async () => {
    await page.goto(server.url);
    await poll(() => page.getByTestId('workspace-path').textContent()).toBe(path.join(tmp, 'workspace'));
    expect(await page.getByTestId('app-version').textContent()).toMatch(/SER Studio v\d+\.\d+\.\d+/);
    await poll(() => page.getByTestId('datasets-card').textContent()).toContain('No datasets');
    await session.shot('01-empty-workspace');
  });

  it('imports a generated folder from a path and reports the unreadable files', async () => {
    const { report } = await importThroughUi(folder.root, 'generated');
    const expectedClips = Object.values(folder.classes).reduce((a, b) => a + b, 0);
    expect(await report.getByTestId('report-clips').textContent()).toBe(String(expectedClips));
    expect(await report.getByTestId('report-errors').textContent()).toBe(`${folder.badFiles.length} errors`);
    const errorFiles = await report.locator('[data-testid="issues-table"] tbody tr td:first-child').allTextContents();
    expect(errorFiles.sort()).toEqual([...folder.badFiles].sort());
    const dupFiles = await report.locator('[data-testid="duplicates-table"] code').allTextContents();
    for (const f of folder.duplicateFiles) expect(dupFiles).toContain(f);
    for (const [label, n] of Object.entries(folder.classes)) {
      expect(await report.locator(`[data-label="${label}"] .count`).textContent()).toBe(String(n));
    }
    await session.shot('02-import-folder-report');
  });

  it('imports the demo manifest with progress and lists both datasets', async () => {
    const importEvents: { requestId: string; phase: string; done: number; total: number }[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', (frame) => {
        if (typeof frame.payload === 'string') importEvents.push(JSON.parse(frame.payload));
      }),
    );
    await page.goto('about:blank');
    const { report, progress } = await importThroughUi(DEMO_MANIFEST, 'demo');
    // The engine streamed import progress over the WebSocket, and the page drew it as a moving bar.
    expect(importEvents.some((e) => e.phase === 'probe' && e.total === demoRows.length)).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((v, i) => i === 0 || v >= progress[i - 1])).toBe(true);
    expect(await report.getByTestId('report-clips').textContent()).toBe(String(demoRows.length));
    expect(await report.getByTestId('report-errors').textContent()).toBe('0 errors');
    const names = await page.locator('[data-testid="datasets-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => tr.getAttribute('data-dataset')),
    );
    expect(names.sort()).toEqual(['demo', 'generated']);
    await session.shot('03-datasets-list');
  });

  it('opens the demo dataset: real numbers and charts', async () => {
    await page.getByTestId('open-imported').click();
    await page.getByTestId('dataset-page').waitFor();
    await page.locator('[data-testid="class-chart"] canvas').waitFor();
    expect(await page.getByTestId('dataset-name').textContent()).toBe('demo');
    expect(await page.locator('[data-testid="stat-clips"] .value').textContent()).toBe(String(demoRows.length));

    const expectedClasses = countBy(demoRows, (r) => r.label);
    expect(await chartValues('class-chart')).toEqual(expectedClasses);
    const histogram = await chartValues('duration-chart');
    expect(Object.values(histogram).reduce((a, b) => a + b, 0)).toBe(demoRows.length);

    const expectedSpeakers = countBy(demoRows, (r) => r.speaker);
    expect(await page.locator('[data-testid="stat-speakers"] .value').textContent()).toBe(String(Object.keys(expectedSpeakers).length));
    const speakerTotals = await page.locator('[data-testid="speaker-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('td')?.textContent ?? '', Number(tr.querySelector('td:last-child')?.textContent)] as const),
    );
    expect(Object.fromEntries(speakerTotals)).toEqual(expectedSpeakers);

    // The canvas really drew bars: some pixels differ from the blank background.
    const painted = await page.locator('[data-testid="class-chart"] canvas').evaluate((el) => {
      const c = el as CanvasLike;
      const ctx = c.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n / (data.length / 4);
    });
    expect(painted).toBeGreaterThan(0.02);
    await session.shot('04-dataset-demo');
  });

  it('filters the clip table by label and speaker', async () => {
    const label = 'sadness';
    const speaker = demoRows.find((r) => r.label === label)!.speaker;
    await page.getByTestId('filter-label').selectOption(label);
    const expectedLabel = demoRows.filter((r) => r.label === label).length;
    await poll(() => page.getByTestId('pager-range').textContent()).toContain(`of ${expectedLabel}`);
    const labels = await page.locator('[data-testid="clips-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-label')));
    expect(new Set(labels)).toEqual(new Set([label]));

    await page.getByTestId('filter-speaker').selectOption(speaker);
    const expectedBoth = demoRows.filter((r) => r.label === label && r.speaker === speaker);
    await poll(() => page.locator('[data-testid="clips-table"] tbody tr').count()).toBe(expectedBoth.length);
    const rows = await page.locator('[data-testid="clips-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => `${tr.getAttribute('data-label')}/${tr.getAttribute('data-speaker')}`),
    );
    expect(new Set(rows)).toEqual(new Set([`${label}/${speaker}`]));
  });

  it('plays a clip through the audio route', async () => {
    await page.getByTestId('play-clip').first().click();
    const audio = page.getByTestId('clip-audio');
    const mediaState = () => audio.evaluate((el) => ({ ready: (el as AudioLike).readyState >= 2, error: (el as AudioLike).error?.code ?? 0 }));
    await poll(mediaState).toEqual({ ready: true, error: 0 });
    const state = await audio.evaluate((el) => ({ duration: (el as AudioLike).duration, src: (el as AudioLike).currentSrc }));
    expect(Number.isFinite(state.duration) && state.duration > 0.3).toBe(true);
    expect(state.src).toMatch(/\/audio\/\d+\?token=/);
    // Playback advances (the clip is at least 0.6 s long).
    await poll(() => audio.evaluate((el) => (el as AudioLike).currentTime > 0 || (el as AudioLike).ended)).toBe(true);
    await session.shot('05-dataset-filtered-playing');
  });

  it('shows the import errors of the generated dataset on its page', async () => {
    await page.goto(`${server.url}#/datasets`);
    await page.locator('[data-dataset="generated"] a').click();
    await page.getByTestId('dataset-page').waitFor();
    await page.locator('[data-testid="errors-card"] [data-testid="issues-table"]').waitFor();
    const files = await page.locator('[data-testid="errors-card"] tbody tr td:first-child').allTextContents();
    expect(files.sort()).toEqual([...folder.badFiles].sort());
    expect(await chartValues('class-chart')).toEqual(folder.classes);
    await session.shot('06-dataset-generated-errors');
  });

  it('re-scans a changed source in place', async () => {
    const before = Number(await page.locator('[data-testid="stat-clips"] .value').textContent());
    writeWav(path.join(folder.root, 'neutral', 'neutral_new.wav'), { seconds: 0.7, freq: 130, seed: 77 });
    fs.rmSync(path.join(folder.root, 'neutral', 'notes.txt'));
    await page.getByRole('button', { name: 'Re-scan source' }).click();
    await poll(() => page.getByRole('status').textContent()).toContain('1 added');
    await poll(() => page.locator('[data-testid="stat-clips"] .value').textContent()).toBe(String(before + 1));
    expect(await page.locator('[data-testid="stat-errors"] .value').textContent()).toBe(String(folder.badFiles.length - 1));
    expect((await chartValues('class-chart')).neutral).toBe(folder.classes.neutral + 1);
  });

  it('keeps the dataset on screen when a re-scan fails, under an error of its own', async () => {
    const moved = `${folder.root}-moved`;
    fs.renameSync(folder.root, moved);
    const errorsBefore = session.pageErrors.length;
    try {
      const clips = await page.locator('[data-testid="stat-clips"] .value').textContent();
      await page.getByRole('button', { name: 'Re-scan source' }).click();
      const alert = page.getByRole('alert');
      await poll(() => alert.textContent()).toContain('Could not re-scan the dataset');
      expect(await alert.textContent()).toContain('no such file or folder');
      expect(await alert.textContent()).not.toContain('Could not load');
      expect(await page.locator('[data-testid="stat-clips"] .value').textContent()).toBe(clips);
      expect(await page.getByRole('status').count()).toBe(0); // the earlier "Re-scanned: …" note is gone
      await session.shot('07-rescan-failed');
      // the failed call itself (the bridge answers 404 source_not_found) is the one console error expected
      const during = session.pageErrors.splice(errorsBefore);
      expect(during.every((e) => /status of 404/.test(e)), during.join('\n')).toBe(true);
    } finally {
      fs.renameSync(moved, folder.root);
    }
  });

  it('imports a copy of the demo with a zero-byte and a NaN file: the report lists the file it refused, with its code', async () => {
    broken = makeDemoCopy(DEMO_MANIFEST, path.join(tmp, 'demo-broken'), { broken: true });
    const { report } = await importThroughUi(broken.root, 'broken');
    expect(await report.getByTestId('report-clips').textContent()).toBe(String(broken.clips));
    const rows = await report.locator('[data-testid="issues-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ file: tr.querySelector('td:first-child')?.textContent ?? '', code: tr.querySelector('td:nth-child(2)')?.textContent ?? '' })),
    );
    expect(rows).toEqual(broken.refused);
    await session.shot('08a-import-broken-report');
  });

  it('trains on it: the run lists the clip it left out and says its numbers are without it', async () => {
    await page.getByTestId('open-imported').click();
    await page.getByTestId('dataset-page').waitFor();
    await page.getByTestId('train-dataset').click();
    await page.getByTestId('new-run-page').waitFor();
    for (const aug of ['noise', 'pitch', 'stretch', 'shift', 'gain']) await page.getByTestId(`aug-${aug}`).uncheck();
    await page.getByTestId('run-epochs').fill('3');
    await page.getByTestId('run-patience').fill('0');
    await page.getByTestId('run-backend').selectOption('cpu');
    await page.getByTestId('start-run').click();
    await page.getByTestId('live-run-page').waitFor();
    await poll(() => page.locator('[data-testid="run-status"] [data-status]').getAttribute('data-status'), 90_000).toBe('completed');
    brokenRunId = Number(/#(\d+)/.exec((await page.getByTestId('run-experiment').textContent()) ?? '')?.[1]);
    expect(brokenRunId).toBeGreaterThan(0);

    await page.goto(`${server.url}#/experiments/${brokenRunId}`);
    await page.getByTestId('experiment-page').waitFor();
    const left = broken.leftOut!;
    await poll(() => page.getByTestId('skipped-note').textContent()).toContain('These numbers are without 1 clip of the dataset that the run left out');
    expect(await page.locator('[data-testid="skipped-card"] h2').textContent()).toBe('1 clip left out');
    const rows = page.locator('[data-testid="skipped-row"]');
    expect(await rows.count()).toBe(1);
    const cells = (await rows.first().locator('td').allTextContents()).map((c) => c.trim());
    expect(cells.slice(0, 3)).toEqual([left.file, left.label, left.code]);
    expect(cells[3]).toContain('NaN or infinite sample values');
    // The link in the note brings the list into view.
    await page.getByTestId('skipped-note').getByRole('button').click();
    await poll(() => page.getByTestId('skipped-card').isVisible()).toBe(true);
    expect(await page.getByTestId('dataset-changed').count()).toBe(0);
    await session.shot('08b-experiment-skipped-clips');
  });

  it('asks before replacing the dataset with another folder of the same name, names what it replaces, then replaces it', async () => {
    const other = makeDemoCopy(DEMO_MANIFEST, path.join(tmp, 'demo-other'), { perLabel: 8 });
    await page.goto(`${server.url}#/datasets`);
    const errorsBefore = session.pageErrors.length;
    const ask = async () => {
      await page.getByTestId('import-source').fill(other.root);
      await page.getByTestId('import-name').fill('broken');
      await page.getByTestId('import-submit').click();
      await page.getByTestId('replace-confirm').waitFor({ timeout: 60_000 });
    };
    await ask();
    const text = (await page.getByTestId('replace-text').textContent()) ?? '';
    expect(text).toContain(`imported from ${broken.root} (${broken.clips} clips)`);
    expect(text).toContain(`Importing ${other.root} under this name replaces its clips`);
    expect(await page.getByTestId('import-report').count()).toBe(0);
    await session.shot('08c-import-replace-confirm');
    // Cancel leaves the dataset as it was.
    await page.getByTestId('import-replace-cancel').click();
    expect(await page.getByTestId('replace-confirm').count()).toBe(0);
    expect(await page.locator('[data-dataset="broken"]').textContent()).toContain(String(broken.clips));

    await page.getByTestId('import-source').fill('');
    await ask();
    await page.getByTestId('import-replace').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.getByTestId('report-clips').textContent()).toBe(String(other.clips));
    expect(await report.getByTestId('report-errors').textContent()).toBe('0 errors');
    // the two refusals (the bridge answers 409 dataset_exists) are the console errors expected
    const during = session.pageErrors.splice(errorsBefore);
    expect(during.length).toBe(2);
    expect(during.every((e) => /status of 409/.test(e)), during.join('\n')).toBe(true);

    // The run trained on the clips the dataset had then, and now says so.
    await page.goto(`${server.url}#/experiments/${brokenRunId}`);
    await page.getByTestId('experiment-page').waitFor();
    const note = page.getByTestId('dataset-changed');
    await poll(() => note.textContent()).toContain('has changed since this run trained');
    const then = await note.getByTestId('dataset-hash-then').getAttribute('title');
    const now = await note.getByTestId('dataset-hash-now').getAttribute('title');
    expect(then).toMatch(/^[0-9a-f]{64}$/);
    expect(now).toMatch(/^[0-9a-f]{64}$/);
    expect(now).not.toBe(then);
    await session.shot('08d-experiment-dataset-changed');
  });

  it('logged no page errors and no CSP violations', () => {
    expect(session.pageErrors).toEqual([]);
  });

  it('refuses API calls without the token', async () => {
    const probe = await session.context.newPage();
    await probe.goto(`${server.origin}/`);
    const status = await probe.evaluate(async () => {
      const noToken = await fetch('/api/datasets:list', { method: 'POST', body: '{}' });
      const wrong = await fetch('/api/datasets:list', { method: 'POST', body: '{}', headers: { Authorization: 'Bearer nope' } });
      const audio = await fetch('/audio/1');
      return [noToken.status, wrong.status, audio.status];
    });
    expect(status).toEqual([401, 401, 401]);
    await probe.close();
  });
});
