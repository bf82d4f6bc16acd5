// End to end: what a researcher does next with recorded runs, in the browser UI through `ser-studio serve`:
// name a run, repeat it with three seeds (grouped in the list with mean ± sd), compare two runs side by side
// (a URL that survives a reload), re-run a run and edit a copy, delete one (its model folder goes too), per-speaker
// accuracy, the row-normalised confusion matrix, sortable run and clip tables; layouts at 1024 and 1920 px.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ExperimentDetail, ExperimentSummary } from '../../src/shared/experiment';
import { DEMO_MANIFEST, openSession, poll, type E2eSession, type Server, callApi, spillsOf } from './harness';

let session: E2eSession;
let server: Server;
let page: Page;
let datasetId: number;
/** A stratified hold-out (named, then repeated with seeds) and a speaker-independent one. */
let strat: ExperimentDetail;
let speaker: ExperimentDetail;

const api = <T>(channel: string, input: unknown): Promise<T> => callApi<T>(server, channel, input);

const list = () => api<ExperimentSummary[]>('experiments:list', {});
const get = (id: number) => api<ExperimentDetail>('experiments:get', { id });

/** Trains through the bridge (setup the UI tests do not need to click through) and waits for the recorded run. */
async function train(requestId: string, request: Record<string, unknown>): Promise<ExperimentDetail> {
  const before = new Set((await list()).map((e) => e.id));
  await api('experiments:start', { requestId, request: { dataset: datasetId, augment: [], copies: 0, epochs: 8, patience: 0, backend: 'cpu', ...request } });
  // Plain polling: expect.poll only runs inside a test, and this runs in beforeAll.
  for (const t0 = Date.now(); Date.now() - t0 < 90_000; await new Promise((r) => setTimeout(r, 200))) {
    const found = (await list()).find((e) => !before.has(e.id) && e.parentId === null);
    if (found && found.status !== 'running') {
      if (found.status !== 'completed') throw new Error(`${requestId}: ${found.status} (${found.error})`);
      return get(found.id);
    }
  }
  throw new Error(`${requestId} did not finish in 90 s`);
}

async function atWidths(name: string) {
  for (const width of [1024, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(200); // charts re-layout on resize
    expect(await nothingSpills(), `${name} at ${width} px`).toEqual([]);
    await session.shot(`${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

const nothingSpills = () => spillsOf(page);

const percentOf = (text: string | null) => Number(/([\d.]+)/.exec(text ?? '')?.[1]);

beforeAll(async () => {
  session = await openSession('ser-e2e-compare-');
  ({ server, page } = session);
  datasetId = (await api<{ id: number }>('datasets:import', { source: DEMO_MANIFEST, name: 'demo' })).id;
  strat = await train('e2e-strat', { seed: 42 });
  speaker = await train('e2e-speaker', { seed: 42, split: { kind: 'speaker', valFraction: 0.25 } });
}, 240_000);

afterAll(() => session?.close());

describe('run actions, seed groups and comparison in the browser UI', () => {
  it('names and annotates a run; the list and its page show it, search finds it', async () => {
    await page.goto(`${server.url}#/experiments/${strat.id}`);
    await page.getByTestId('experiment-page').waitFor();
    await page.getByTestId('annotate').click();
    await page.getByTestId('run-name-input').fill('baseline');
    await page.getByTestId('run-notes-input').fill('reference settings without augmentation');
    await page.getByTestId('save-annotation').click();
    await poll(() => page.getByTestId('experiment-name').textContent()).toBe('baseline');
    expect(await page.getByTestId('run-notes').textContent()).toContain('reference settings without augmentation');
    expect((await get(strat.id)).name).toBe('baseline');
    await page.goto(`${server.url}#/experiments`);
    await poll(() => page.locator(`tr[data-experiment="${strat.id}"] [data-testid="run-name"]`).textContent()).toBe('baseline');
    // Search by name and by id.
    await page.getByTestId('runs-search').fill('baseline');
    await poll(() => page.locator('[data-testid="experiments-table"] tbody tr').count()).toBe(1);
    await page.getByTestId('runs-search').fill(`#${speaker.id}`);
    await poll(() => page.locator(`[data-testid="experiments-table"] tbody tr[data-experiment="${speaker.id}"]`).count()).toBe(1);
    expect(await page.locator('[data-testid="experiments-table"] tbody tr').count()).toBe(1);
  });

  it('repeats a run with three seeds as one queue, followed as a whole, and groups them with mean ± sd', async () => {
    await page.goto(`${server.url}#/experiments/${strat.id}`);
    await page.getByTestId('repeat-seeds').click();
    await page.getByTestId('repeat-count').fill('3');
    // Seed 42 is this run: two new runs.
    await poll(() => page.getByTestId('repeat-plan').textContent()).toMatch(/Seeds 42–44:\s*2 runs queued \(seeds 43, 44\); seed 42 already completed/);
    await session.shot('30-repeat-panel');
    await page.getByTestId('start-seeds').click();
    await page.getByTestId('seed-queue-page').waitFor();
    expect(page.url()).toMatch(/#\/experiments\/seeds\/seeds-[0-9a-f]+$/);
    // Progress of the whole group while it runs: run i of N.
    await poll(() => page.locator('[data-testid="seed-queue-page"] .wrap .label').textContent(), 60_000).toMatch(/Run [12] of 2 · seed 4[34]|Finished/);
    await poll(() => page.locator('[data-testid="queue-status"] [data-status]').getAttribute('data-status'), 120_000).toBe('completed');
    const rows = page.locator('[data-testid="queue-table"] tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-seed'), tr.getAttribute('data-status')]))).toEqual([
      ['42', 'completed'],
      ['43', 'completed'],
      ['44', 'completed'],
    ]);
    expect(await page.getByTestId('queue-summary').textContent()).toMatch(/Mean ± sd over 3 seeds\s*\d+\.\d ± \d+\.\d%/);
    await atWidths('31-seed-queue');

    // The list: one row for the three seeds, with mean ± sd and the spread, the seeds beneath.
    const key = (await get(strat.id)).configKey;
    const group = (await list()).filter((e) => e.configKey === key);
    expect(group.map((e) => e.seed).sort()).toEqual([42, 43, 44]);
    const accs = group.map((e) => e.accuracy!);
    const mean = accs.reduce((a, b) => a + b, 0) / 3;
    const sd = Math.sqrt(accs.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
    await page.goto(`${server.url}#/experiments`);
    const groupRow = page.getByTestId('seed-group');
    await groupRow.waitFor();
    expect(await groupRow.getByTestId('group-seeds').textContent()).toBe('3 seeds');
    expect((await groupRow.getByTestId('group-accuracy').textContent())?.trim()).toMatch(
      new RegExp(`^${(mean * 100).toFixed(1)} ± ${(sd * 100).toFixed(1)}%`),
    );
    expect(await groupRow.getByTestId('group-spread').textContent()).toBe(
      `${(Math.min(...accs) * 100).toFixed(1)}–${(Math.max(...accs) * 100).toFixed(1)}%`,
    );
    await groupRow.getByTestId('toggle-seeds').click();
    await poll(() => page.locator('tr.member').count()).toBe(3);
    expect(await page.locator('tr.member .id a').allTextContents()).toEqual(group.sort((a, b) => a.seed - b.seed).map((e) => `seed ${e.seed} · #${e.id}`));
    await atWidths('32-experiments-list-groups');
    // Each run's page says which group it is in.
    await page.goto(`${server.url}#/experiments/${strat.id}`);
    expect(await page.getByTestId('seed-group-accuracy').textContent()).toMatch(/± /);
  }, 240_000);

  it('sorts and filters the run list', async () => {
    await page.goto(`${server.url}#/experiments`);
    await page.getByTestId('seed-group').waitFor();
    await page.getByTestId('filter-protocol').selectOption('speaker');
    await poll(() => page.locator('[data-testid="experiments-table"] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid="experiments-table"] tbody tr').getAttribute('data-experiment')).toBe(String(speaker.id));
    await page.getByTestId('filter-protocol').selectOption('');
    await page.getByTestId('filter-date').selectOption('today');
    await page.getByTestId('sort-accuracy').click();
    const scores = async () =>
      page.locator('[data-testid="experiments-table"] tbody > tr:not(.member):not(.child)').evaluateAll((trs) =>
        trs.map((tr) => Number(/([\d.]+)/.exec(tr.querySelector('[data-testid="accuracy"], [data-testid="group-accuracy"]')?.textContent ?? '')?.[1])),
      );
    const desc = await scores();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    expect(await page.getByTestId('sort-accuracy').locator('..').getAttribute('aria-sort')).toBe('descending');
    await page.getByTestId('sort-accuracy').click();
    const asc = await scores();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
  });

  it('compares two runs side by side at a URL that survives a reload', async () => {
    await page.goto(`${server.url}#/experiments`);
    await page.getByTestId('seed-group').waitFor();
    await page.getByTestId('runs-search').fill('');
    expect(await page.getByTestId('compare-selected').isDisabled()).toBe(true);
    await page.locator(`tr[data-experiment="${speaker.id}"] [data-testid="select-run"]`).check();
    await page.getByTestId('seed-group').getByTestId('toggle-seeds').click();
    await page.locator(`tr[data-experiment="${strat.id}"] [data-testid="select-run"]`).check();
    expect(await page.getByTestId('selected-count').textContent()).toBe('2 selected');
    await page.getByTestId('compare-selected').click();
    await page.getByTestId('compare-page').waitFor();
    // In the list's order (the group of the stratified run is newer than the speaker run).
    const hash = new URL(page.url()).hash;
    expect(hash).toBe(`#/compare/${strat.id},${speaker.id}`);

    const check = async () => {
      await poll(() => page.locator('[data-testid="compare-metrics-table"] tbody tr[data-metric="accuracy"] td').count()).toBe(2);
      const acc = await page.locator('tr[data-metric="accuracy"] td').allTextContents();
      expect(acc.map(percentOf)).toEqual([strat.accuracy, speaker.accuracy].map((a) => Number((a! * 100).toFixed(1))));
      expect((await page.locator('tr[data-metric="epochs"] td').allTextContents()).map((t) => t.trim())).toEqual(['8', '8']);
      // Per-class F1 as grouped bars: one dataset per run, one category per class.
      await poll(() => page.locator('[data-testid="compare-f1-chart-data"] thead th').count()).toBe(3);
      expect(await page.locator('[data-testid="compare-f1-chart-data"] tbody tr').count()).toBe(7);
      // Validation curves overlaid: both runs on one axis.
      await poll(() => page.locator('[data-testid="compare-acc-chart-data"] thead th').count()).toBe(3);
      // Confusion matrices side by side, row-normalised: every row of shares sums to 1.
      expect(await page.getByTestId('compare-confusion').count()).toBe(2);
      const rowSums = await page.locator('[data-testid="compare-confusion"]').first().locator('tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td.cell')].reduce((a, td) => a + Number(td.getAttribute('data-share')), 0)),
      );
      for (const s of rowSums) expect(s).toBeCloseTo(1, 9);
      expect(await page.locator('[data-testid="compare-confusion"] table').first().getAttribute('data-normalised')).toBe('true');
      // Only the differences: the split.
      expect(await page.locator('[data-testid="compare-config-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key')))).toEqual(['split']);
      await page.getByTestId('only-differences').uncheck();
      expect(await page.locator('[data-testid="compare-config-table"] tbody tr').count()).toBeGreaterThan(10);
      await page.getByTestId('only-differences').check();
      expect(await page.getByTestId('compare-heads').textContent()).toContain('baseline');
    };
    await check();
    await atWidths('33-compare-two');
    await page.reload();
    await page.getByTestId('compare-page').waitFor();
    expect(new URL(page.url()).hash).toBe(hash);
    await check();
  });

  it('compares a seed group with a run: the group is one column of mean ± sd', async () => {
    const group = (await list()).filter((e) => e.configKey === strat.configKey).map((e) => e.id);
    await page.goto(`${server.url}#/experiments`);
    await page.getByTestId('select-group').check();
    await page.locator(`tr[data-experiment="${speaker.id}"] [data-testid="select-run"]`).check();
    await page.getByTestId('compare-selected').click();
    await page.getByTestId('compare-page').waitFor();
    expect(new URL(page.url()).hash.replace('#/compare/', '').split(',').map(Number).sort()).toEqual([...group, speaker.id].sort());
    await poll(() => page.locator('tr[data-metric="accuracy"] td').count()).toBe(2);
    const cells = await page.locator('tr[data-metric="accuracy"] td').allTextContents();
    expect(cells.some((c) => /\d+\.\d ± \d+\.\d%\s*range/.test(c))).toBe(true);
    expect(await page.getByTestId('compare-seeds').textContent()).toBe('3 seeds');
    // Four curves: three seeds and the other run.
    await poll(() => page.locator('[data-testid="compare-acc-chart-data"] thead th').count()).toBe(5);
    await atWidths('34-compare-group');
    // Ungrouped, every run has its column.
    await page.getByTestId('group-seeds').uncheck();
    await poll(() => page.locator('tr[data-metric="accuracy"] td').count()).toBe(4);
  });

  it('shows accuracy per held-out speaker, and the confusion matrix in counts or row shares', async () => {
    await page.goto(`${server.url}#/experiments/${speaker.id}`);
    await page.getByTestId('speaker-table').waitFor();
    const rows = await page.locator('[data-testid="speaker-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')),
    );
    const clips = rows.reduce((a, r) => a + Number(r[1]), 0);
    const right = rows.reduce((a, r) => a + Number(r[2]), 0);
    expect(clips).toBe(speaker.split!.valClips);
    expect(right / clips).toBeCloseTo(speaker.accuracy!, 9);
    for (const r of rows) expect(percentOf(r[3])).toBeCloseTo((100 * Number(r[2])) / Number(r[1]), 0);
    const first = page.locator('[data-testid="confusion-card"] td.cell').first();
    const count = await first.getAttribute('data-count');
    expect(await first.textContent()).toBe(count);
    await page.getByTestId('confusion-normalised').click();
    await poll(() => page.locator('[data-testid="confusion-card"] table').getAttribute('data-normalised')).toBe('true');
    const share = Number(await first.getAttribute('data-share'));
    expect(await first.textContent()).toBe(share === 0 ? '0' : String(Math.round(share * 100)));
    await atWidths('35-experiment-actions');
  });

  it('re-runs a run with the same configuration, and edits a copy in the pre-filled form', async () => {
    await page.goto(`${server.url}#/experiments/${speaker.id}`);
    await page.getByTestId('rerun').click();
    // The run is followed on the live page (tested with it in experiments.e2e); its record is what matters here.
    await page.getByTestId('live-run-page').waitFor();
    expect(page.url()).toMatch(/#\/experiments\/live\/train-[0-9a-f]+$/);
    const rerunOf = async () => (await list()).find((e) => e.parentId === null && e.id > speaker.id && e.configKey === speaker.configKey);
    await poll(async () => (await rerunOf())?.status, 90_000).toBe('completed');
    const again = (await rerunOf())!;
    const rerun = await get(again.id);
    expect(rerun.seed).toBe(42);
    expect(rerun.protocol).toBe(speaker.protocol);
    // Same configuration, same seed: the same numbers.
    expect(rerun.accuracy).toBe(speaker.accuracy);
    expect(rerun.confusion).toEqual(speaker.confusion);

    await page.goto(`${server.url}#/experiments/${speaker.id}`);
    await page.getByTestId('edit-copy').click();
    await page.getByTestId('new-run-page').waitFor();
    expect(new URL(page.url()).hash).toBe(`#/experiments/new?from=${speaker.id}`);
    await poll(() => page.getByTestId('copied-from').textContent()).toContain(`a copy of #${speaker.id}`);
    expect(await page.getByTestId('split-speaker').isChecked()).toBe(true);
    expect(await page.getByTestId('run-val-fraction').inputValue()).toBe('0.25');
    expect(await page.getByTestId('run-epochs').inputValue()).toBe('8');
    expect(await page.getByTestId('run-patience').inputValue()).toBe('0');
    expect(await page.getByTestId('run-backend').inputValue()).toBe('cpu');
    for (const aug of ['noise', 'pitch', 'stretch', 'shift', 'gain']) expect(await page.getByTestId(`aug-${aug}`).isChecked()).toBe(false);
    expect(await page.getByTestId('protocol-preview').textContent()).toContain('speaker-independent hold-out');
    await session.shot('36-edit-copy');
  }, 150_000);

  it('deletes a run after naming what goes, its model folder with it', async () => {
    const victim = (await list()).filter((e) => e.parentId === null && e.configKey === speaker.configKey).sort((a, b) => b.id - a.id)[0];
    expect(victim.id).not.toBe(speaker.id);
    const model = (await get(victim.id)).modelPath!;
    expect(fs.existsSync(model)).toBe(true);
    await page.goto(`${server.url}#/experiments/${victim.id}`);
    await page.getByTestId('delete-run').click();
    await poll(() => page.getByTestId('delete-plan').textContent()).toContain(model);
    expect(await page.getByTestId('delete-plan').textContent()).toContain('1 model folder on disk');
    await session.shot('37-delete-confirm');
    await page.getByTestId('confirm-delete').click();
    await page.getByTestId('experiments-page').waitFor();
    await poll(async () => (await list()).some((e) => e.id === victim.id)).toBe(false);
    expect(fs.existsSync(model)).toBe(false);
    expect(await page.locator(`tr[data-experiment="${victim.id}"]`).count()).toBe(0);
  });

  it('sorts the clip table in the engine', async () => {
    await page.goto(`${server.url}#/datasets/${datasetId}`);
    await page.getByTestId('clips-table').waitFor();
    await page.getByTestId('clip-sort-duration').click();
    // The fifth cell of a row is its duration ("1.52 s").
    const durations = async () =>
      page.locator('[data-testid="clips-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => parseFloat(tr.querySelectorAll('td')[4]?.textContent ?? '')));
    await poll(async () => {
      const d = await durations();
      return d.every((v, i) => i === 0 || v <= d[i - 1]) && d[0] > d[d.length - 1];
    }).toBe(true);
    await page.getByTestId('clip-sort-path').click();
    await poll(async () => {
      const files = await page.locator('[data-testid="clips-table"] tbody tr td.path code').allTextContents();
      return files.join('\n') === [...files].sort().join('\n');
    }).toBe(true);
  });

  it('logged no page errors and no CSP violations', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
