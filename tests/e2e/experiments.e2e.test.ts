// End to end: a training run started from the browser UI through `ser-studio serve`, watched live
// (epoch counter, curves drawn on canvas), its recorded results checked against the demo manifest,
// a second run cancelled, and k-fold / leaky runs shown in the list with their protocol.
import type { ExperimentSummary } from '../../src/shared/experiment';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_MANIFEST, openSession, poll, type E2eSession, type Server, callApi } from './harness';
import { makeFolderDataset, readManifest, type ManifestRow } from './fixtures';

let session: E2eSession;
let server: Server;
let page: Page;
let demoRows: ManifestRow[];
let datasetId: number;
let noSpeakersId: number;
let firstRunId: number;

/** Calls the web bridge directly (setup that the UI test does not need to click through). */
const api = <T>(channel: string, input: unknown): Promise<T> => callApi<T>(server, channel, input);

type ListedExperiment = ExperimentSummary;

/** Share of a canvas's pixels that are not transparent, i.e. what the chart drew. */
const PAINTED = `(canvas) => {
  const ctx = canvas.getContext('2d');
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n / (data.length / 4);
}`;

/** Records every epoch the live view shows, with the loss chart's point count and painted share at that moment. */
const RECORD_LIVE = `(() => {
  const painted = ${PAINTED};
  const seen = { epochs: [], points: [], painted: [], features: [], phases: [] };
  globalThis.liveSeen = seen;
  new MutationObserver(() => {
    const phase = document.querySelector('[data-testid="run-phase"]')?.getAttribute('data-phase');
    if (phase && seen.phases[seen.phases.length - 1] !== phase) seen.phases.push(phase);
    const f = document.querySelector('[data-testid="features-counter"]')?.textContent;
    if (f && seen.features[seen.features.length - 1] !== f) seen.features.push(f);
    const e = Number(document.querySelector('[data-testid="epoch-counter"]')?.getAttribute('data-epoch') ?? 0);
    if (e && seen.epochs[seen.epochs.length - 1] !== e) {
      seen.epochs.push(e);
      const chart = document.querySelector('[data-testid="loss-chart"]');
      seen.points.push(Number(chart?.getAttribute('data-points') ?? 0));
      const canvas = chart?.querySelector('canvas');
      seen.painted.push(canvas ? painted(canvas) : 0);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
})()`;

beforeAll(async () => {
  session = await openSession('ser-e2e-exp-');
  ({ server, page } = session);
  demoRows = readManifest(DEMO_MANIFEST);
  datasetId = (await api<{ id: number }>('datasets:import', { source: DEMO_MANIFEST, name: 'demo' })).id;
  const folder = makeFolderDataset(path.join(session.tmp, 'recordings'));
  noSpeakersId = (await api<{ id: number }>('datasets:import', { source: folder.root, name: 'no-speakers' })).id;
});

afterAll(() => session?.close());

describe('experiments in the browser UI', () => {
  it('offers speaker-independent splits only when the dataset has speakers', async () => {
    await page.goto(`${server.url}#/experiments/new?dataset=${noSpeakersId}`);
    await page.getByTestId('new-run-page').waitFor();
    await poll(() => page.getByTestId('split-speaker').isDisabled()).toBe(true);
    expect(await page.getByTestId('split-speaker-kfold').isDisabled()).toBe(true);
    expect(await page.locator('label.split.disabled').first().textContent()).toContain('unavailable: this dataset has no speaker column');
  });

  it('opens the new-run form from the dataset page', async () => {
    await page.goto(`${server.url}#/datasets/${datasetId}`);
    await page.getByTestId('train-dataset').click();
    await page.getByTestId('new-run-page').waitFor();
    await poll(() => page.getByTestId('run-dataset').inputValue()).toBe(String(datasetId));
    // The demo has a speaker column: speaker-independent splits are offered; leaky needs the stratified split.
    expect(await page.getByTestId('split-speaker').isDisabled()).toBe(false);
    await page.getByTestId('split-speaker').check();
    expect(await page.getByTestId('run-leaky').isDisabled()).toBe(true);
    await page.getByTestId('run-val-fraction').fill('0.25');
    for (const aug of ['noise', 'pitch', 'stretch', 'shift']) await page.getByTestId(`aug-${aug}`).uncheck();
    await page.getByTestId('run-copies').fill('1');
    await page.getByTestId('run-epochs').fill('10');
    await page.getByTestId('run-patience').fill('0');
    await page.getByTestId('run-backend').selectOption('cpu');
    expect(await page.getByTestId('protocol-preview').textContent()).toContain('speaker-independent hold-out');
    await session.shot('10-experiment-new-run-form');
  });

  it('trains live: features, then an epoch counter and curves that grow every epoch', async () => {
    await page.evaluate(RECORD_LIVE);
    await page.getByTestId('start-run').click();
    await page.getByTestId('live-run-page').waitFor();
    await poll(() => page.locator('[data-testid="run-status"] [data-status]').getAttribute('data-status'), 60_000).toBe('completed');
    const seen = (await page.evaluate('globalThis.liveSeen')) as { epochs: number[]; points: number[]; painted: number[]; features: string[]; phases: string[] };
    // Epochs reached the page as they finished, in order, and the chart had one point per epoch each time.
    expect(seen.epochs.length).toBeGreaterThanOrEqual(3);
    expect(seen.epochs.every((e, i) => i === 0 || e > seen.epochs[i - 1])).toBe(true);
    expect(seen.epochs[seen.epochs.length - 1]).toBe(10);
    expect(seen.points).toEqual(seen.epochs);
    expect(Math.max(...seen.painted)).toBeGreaterThan(0.01);
    expect(seen.painted[seen.painted.length - 1]).toBeGreaterThanOrEqual(seen.painted[0]);
    expect(seen.phases).toContain('training');
    // 98 originals + one gain copy per training clip: the feature counter went up to that total.
    expect(seen.features.length).toBeGreaterThan(0);
    const lastFeatures = seen.features[seen.features.length - 1].split(' / ').map(Number);
    expect(lastFeatures[0]).toBe(lastFeatures[1]);
    expect(lastFeatures[1]).toBeGreaterThan(demoRows.length);
    const painted = (await page.evaluate(`(${PAINTED})(document.querySelector('[data-testid="acc-chart"] canvas'))`)) as number;
    expect(painted).toBeGreaterThan(0.01);
  });

  it('shows the final numbers: per-class support and confusion total equal the held-out clips', async () => {
    await page.getByTestId('per-class-table').waitFor();
    const protocol = (await page.getByTestId('protocol').textContent()) ?? '';
    const held = /speakers (.+?) held out/.exec(protocol);
    expect(held, protocol).not.toBeNull();
    const heldOut = new Set(held![1].split(', '));
    const valClips = demoRows.filter((r) => heldOut.has(r.speaker)).length;
    expect(valClips).toBeGreaterThan(0);

    const supports = (await page.locator('[data-testid="per-class-table"] tbody [data-testid="support"]').allTextContents()).map(Number);
    expect(supports.reduce((a, b) => a + b, 0)).toBe(valClips);
    expect(Number(await page.getByTestId('support-total').textContent())).toBe(valClips);
    expect(Number(await page.getByTestId('confusion-total').textContent())).toBe(valClips);
    const cells = (await page.locator('[data-testid="confusion-matrix"] td.cell').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-count'))))) as number[];
    expect(cells.reduce((a, b) => a + b, 0)).toBe(valClips);
    const classes = new Set(demoRows.map((r) => r.label));
    expect(cells.length).toBe(classes.size ** 2);
    expect(Number(await page.getByTestId('val-clips').getAttribute('data-count'))).toBe(valClips);
    // The protocol goes with the numbers, and the reference report's summary lines are there.
    expect(await page.locator('[data-testid="stat-accuracy"] .hint').textContent()).toContain('speaker-independent hold-out');
    expect(await page.getByTestId('top-confusion').textContent()).toMatch(/confusion|No confusions/);
    expect(await page.getByTestId('model-path').textContent()).toMatch(/experiment-\d+/);
    firstRunId = Number(/#(\d+)/.exec((await page.getByTestId('run-experiment').textContent()) ?? '')?.[1]);
    expect(firstRunId).toBeGreaterThan(0);
    await session.shot('11-experiment-live-finished');
  });

  it('lists the run and opens its recorded detail with curves from the database', async () => {
    await page.goto(`${server.url}#/experiments`);
    const row = page.locator(`[data-testid="experiments-table"] tr[data-experiment="${firstRunId}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('completed');
    expect(await row.textContent()).toContain('speaker-independent hold-out');
    await row.locator('a').first().click();
    await page.getByTestId('experiment-page').waitFor();
    await poll(() => page.locator('[data-testid="loss-chart"]').getAttribute('data-points')).toBe('10');
    expect(await page.locator('[data-testid="stat-epochs"] .value').textContent()).toBe('10');
    expect(await page.getByTestId('seed').textContent()).toBe('42');
    expect(await page.locator('[data-testid="config-card"] [data-key="augment"]').textContent()).toBe('gain');
    await page.locator('[data-testid="acc-chart"] canvas').waitFor();
    await session.shot('12-experiment-detail');
  });

  it('cancels a long run from the live view; the list records it as cancelled', async () => {
    await page.goto(`${server.url}#/experiments/new?dataset=${datasetId}`);
    await page.getByTestId('new-run-page').waitFor();
    for (const aug of ['noise', 'pitch', 'stretch', 'shift', 'gain']) await page.getByTestId(`aug-${aug}`).uncheck();
    await page.getByTestId('run-epochs').fill('5000');
    await page.getByTestId('run-patience').fill('0');
    await page.getByTestId('run-backend').selectOption('cpu');
    await page.getByTestId('start-run').click();
    await page.getByTestId('live-run-page').waitFor();
    await poll(() => page.getByTestId('epoch-counter').getAttribute('data-epoch').then(Number)).toBeGreaterThanOrEqual(3);
    expect(await page.locator('[data-testid="run-status"] [data-status]').getAttribute('data-status')).toBe('running');
    await session.shot('13-experiment-live-running');
    // The recorded experiment page follows the same run through the database while it trains.
    const runningId = Number(/#(\d+)/.exec((await page.getByTestId('run-experiment').textContent()) ?? '')?.[1]);
    await page.goto(`${server.url}#/experiments/${runningId}`);
    await page.getByTestId('experiment-page').waitFor();
    expect(await page.locator('[data-testid="experiment-title"] [data-status]').getAttribute('data-status')).toBe('running');
    const pointsNow = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
    await poll(() => page.getByTestId('loss-chart').getAttribute('data-points').then(Number)).toBeGreaterThan(pointsNow);
    await page.getByRole('link', { name: 'Watch live' }).click();
    await page.getByTestId('live-run-page').waitFor();
    await page.getByTestId('cancel-run').click();
    await poll(() => page.locator('[data-testid="run-status"] [data-status]').getAttribute('data-status')).toBe('cancelled');
    await page.getByTestId('cancelled-note').waitFor();
    await session.shot('14-experiment-cancelled');
    const id = Number(/#(\d+)/.exec((await page.getByTestId('cancelled-note').textContent()) ?? '')?.[1]);
    await page.goto(`${server.url}#/experiments`);
    await poll(() => page.locator(`tr[data-experiment="${id}"]`).getAttribute('data-status')).toBe('cancelled');
  });

  it('shows k-fold runs as mean ± sd with their folds, and marks leaky runs', async () => {
    const base = { dataset: datasetId, epochs: 6, patience: 0, backend: 'cpu' };
    // The rows appear once features are extracted; wait for each run to be recorded as completed.
    const finished = async (match: (e: ListedExperiment) => boolean) => {
      await poll(async () => (await api<ListedExperiment[]>('experiments:list', {})).find(match)?.status, 60_000).toBe('completed');
      return (await api<ListedExperiment[]>('experiments:list', {})).find(match)!;
    };
    await api('experiments:start', { requestId: 'e2e-kfold', request: { ...base, split: { kind: 'speaker-kfold', k: 4 }, augment: [], copies: 0 } });
    const parent = await finished((e) => e.parentId === null && e.protocol.startsWith('leave-speakers-out'));
    await api('experiments:start', { requestId: 'e2e-leaky', request: { ...base, leaky: true, augment: ['gain'], copies: 1 } });
    const leaky = await finished((e) => e.leaky);
    const list = await api<ListedExperiment[]>('experiments:list', {});
    expect(list.filter((e) => e.parentId === parent.id)).toHaveLength(4);

    await page.goto(`${server.url}#/experiments?dataset=${datasetId}`);
    const parentRow = page.locator(`tr[data-experiment="${parent.id}"]`);
    await poll(() => parentRow.getAttribute('data-status')).toBe('completed');
    expect(await parentRow.getByTestId('accuracy').textContent()).toMatch(/^\d+\.\d ± \d+\.\d%$/);
    await parentRow.getByTestId('toggle-folds').click();
    await poll(() => page.locator('tr.child').count()).toBe(4);
    expect(await page.locator(`tr[data-experiment="${leaky.id}"] [data-testid="leaky-badge"]`).count()).toBe(1);
    await session.shot('15-experiments-list');

    await page.goto(`${server.url}#/experiments/${leaky.id}`);
    await page.getByTestId('per-class-table').waitFor();
    expect(await page.getByTestId('leaky-badge').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('protocol').textContent()).toContain('LEAKY');
    await session.shot('17-experiment-leaky');

    await page.goto(`${server.url}#/experiments/${parent.id}`);
    await page.getByTestId('folds-table').waitFor();
    expect(await page.locator('[data-testid="folds-table"] tbody tr').count()).toBe(4);
    expect(await page.locator('[data-testid="stat-accuracy"] .value').textContent()).toMatch(/±/);
    expect(Number(await page.getByTestId('confusion-total').textContent())).toBe(demoRows.length);
    // One validation curve per fold, read from each fold's own record.
    await poll(() => page.locator('[data-testid="fold-acc-chart-data"] thead th').count()).toBe(5);
    await session.shot('16-experiment-kfold');
  });

  it('shows a cross-validation cancelled in fold 2 of 3 as incomplete, scored on its completed fold only', async () => {
    await api('experiments:start', {
      requestId: 'e2e-kfold-cancel',
      request: { dataset: datasetId, epochs: 300, patience: 0, backend: 'cpu', split: { kind: 'kfold', k: 3 }, augment: [], copies: 0 },
    });
    const list = () => api<ListedExperiment[]>('experiments:list', {});
    // Cancel once the second fold is training.
    await poll(async () => (await list()).some((e) => e.parentId !== null && e.fold === 1 && e.status === 'running' && e.epochs >= 1), 150_000).toBe(true);
    await api('experiments:cancel', { requestId: 'e2e-kfold-cancel' });
    const isRun = (e: ListedExperiment) => e.parentId === null && e.protocol.startsWith('stratified 3-fold');
    await poll(async () => (await list()).find(isRun)?.status, 60_000).toBe('cancelled');
    const parent = (await list()).find(isRun)!;
    expect(parent).toMatchObject({ status: 'cancelled', folds: { k: 3, completed: 1 }, accuracySd: null });
    const fold0 = (await list()).find((e) => e.parentId === parent.id && e.fold === 0)!;

    await page.goto(`${server.url}#/experiments?dataset=${datasetId}`);
    const row = page.locator(`tr[data-experiment="${parent.id}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('cancelled');
    expect((await row.getByTestId('status-badge').textContent())?.trim()).toBe('Incomplete: 1 of 3 folds (cancelled)');
    // One fold has no spread: its score alone, no "± 0.0".
    expect(await row.getByTestId('accuracy').textContent()).toBe(`${((fold0.accuracy ?? 0) * 100).toFixed(1)}%`);

    await page.goto(`${server.url}#/experiments/${parent.id}`);
    await page.getByTestId('folds-table').waitFor();
    expect(await page.locator('[data-testid="stat-accuracy"] .value').textContent()).not.toMatch(/±/);
    expect(await page.locator('[data-testid="stat-accuracy"] .hint').textContent()).toBe('1 of 3 folds completed: no sd from one fold');
    const fold0Detail = await api<{ split: { valClips: number } }>('experiments:get', { id: fold0.id });
    expect(Number(await page.getByTestId('support-total').textContent())).toBe(fold0Detail.split.valClips);
    expect(Number(await page.getByTestId('confusion-total').textContent())).toBe(fold0Detail.split.valClips);
    await session.shot('18-experiment-kfold-incomplete');
  }, 180_000);

  it('logged no page errors and no CSP violations', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
