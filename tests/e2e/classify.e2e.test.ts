// End to end: a folder classified from the browser UI through `ser-studio serve` (the demo corpus with broken
// files, a stray text file and a label the model does not know), watched to the end, its results read back
// (a row per readable file, failures with their reasons, accuracy and the confusion matrix), the table filtered,
// sorted and played, the CSV downloaded, both reports exported; a long run left, followed from the list, and
// cancelled; screenshots at 1024 and 1920 px.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_MANIFEST, ROOT, openSession, poll, type E2eSession, type Server, callApi, spillsOf } from './harness';
import { readManifest, type ManifestRow } from './fixtures';
import { wavBytes, writeWav } from './wav';

let session: E2eSession;
let server: Server;
let page: Page;
let demoRows: ManifestRow[];
let experimentId: number;
let folder: string;
let runId: number;
/** Files of the folder that are audio and readable, and those that are broken (file -> expected code). */
let readable: string[];
const broken: Record<string, string> = { 'anger/empty.wav': 'empty', 'sadness/truncated.wav': 'truncated' };

const api = <T>(channel: string, input: unknown): Promise<T> => callApi<T>(server, channel, input);

/** The folder to classify: the demo corpus as sub-folders per label, two broken WAVs, a text file and tones of an unknown label. */
function makeClassifyFolder(root: string): string[] {
  const files: string[] = [];
  for (const r of demoRows) {
    const rel = `${r.label}/${path.basename(r.path)}`;
    fs.mkdirSync(path.join(root, r.label), { recursive: true });
    fs.copyFileSync(path.join(path.dirname(DEMO_MANIFEST), r.path), path.join(root, rel));
    files.push(rel);
  }
  fs.mkdirSync(path.join(root, 'boredom'), { recursive: true });
  for (let i = 1; i <= 2; i++) {
    writeWav(path.join(root, 'boredom', `tone-${i}.wav`), { seconds: 0.8, freq: 150 + 30 * i, seed: 40 + i });
    files.push(`boredom/tone-${i}.wav`);
  }
  fs.writeFileSync(path.join(root, 'anger', 'empty.wav'), Buffer.alloc(0));
  const whole = wavBytes({ seconds: 0.8, freq: 100, seed: 99 });
  fs.writeFileSync(path.join(root, 'sadness', 'truncated.wav'), whole.subarray(0, Math.floor(whole.length / 3)));
  fs.writeFileSync(path.join(root, 'neutral', 'notes.txt'), 'session notes, not audio\n');
  return files.sort();
}

/** Many new recordings (not in the feature cache): a run long enough to leave, follow and cancel. */
function makeLongFolder(root: string, n: number): void {
  fs.mkdirSync(root, { recursive: true });
  for (let i = 0; i < n; i++) writeWav(path.join(root, `take-${String(i).padStart(3, '0')}.wav`), { seconds: 3, freq: 110 + (i % 40) * 4, seed: 1000 + i });
}

const rowsOf = (p: Page) =>
  p.locator('[data-testid="predictions-table"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      idx: Number(tr.getAttribute('data-idx')),
      file: tr.getAttribute('data-file') ?? '',
      pred: tr.getAttribute('data-pred') ?? '',
      truth: tr.getAttribute('data-true') ?? '',
      confidence: Number(tr.getAttribute('data-confidence')),
    })),
  );

async function atWidths(name: string) {
  for (const width of [1024, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150); // charts re-layout on resize
    await session.shot(`${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

const nothingSpills = () => spillsOf(page);

/** A range input moved as a user dragging it would leave it. */
const setRange = (value: string) =>
  page.getByTestId('filter-confidence').evaluate((el, v) => {
    const input = el as unknown as { value: string; dispatchEvent(e: unknown): boolean };
    input.value = v;
    input.dispatchEvent(new (globalThis as unknown as { Event: new (t: string, o: object) => unknown }).Event('input', { bubbles: true }));
  }, value);

/** A link's absolute URL on the bridge. */
const hrefOf = async (selector: ReturnType<Page['locator']>) => new URL((await selector.getAttribute('href'))!, server.origin).href;

beforeAll(async () => {
  session = await openSession('ser-e2e-classify-');
  ({ server, page } = session);
  demoRows = readManifest(DEMO_MANIFEST);
  const datasetId = (await api<{ id: number }>('datasets:import', { source: DEMO_MANIFEST, name: 'demo' })).id;
  await api('experiments:start', { requestId: 'e2e-model', request: { dataset: datasetId, epochs: 12, patience: 0, backend: 'cpu', augment: [], copies: 0 } });
  // The model: a short run on the demo set (the experiments e2e test trains from the UI; here it is setup).
  const deadline = Date.now() + 150_000;
  let listed: { id: number; status: string }[] = [];
  while ((listed = await api<{ id: number; status: string }[]>('experiments:list', {}))[0]?.status !== 'completed') {
    if (Date.now() > deadline || (listed[0] && listed[0].status !== 'running')) throw new Error(`the model did not train: ${JSON.stringify(listed[0])}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  experimentId = listed[0].id;
  folder = path.join(session.tmp, 'to-classify');
  readable = makeClassifyFolder(folder);
}, 180_000);

afterAll(() => session?.close());

describe('classify in the browser UI', () => {
  it('offers completed experiments and a path field (the browser has no folder picker)', async () => {
    await page.goto(`${server.url}#/datasets`);
    await page.getByRole('link', { name: 'Classify', exact: true }).first().click();
    await page.getByTestId('classify-page').waitFor();
    await poll(() => page.getByTestId('classify-model').inputValue()).toBe(String(experimentId));
    expect(await page.getByRole('button', { name: 'Choose folder…' }).count()).toBe(0);
    expect(await page.getByTestId('classify-start').isDisabled()).toBe(true);
    await page.getByTestId('classify-source').fill(folder);
    await page.getByTestId('classify-backend').selectOption('cpu');
    expect(await page.getByTestId('classify-start').isDisabled()).toBe(false);
    await atWidths('20-classify-form');
  });

  it('classifies the folder and shows the run until it ends', async () => {
    await page.getByTestId('classify-start').click();
    await page.getByTestId('classify-run-page').waitFor();
    runId = Number(/#\/classify\/(\d+)/.exec(page.url())?.[1]);
    expect(runId).toBeGreaterThan(0);
    await poll(() => page.locator('[data-testid="classify-status"] [data-status]').getAttribute('data-status'), 90_000).toBe('completed');
    await page.getByTestId('predictions-table').waitFor();
  });

  it('has a row for every readable file, the broken ones with their reasons, and the skipped text file', async () => {
    await page.locator('[data-testid="predictions-card"] select[aria-label="Rows per page"]').selectOption('250');
    await poll(async () => (await rowsOf(page)).length).toBe(readable.length);
    expect((await rowsOf(page)).map((r) => r.file).sort()).toEqual(readable);
    expect(await page.locator('[data-testid="stat-files"] .value').textContent()).toBe(String(readable.length + 2));
    expect(await page.locator('[data-testid="stat-failed"] .value').textContent()).toBe('2');
    const failed = await page.locator('[data-testid="failed-table"] tbody tr').evaluateAll((trs) =>
      Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-file'), tr.getAttribute('data-code')])),
    );
    expect(failed).toEqual(broken);
    expect(await page.locator('[data-testid="failed-table"] tr[data-file="anger/empty.wav"] .reason').textContent()).toMatch(/empty/);
    expect(await page.locator('[data-testid="skipped-table"] tbody tr').getAttribute('data-file')).toBe('neutral/notes.txt');
  });

  it('scores the labelled files: accuracy, a confusion matrix over them, and the unknown label apart', async () => {
    expect(await page.locator('[data-testid="stat-accuracy"] .value').textContent()).toMatch(/^\d+\.\d%$/);
    // The demo clips are labelled with the model's classes; the two tones' label (boredom) is not one of them.
    expect(Number(await page.getByTestId('confusion-total').textContent())).toBe(demoRows.length);
    expect(await page.getByTestId('unknown-labels').textContent()).toContain('boredom');
    // Every clip is one of the model's own dataset, some of them its training clips: said plainly.
    expect(await page.getByTestId('corpus-note').getAttribute('data-relation')).toBe('partly-same-corpus');
    expect(await page.getByTestId('run-notice').first().textContent()).toMatch(/clips this model was trained on/);
    const bars = await page.locator('[data-testid="predicted-chart-data"] tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.querySelector('td')?.textContent)));
    expect(bars.reduce((a, b) => a + b, 0)).toBe(readable.length);
    await atWidths('21-classify-run');
    for (const width of [1024, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(300); // chart.js resizes its canvas on the next animation frames
      expect(await nothingSpills(), `at ${width}px`).toEqual([]);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('filters by predicted and true label and by confidence, and sorts', async () => {
    const all = await rowsOf(page);
    const label = all[0].pred;
    await page.getByTestId('filter-predicted').selectOption(label);
    await poll(async () => (await rowsOf(page)).every((r) => r.pred === label)).toBe(true);
    expect((await rowsOf(page)).length).toBe(all.filter((r) => r.pred === label).length);
    await page.getByTestId('filter-predicted').selectOption('');
    await page.getByTestId('filter-true').selectOption('sadness');
    await poll(async () => (await rowsOf(page)).map((r) => r.truth)).toEqual(all.filter((r) => r.truth === 'sadness').map(() => 'sadness'));
    await page.getByTestId('filter-true').selectOption('');
    await setRange('0.5');
    await poll(() => page.getByTestId('filter-confidence-value').textContent()).toBe('50%');
    await poll(async () => (await rowsOf(page)).length).toBe(all.filter((r) => r.confidence >= 0.5).length);
    expect((await rowsOf(page)).every((r) => r.confidence >= 0.5)).toBe(true);
    await setRange('0');
    await page.getByTestId('sort-confidence').click();
    await poll(async () => {
      const c = (await rowsOf(page)).map((r) => r.confidence);
      return c.length === all.length && c.every((v, i) => i === 0 || v <= c[i - 1]);
    }).toBe(true);
    await page.getByTestId('sort-file').click();
    await poll(async () => (await rowsOf(page)).map((r) => r.file)).toEqual([...readable].sort());
    await page.getByTestId('sort-file').click();
    await poll(async () => (await rowsOf(page)).map((r) => r.file)).toEqual([...readable].sort().reverse());
  });

  it('plays a classified file through its own audio route', async () => {
    const first = (await rowsOf(page))[0];
    await page.getByTestId('play-prediction').first().click();
    const audio = page.getByTestId('clip-audio');
    await poll(() => audio.getAttribute('data-clip-id')).toBe(`${runId}:${first.idx}`);
    type Media = { readyState: number; error: { code: number } | null; currentTime: number; ended: boolean; currentSrc: string };
    await poll(() => audio.evaluate((el) => ({ ready: (el as unknown as Media).readyState >= 2, error: (el as unknown as Media).error?.code ?? 0 }))).toEqual({ ready: true, error: 0 });
    await poll(() => audio.evaluate((el) => (el as unknown as Media).currentTime > 0 || (el as unknown as Media).ended)).toBe(true);
    const src = await audio.evaluate((el) => (el as unknown as Media).currentSrc);
    expect(src).toMatch(new RegExp(`/classified/${runId}/${first.idx}\\?token=`));
    // A failed (unreadable) file of the run is not served, nor is a row that does not exist.
    const failedIdx = (await api<{ rows: { idx: number }[] }>('classify:predictions', { id: runId, outcome: 'failed' })).rows[0].idx;
    expect((await fetch(`${server.origin}/classified/${runId}/${failedIdx}?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${server.origin}/classified/${runId}/9999?token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${server.origin}/classified/${runId}/${first.idx}`)).status).toBe(401);
  });

  it('exports the predictions as a CSV download', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toBe(`classify-${runId}-predictions.csv`);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^file,label_pred,confidence,p_anger,p_disgust,.*,label_true,error,error_message$/);
    // One row per audio file: the readable ones and the two that failed (with an empty prediction).
    expect(lines.length - 1).toBe(readable.length + 2);
    expect(lines.find((l) => l.startsWith('anger/empty.wav,'))).toMatch(/,empty,/);
  });

  it("exports the classify run's own report in English: files listed, the PDF link answers with a PDF", async () => {
    await page.getByTestId('report-lang').selectOption('en');
    await page.getByTestId('export-report').click();
    await page.getByTestId('report-files').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('report-files').getAttribute('data-folder')).toBe(`classify-${runId}-en`);
    const names = await page.getByTestId('report-file-link').evaluateAll((as) => as.map((a) => a.getAttribute('data-name')));
    expect(names).toEqual(['report.pdf', 'report.md', 'predicted_classes.png', 'confusion_matrix.png']);
    for (const name of names) expect(fs.existsSync(path.join(session.tmp, 'workspace', 'reports', `classify-${runId}-en`, name!))).toBe(true);
    const pdf = await fetch(await hrefOf(page.getByTestId('report-open-pdf')));
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const md = await fetch(await hrefOf(page.locator('[data-testid="report-file-link"][data-name="report.md"]')));
    expect(await md.text()).toMatch(/^# Batch classification report\n/);
    // The link downloads the file in the browser.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="report-file-link"][data-name="report.md"]').click()]);
    expect(download.suggestedFilename()).toBe('report.md');
    await atWidths('22-classify-run-report');
  });

  it("exports the experiment's report in Russian from the experiment page", async () => {
    await page.goto(`${server.url}#/experiments/${experimentId}`);
    await page.getByTestId('experiment-page').waitFor();
    await page.getByTestId('report-lang').selectOption('ru');
    await page.getByTestId('export-report').click();
    await page.getByTestId('report-files').waitFor({ timeout: 60_000 });
    const dir = path.join(session.tmp, 'workspace', 'reports', `experiment-${experimentId}-ru`);
    expect(fs.readdirSync(dir).sort()).toEqual(['confusion_matrix.png', 'report.md', 'report.pdf', 'training_curves.png']);
    expect(fs.readFileSync(path.join(dir, 'report.md'), 'utf8')).toMatch(/^# Отчёт об обучении модели классификации эмоций\n/);
    const href = await hrefOf(page.getByTestId('report-open-pdf'));
    const pdf = await fetch(href);
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    // Without the token, or outside the reports folder, nothing is served.
    expect((await fetch(href.replace(/\?token=.*/, ''))).status).toBe(401);
    expect((await fetch(`${server.origin}/reports/..%2fser-studio.sqlite?token=${server.token}`)).status).toBe(404);
    await atWidths('23-experiment-report');
  });

  it('follows a long run from the list after leaving its page, and cancels it', async () => {
    const long = path.join(session.tmp, 'long');
    makeLongFolder(long, 300);
    await page.goto(`${server.url}#/classify?experiment=${experimentId}`);
    await poll(() => page.getByTestId('classify-model').inputValue()).toBe(String(experimentId));
    await page.getByTestId('classify-source').fill(long);
    await page.getByTestId('classify-backend').selectOption('cpu');
    await page.getByTestId('classify-start').click();
    await page.getByTestId('classify-run-page').waitFor();
    const longId = Number(/#\/classify\/(\d+)/.exec(page.url())?.[1]);
    await page.getByTestId('classify-progress').waitFor();
    // Leave the page: the list shows the run as running, with its progress from this window's store.
    await page.getByRole('link', { name: 'Classify', exact: true }).first().click();
    const row = page.locator(`[data-testid="classify-runs-table"] tr[data-run="${longId}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('running');
    await row.getByTestId('run-live-progress').waitFor();
    await poll(() => row.getByTestId('run-live-progress').textContent(), 60_000).toMatch(/Extracting features: [1-9]/);
    await atWidths('24-classify-list-running');
    for (const width of [1024, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await nothingSpills(), `list at ${width}px`).toEqual([]);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    // Come back: the page shows the live progress (files, clips/s, ETA) and cancels the run.
    await row.locator('a').first().click();
    await page.getByTestId('classify-progress').waitFor();
    await poll(() => page.getByTestId('classify-phase').getAttribute('data-phase')).toBe('features');
    expect(await page.getByTestId('classify-progress').textContent()).toMatch(/clips\/s/);
    await page.getByTestId('classify-cancel').click();
    await poll(() => page.locator('[data-testid="classify-status"] [data-status]').getAttribute('data-status'), 60_000).toBe('cancelled');
    await page.getByTestId('classify-unfinished').waitFor();
    const classified = Number(await page.locator('[data-testid="stat-classified"] .value').textContent());
    expect(classified).toBeLessThan(300);
    expect(await page.getByTestId('corpus-note').getAttribute('data-relation')).toBe('cross-corpus');
    await session.shot('25-classify-cancelled');
    await page.getByRole('link', { name: 'Classify', exact: true }).first().click();
    await poll(() => page.locator(`tr[data-run="${longId}"]`).getAttribute('data-status')).toBe('cancelled');
  }, 180_000);

  it('logged no page errors and no CSP violations', () => {
    expect(session.pageErrors).toEqual([]);
    expect(ROOT).toBeTruthy();
  });
});
