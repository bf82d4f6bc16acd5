// End to end: a run followed as a new user would, through `ser-studio serve` in Chromium. Started from the form, it
// is listed at once with its stage, followed again after leaving its page and after a reload (the chart refilled
// from the stored epochs, then growing), cancelled from its experiment page; the sidebar's running indicator
// appears and goes. A run cancelled while extracting features is listed and recorded so. The import form warns
// when a name exists. Every page is photographed at 1024 and 1920 px and checked for spilled or cut content.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_MANIFEST, openSession, poll, type E2eSession, type Server, callApi } from './harness';
import { makeFolderDataset } from './fixtures';

let session: E2eSession;
let server: Server;
let page: Page;
let datasetId: number;
let runId = 0;

const api = <T>(channel: string, input: unknown): Promise<T> => callApi<T>(server, channel, input);

/** Starts a run through the bridge and waits for its end; its experiment's id. */
async function trainToEnd(request: object): Promise<number> {
  const requestId = `e2e-${Date.now()}`;
  await api('experiments:start', { request, requestId });
  for (;;) {
    const job = (await api<{ requestId: string; ended: string | null; experimentId: number | null }[]>('jobs:list', {})).find((j) => j.requestId === requestId);
    if (job?.ended) return job.experimentId!;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const epochNow = () => page.getByTestId('epoch-counter').getAttribute('data-epoch').then(Number);
const lossPoints = () => page.getByTestId('loss-chart').getAttribute('data-points').then(Number);
const jobItems = () => page.locator('[data-testid="jobs-indicator"] [data-testid="job-item"]');

/** Fills the new-run form for a run of `epochs` epochs on the pure-JS backend. */
async function fillRun(opts: { epochs: number; augment: string[]; copies?: number; seed?: number }) {
  await page.goto(`${server.url}#/experiments/new?dataset=${datasetId}`);
  await page.getByTestId('new-run-page').waitFor();
  await poll(() => page.getByTestId('run-dataset').inputValue()).toBe(String(datasetId));
  for (const aug of ['noise', 'pitch', 'stretch', 'shift', 'gain']) {
    if (opts.augment.includes(aug)) await page.getByTestId(`aug-${aug}`).check();
    else await page.getByTestId(`aug-${aug}`).uncheck();
  }
  if (opts.copies !== undefined) await page.getByTestId('run-copies').fill(String(opts.copies));
  if (opts.seed !== undefined) await page.getByTestId('run-seed').fill(String(opts.seed));
  await page.getByTestId('run-epochs').fill(String(opts.epochs));
  await page.getByTestId('run-patience').fill('0');
  await page.getByTestId('run-backend').selectOption('cpu');
}

/**
 * What does not fit: a table or chart wider than its card (or its scroller), text cut without an ellipsis, heading
 * and subtitle boxes that overlap, and a page wider than the window.
 */
const LAYOUT_PROBLEMS = `(() => {
  const bad = [];
  const visible = (el) => { const s = getComputedStyle(el); return s.display !== 'none' && s.visibility !== 'hidden' && el.getClientRects().length > 0; };
  for (const card of document.querySelectorAll('section.card')) {
    if (!visible(card)) continue;
    const box = card.getBoundingClientRect();
    const name = card.getAttribute('data-testid') || card.querySelector('h2')?.textContent;
    for (const el of card.querySelectorAll('table, canvas, .chart')) {
      if (!visible(el)) continue;
      const scroller = el.closest('.scroll');
      const r = (scroller ?? el).getBoundingClientRect();
      if (r.right > box.right + 1) bad.push(name + ': ' + el.tagName + ' ends at ' + Math.round(r.right) + ' > ' + Math.round(box.right));
      if (scroller && scroller.scrollWidth > scroller.clientWidth + 1) bad.push(name + ': ' + el.tagName + ' needs ' + scroller.scrollWidth + 'px in ' + scroller.clientWidth + 'px');
    }
  }
  for (const el of document.querySelectorAll('main h1, main h2, main .subtitle, main button, main th, main td, main dd, main dt, main label, main small, nav a span')) {
    if (!visible(el)) continue;
    const style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis' || style.overflowX === 'visible' && style.overflowY === 'visible') continue;
    if (el.scrollWidth > el.clientWidth + 1) bad.push('cut: ' + el.tagName + ' "' + el.textContent.trim().slice(0, 50) + '" ' + el.scrollWidth + ' > ' + el.clientWidth);
  }
  for (const header of document.querySelectorAll('main header, main .header')) {
    const kids = [...header.querySelectorAll(':scope > *, :scope > div > *')].filter(visible).map((k) => [k, k.getBoundingClientRect()]);
    for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) {
      const [ka, a] = kids[i], [kb, b] = kids[j];
      if (ka.contains(kb) || kb.contains(ka)) continue;
      const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
      if (overlap) bad.push('overlap: "' + ka.textContent.trim().slice(0, 30) + '" / "' + kb.textContent.trim().slice(0, 30) + '"');
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) bad.push('page is ' + document.documentElement.scrollWidth + 'px wide');
  const main = document.querySelector('main');
  if (main && main.scrollWidth > main.clientWidth + 1) bad.push('main scrolls sideways: ' + main.scrollWidth + ' > ' + main.clientWidth);
  return bad;
})()`;

/** Photographs the page at 1024 and 1920 px and expects nothing spilled, cut or overlapping at either width. */
async function atWidths(name: string) {
  for (const width of [1024, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(250); // charts re-lay themselves out on resize
    await session.shot(`${name}-${width}`);
    expect(await page.evaluate(LAYOUT_PROBLEMS), `${name} at ${width} px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

beforeAll(async () => {
  session = await openSession('ser-e2e-live-');
  ({ server, page } = session);
  datasetId = (await api<{ id: number }>('datasets:import', { source: DEMO_MANIFEST, name: 'demo' })).id;
});

afterAll(() => session?.close());

describe('a run followed across pages, reloads and windows', () => {
  it('is listed at once with its stage, and the sidebar shows it running', async () => {
    await fillRun({ epochs: 5000, augment: [] });
    await page.getByTestId('start-run').click();
    await page.getByTestId('live-run-page').waitFor();
    await jobItems().first().waitFor();
    expect(await jobItems().count()).toBe(1);
    await poll(() => page.getByTestId('run-experiment').textContent(), 60_000).toMatch(/#\d+/);
    runId = Number(/#(\d+)/.exec((await page.getByTestId('run-experiment').textContent()) ?? '')![1]);
    // The plan: every clip's features, no copies; the held-out part named before the first epoch.
    expect(await page.getByTestId('plan-features').textContent()).toContain('98 clips, no augmented copies');
    expect(await page.getByTestId('held-out').textContent()).toMatch(/20 validation clips, 78 training clips/);
    await poll(epochNow, 60_000).toBeGreaterThanOrEqual(3);
    await session.shot('live-01-running');

    // To the list (as a user would, through the sidebar): the run is there, running, with its stage.
    await page.locator('nav a[href="#/experiments"]').click();
    const row = page.locator(`[data-testid="experiments-table"] tr[data-experiment="${runId}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('running');
    await poll(() => row.getByTestId('run-stage').textContent()).toMatch(/^epoch \d+ \/ 5,000$/);
    expect(await page.getByTestId('experiments-page').textContent()).not.toContain('No experiments yet');
    await session.shot('live-02-list-running');

    // And back: still followed, still growing.
    await page.goBack();
    await page.getByTestId('live-run-page').waitFor();
    const before = await epochNow();
    await poll(epochNow).toBeGreaterThan(before);
    expect(await page.getByTestId('live-run-page').textContent()).not.toContain('not followed');
  });

  it('is followed again after a reload: the chart is refilled from the stored epochs and keeps growing', async () => {
    const seen = await epochNow();
    await page.reload();
    await page.getByTestId('live-run-page').waitFor();
    // Refilled at once to at least what was drawn before the reload, then live.
    await poll(lossPoints).toBeGreaterThanOrEqual(seen);
    const refilled = await lossPoints();
    await poll(lossPoints).toBeGreaterThan(refilled);
    await poll(epochNow).toBeGreaterThanOrEqual(refilled);
    expect(await page.locator('[data-testid="run-status"] [data-status]').getAttribute('data-status')).toBe('running');
    expect(await jobItems().count()).toBe(1);
  });

  it('follows live on its experiment page (any page of the run) and is cancelled from there', async () => {
    await jobItems().first().click();
    await page.getByTestId('experiment-page').waitFor();
    expect(page.url()).toContain(`#/experiments/${runId}`);
    expect(await page.locator('[data-testid="experiment-title"] [data-status]').getAttribute('data-status')).toBe('running');
    await poll(lossPoints).toBeGreaterThan(2);
    const points = await lossPoints();
    await poll(lossPoints).toBeGreaterThan(points);
    // A running run has no results yet: no "0 validation clips", no empty report.
    expect(await page.getByTestId('experiment-page').textContent()).not.toMatch(/\b0 validation clips/);
    expect(await page.getByTestId('per-class-card').count()).toBe(0);
    await atWidths('live-03-experiment-running');
    await page.getByTestId('cancel-run').click();
    await poll(() => page.locator('[data-testid="experiment-title"] [data-status]').getAttribute('data-status')).toBe('cancelled');
    expect(await page.locator('[data-testid="experiment-title"] [data-status]').textContent()).toContain('Cancelled');
    // The indicator goes with the run.
    await poll(() => jobItems().count()).toBe(0);
    expect(await page.getByTestId('jobs-indicator').count()).toBe(0);
    await session.shot('live-04-experiment-cancelled');
  });

  it('follows a cross-validation started elsewhere: its fold, held-out speakers and finished folds while the next trains', async () => {
    // Started through the bridge, as another window would: this page never saw it start.
    const requestId = `cv-${Date.now()}`;
    await api('experiments:start', { request: { dataset: datasetId, split: { kind: 'speaker-kfold', k: 2 }, augment: [], copies: 0, epochs: 150, patience: 0, backend: 'cpu' }, requestId });
    await page.goto(`${server.url}#/experiments/live/${requestId}`);
    await page.getByTestId('live-run-page').waitFor();
    await poll(() => page.getByTestId('held-out').textContent(), 60_000).toMatch(/^Fold 1|speakers? [\w-]+(, [\w-]+)* held out/);
    expect(await page.locator('[data-testid="run-plan"] dt').allTextContents()).toContain('Fold 1');
    const fold1 = page.locator('[data-testid="live-folds"] tr[data-fold="0"] [data-status]');
    await poll(async () => `${await fold1.getAttribute('data-status').catch(() => null)} / ${await page.locator('[data-testid="run-status"] [data-status]').getAttribute('data-status')}`, 120_000).toBe('completed / running');
    // The fold's row ends before the next fold's first epoch names it: the plan line follows then.
    await poll(() => page.locator('[data-testid="run-plan"] dt').allTextContents(), 60_000).toContain('Fold 2');
    await session.shot('live-16-cv-second-fold');
    await page.getByTestId('cancel-run').click();
    await poll(() => page.locator('[data-testid="run-status"] [data-status]').textContent()).toContain('Incomplete: 1 of 2 folds (cancelled)');
    await page.getByTestId('cancelled-note').waitFor();
    expect(await page.getByTestId('cancelled-note').textContent()).toContain('(1 of 2 folds completed)');
  });

  it('lists a run that extracts features, and records it cancelled at that stage', async () => {
    // Copies never extracted before (a new seed draws new augmentations): the features take a while.
    await fillRun({ epochs: 20, augment: ['noise', 'pitch', 'stretch'], copies: 12, seed: 4242 });
    await page.getByTestId('start-run').click();
    await page.getByTestId('live-run-page').waitFor();
    await poll(() => page.getByTestId('run-phase').getAttribute('data-phase'), 60_000).toBe('features');
    expect(await page.getByTestId('plan-features').textContent()).toMatch(/98 clips \+ \d+ augmented copies/);
    const id = Number(/#(\d+)/.exec((await page.getByTestId('run-experiment').textContent()) ?? '')![1]);
    await page.locator('nav a[href="#/experiments"]').click();
    const row = page.locator(`[data-testid="experiments-table"] tr[data-experiment="${id}"]`);
    await poll(() => row.getByTestId('run-stage').getAttribute('data-stage')).toBe('features');
    await poll(() => row.getByTestId('run-stage').textContent()).toMatch(/^features [\d,]+ \/ [\d,]+$/);
    await atWidths('live-05-list-features');
    await row.locator('a').first().click();
    await page.getByTestId('experiment-page').waitFor();
    await page.getByTestId('cancel-run').click();
    await poll(() => page.locator('[data-testid="experiment-title"] [data-status]').getAttribute('data-status')).toBe('cancelled');
    expect(await page.getByTestId('ended-why').textContent()).toBe('cancelled by the user while extracting features');
    await page.locator('nav a[href="#/experiments"]').click();
    await poll(() => row.getAttribute('data-status')).toBe('cancelled');
    expect(await row.getByTestId('run-stage').textContent()).toBe('while extracting features');
  });
});

describe('the new-run form', () => {
  it('shows invalid values at their field as they are typed, and no impossible value in the summary', async () => {
    await page.goto(`${server.url}#/experiments/new?dataset=${datasetId}`);
    await page.getByTestId('new-run-page').waitFor();
    await page.getByTestId('run-epochs').fill('-1');
    await page.getByTestId('run-batch').fill('100000');
    await page.getByTestId('run-val-fraction').fill('1.5');
    expect(await page.getByTestId('error-epochs').textContent()).toBe('Epochs must be a whole number from 1 to 10000.');
    expect(await page.getByTestId('error-batchSize').textContent()).toBe('Batch size must be a whole number from 1 to 65536.');
    expect(await page.getByTestId('error-valFraction').textContent()).toBe('Validation fraction must be a number > 0 and < 1.');
    const summary = (await page.getByTestId('summary-training').textContent())!.replace(/\s+/g, ' ').trim();
    expect(summary).toBe('≤ — epochs · patience 10 · batch — · lr 0.001');
    expect(await page.getByTestId('protocol-preview').textContent()).toBe('stratified hold-out (the validation fraction to fix)');
    expect(await page.getByTestId('new-run-page').textContent()).not.toMatch(/-50\/150|≤ -1/);
    await atWidths('live-15-new-run-invalid');
    await page.getByTestId('run-epochs').fill('');
    expect(await page.getByTestId('error-epochs').textContent()).toMatch(/^Epochs must be/);
    await page.getByTestId('run-epochs').fill('30');
    expect(await page.getByTestId('error-epochs').count()).toBe(0);
  });
});

describe('the import form', () => {
  it('warns that a name exists, says why Import is disabled, and clears a stale error', async () => {
    await page.goto(`${server.url}#/datasets`);
    await page.getByTestId('import-panel').waitFor();
    expect(await page.getByTestId('import-submit').isDisabled()).toBe(true);
    expect(await page.getByTestId('import-why').textContent()).toContain('Type the path of a folder or a CSV manifest');
    await page.getByTestId('import-source').fill('/no/such/folder');
    await page.getByTestId('import-name').fill('gone');
    const errorsBefore = session.pageErrors.length;
    await page.getByTestId('import-submit').click();
    await poll(() => page.getByTestId('import-error').count()).toBe(1);
    // The refused call is the page's only console error meanwhile (the bridge answers 404: no such folder).
    expect(session.pageErrors.splice(errorsBefore)).toEqual(['console: Failed to load resource: the server responded with a status of 404 (Not Found)']);
    // Editing the form clears the error of the last attempt.
    await page.getByTestId('import-source').fill(DEMO_MANIFEST);
    expect(await page.getByTestId('import-error').count()).toBe(0);
    await page.getByTestId('import-name').fill('demo');
    await poll(() => page.getByTestId('name-exists').count()).toBe(1);
    expect(await page.getByTestId('name-exists').textContent()).toContain('A dataset named “demo” exists');
    await page.getByTestId('import-name').fill('');
    expect(await page.getByTestId('import-submit').isDisabled()).toBe(true);
    expect(await page.getByTestId('import-why').textContent()).toContain('Name the dataset');
    await page.getByTestId('import-name').fill('demo-2');
    expect(await page.getByTestId('name-exists').count()).toBe(0);
    expect(await page.getByTestId('import-submit').isDisabled()).toBe(false);
    await atWidths('live-06-datasets-import');
  });
});

describe('every page at 1024 and 1920 px', () => {
  it('fits: no table spilling out of its card, no cut text', async () => {
    const folder = makeFolderDataset(path.join(session.tmp, 'recordings'));
    await api('datasets:import', { source: folder.root, name: 'a dataset with a rather long name for its table' });
    // A completed speaker-independent run, for the pages of a finished run.
    const completed = await trainToEnd({ dataset: datasetId, split: { kind: 'speaker', valFraction: 0.25 }, augment: ['gain'], copies: 1, epochs: 8, patience: 0, backend: 'cpu' });
    await page.goto(`${server.url}#/experiments/${completed}`);
    await page.getByTestId('per-class-card').waitFor();
    await atWidths('live-12-experiment-completed');
    await page.goto(`${server.url}#/datasets/${datasetId}`);
    await page.getByTestId('duration-chart').waitFor();
    await atWidths('live-07-dataset');
    await page.goto(`${server.url}#/experiments/new?dataset=${datasetId}`);
    await page.getByTestId('new-run-page').waitFor();
    await atWidths('live-08-new-run');
    await page.goto(`${server.url}#/experiments`);
    await page.getByTestId('experiments-table').waitFor();
    await atWidths('live-09-experiments');
    await page.goto(`${server.url}#/experiments/${runId}`);
    await page.getByTestId('experiment-page').waitFor();
    await atWidths('live-10-experiment-cancelled');
    // A classification of the generated folder with that run's model, for the classify pages.
    const requestId = `cls-${Date.now()}`;
    await api('classify:start', { request: { model: { experimentId: completed }, source: { kind: 'folder', path: folder.root }, backend: 'cpu' }, requestId });
    let classifyRun = 0;
    await poll(async () => {
      const job = (await api<{ requestId: string; ended: string | null; classifyRunId: number | null }[]>('jobs:list', {})).find((j) => j.requestId === requestId);
      classifyRun = job?.classifyRunId ?? 0;
      return job?.ended ?? null;
    }, 120_000).toBe('completed');
    await page.goto(`${server.url}#/classify`);
    await page.getByTestId('classify-runs-card').waitFor();
    await atWidths('live-11-classify');
    await page.goto(`${server.url}#/classify/${classifyRun}`);
    await page.getByTestId('classify-run-page').waitFor();
    await page.getByTestId('export-csv').waitFor();
    await atWidths('live-13-classify-run');
    await page.goto(`${server.url}#/datasets`);
    await page.getByTestId('datasets-card').waitFor();
    await atWidths('live-14-datasets');
  });

  it('left no error in the page', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
