// End to end: the window in Russian. The language is switched in the header, every page is walked (datasets,
// a dataset, its explorer, the experiments list, the new-run form, a live run, a run's page, two runs compared,
// the classify page and a classify run) and on each the visible text is read: no catalogue key shown raw, and no
// English word outside an allowlist (the dataset's labels and speakers, file names and paths, and the terms the
// Russian catalogues keep on purpose). The choice survives a reload; switching back to English works.
// Screenshots at 1024 and 1920 px in both languages (test-results/e2e/4x-*.png).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_MANIFEST, openSession, poll, type E2eSession, type Server, callApi } from './harness';
import { readManifest } from './fixtures';
import { wavBytes, writeWav } from './wav';

// The server keeps the chosen language in the user's settings.json: this test's goes to a scratch folder, never
// the real one (nor another test's).
const configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-e2e-i18n-config-'));
process.env.XDG_CONFIG_HOME = configHome;

let session: E2eSession;
let server: Server;
let page: Page;
let datasetId: number;
let experimentId: number;
let secondId: number;
let classifyRunId: number;
const demoRows = readManifest(DEMO_MANIFEST);

const api = <T>(channel: string, input: unknown): Promise<T> => callApi<T>(server, channel, input);

/** Waits (plain polling: expect.poll only runs inside a test) until `done` returns a value. */
async function until<T>(what: string, done: () => Promise<T | undefined>, timeoutMs = 150_000): Promise<T> {
  for (const t0 = Date.now(); Date.now() - t0 < timeoutMs; await new Promise((r) => setTimeout(r, 250))) {
    const value = await done();
    if (value !== undefined) return value;
  }
  throw new Error(`${what} did not happen in ${timeoutMs / 1000} s`);
}

async function train(requestId: string, request: Record<string, unknown>): Promise<number> {
  const before = new Set((await api<{ id: number }[]>('experiments:list', {})).map((e) => e.id));
  await api('experiments:start', { requestId, request: { dataset: datasetId, augment: [], copies: 0, epochs: 8, patience: 0, backend: 'cpu', ...request } });
  return until(requestId, async () => {
    const found = (await api<{ id: number; parentId: number | null; status: string }[]>('experiments:list', {})).find((e) => !before.has(e.id) && e.parentId === null);
    if (found && found.status !== 'running' && found.status !== 'completed') throw new Error(`${requestId}: ${found.status}`);
    return found?.status === 'completed' ? found.id : undefined;
  });
}

/** The folder classified: demo clips per label, a label the model does not know, a broken WAV and a text file. */
function makeClassifyFolder(root: string): void {
  for (const r of demoRows.slice(0, 40)) {
    fs.mkdirSync(path.join(root, r.label), { recursive: true });
    fs.copyFileSync(path.join(path.dirname(DEMO_MANIFEST), r.path), path.join(root, r.label, path.basename(r.path)));
  }
  fs.mkdirSync(path.join(root, 'boredom'), { recursive: true });
  writeWav(path.join(root, 'boredom', 'tone-1.wav'), { seconds: 0.8, freq: 180, seed: 41 });
  const whole = wavBytes({ seconds: 0.8, freq: 100, seed: 99 });
  fs.writeFileSync(path.join(root, demoRows[0].label, 'truncated.wav'), whole.subarray(0, Math.floor(whole.length / 3)));
  fs.writeFileSync(path.join(root, demoRows[0].label, 'notes.txt'), 'session notes, not audio\n');
}

/**
 * Latin words a Russian page may show. Data: the dataset's labels, speakers and name, the unknown label of the
 * classified folder, a corpus named as an example. Names: the product and its command, backends, formats, hashes,
 * feature blocks, the components of a run's versions record. Terms the Russian catalogues keep as the field (and
 * the reference report) writes them: metric and report names, Keras's log names, train/val, seed, patience, dropout,
 * activation names, the manifest's column names, #id.
 */
const ALLOWED = new Set([
  ...demoRows.flatMap((r) => [r.label, r.speaker]),
  'demo',
  'boredom',
  'emodb',
  'EmoDB',
  // the feature presets' names and a block's name (the extended preset's explanation)
  'reference-166',
  'extended',
  'RMS',
  'pYIN',
  'F0',
  'SER',
  'Studio',
  'ser-studio',
  'serve',
  'auto',
  'tensorflow',
  'wasm',
  'cpu',
  'JS',
  'CSV',
  'JSON',
  'PDF',
  'Markdown',
  'SHA-256',
  'sha256',
  'RAVDESS',
  'MFCC',
  'chroma',
  'mel',
  'tonnetz',
  'librosa',
  'PCA',
  'PC1',
  'PC2',
  'app',
  'node',
  'backend',
  'features',
  'tfjs',
  'MLP',
  'relu',
  'tanh',
  'elu',
  'sigmoid',
  'softmax',
  'Macro',
  'macro',
  'Weighted',
  'avg',
  'F1',
  'F1-score',
  'Precision',
  'Recall',
  'Support',
  'Classification',
  'report',
  'Loss',
  'loss',
  'val_loss',
  'acc',
  'val_acc',
  'train',
  'val',
  'seed',
  'Seed',
  'Patience',
  'patience',
  'Dropout',
  'dropout',
  'lr',
  'sd',
  'k-fold',
  'SNR',
  'Pitch-shift',
  'Time-stretch',
  'path',
  'label',
  'speaker',
  'id',
  'UTC',
]);

/** Visible text and what is read aloud or shown on hover, outside data (translate="no"), code and the engine's English sentences (lang="en"). */
const READ_TEXT = `(() => {
  const skip = (el) => el.closest('[translate="no"], [lang="en"], code, kbd, samp, pre, script, style, canvas, svg');
  const visible = (el) => {
    if (el.tagName === 'OPTION' || el.tagName === 'OPTGROUP') { const s = el.closest('select'); return !!s && s.checkVisibility(); }
    return el.checkVisibility({ visibilityProperty: true });
  };
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = (n.textContent || '').trim();
    if (text && el && !skip(el) && visible(el)) out.push(text);
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
    if (skip(el) || !visible(el)) continue;
    for (const a of ['title', 'aria-label', 'placeholder', 'alt']) { const v = el.getAttribute(a); if (v) out.push(v); }
  }
  return { texts: out, all: document.body.innerText };
})()`;

/**
 * Data that is not language: paths and file names ("/tmp/x/anger", "anger_01_en-us-m.wav"), hashes ("10ed16fc4a21…")
 * and versions ("librosa-0.11-v2", "v0.1.0").
 */
const DATA = /\S*[\\/]\S*|\S+\.(?:wav|csv|json|md|pdf|png|txt|mp3|flac|ogg)\b|\b[0-9a-f]{8,}\b|\S*\d+\.\d+\S*/gi;

async function untranslated(): Promise<{ keys: string[]; english: string[] }> {
  const { texts, all } = (await page.evaluate(READ_TEXT)) as { texts: string[]; all: string };
  const keys = [...new Set([...texts, all].flatMap((t) => t.match(/\b(?:ui|common|report)\.[a-z][\w.]*/g) ?? []))];
  const english = new Set<string>();
  for (const text of texts) {
    for (const token of text.replace(DATA, ' ').match(/[A-Za-z][A-Za-z0-9_’'-]*/g) ?? []) {
      const word = token.replace(/[-’']+$/, ''); // "CSV-манифест"
      if (word.length > 1 && !ALLOWED.has(word)) english.add(`${word} ← “${text.slice(0, 120)}”`);
    }
  }
  return { keys, english: [...english] };
}

/**
 * Text that overflows its own box (a label wider than its button or select, a placeholder wider than its field) or
 * a control that sticks out of its card (a row of fields too wide for it): clipped or overlapping text.
 */
const OVERFLOWS = `(() => {
  const bad = [];
  for (const card of document.querySelectorAll('section.card')) {
    const box = card.getBoundingClientRect();
    for (const el of card.querySelectorAll('button, input, select, label, h2, .subtitle')) {
      if (!el.checkVisibility() || el.closest('.scroll')) continue;
      const r = el.getBoundingClientRect();
      if (r.right > box.right + 1) bad.push(card.getAttribute('data-testid') + ': ' + el.tagName.toLowerCase() + ' "' + (el.textContent || '').trim().slice(0, 40) + '" ends at ' + Math.round(r.right) + ' > ' + Math.round(box.right));
    }
  }
  for (const el of document.querySelectorAll('button, a.button, th, label, legend, h1, h2, h3, .pill, .tag, .stat .label, .stat .hint, dt, dd, select')) {
    if (!el.checkVisibility()) continue;
    const style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis') continue; // truncated on purpose, the whole text in its title
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) bad.push(el.tagName.toLowerCase() + ' "' + (el.textContent || '').trim().slice(0, 60) + '": ' + el.scrollWidth + 'px in ' + el.clientWidth + 'px');
  }
  const ctx = document.createElement('canvas').getContext('2d');
  for (const el of document.querySelectorAll('input[placeholder]')) {
    // A path example may be cut at its end (the folder field's two examples at 1024 px, in either language).
    if (!el.checkVisibility() || el.value || /^[\\/~]/.test(el.placeholder)) continue;
    const style = getComputedStyle(el);
    ctx.font = style.font;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (ctx.measureText(el.placeholder).width > room + 1) bad.push('placeholder "' + el.placeholder + '" cut: ' + Math.round(ctx.measureText(el.placeholder).width) + 'px in ' + Math.round(room) + 'px');
  }
  for (const scroller of document.querySelectorAll('section.card .scroll')) {
    if (scroller.checkVisibility() && scroller.scrollWidth > scroller.clientWidth + 1) bad.push(scroller.closest('section.card').getAttribute('data-testid') + ': a table needs ' + scroller.scrollWidth + 'px in ' + scroller.clientWidth + 'px');
  }
  if (document.documentElement.scrollWidth > window.innerWidth) bad.push('page is ' + document.documentElement.scrollWidth + 'px wide');
  return bad;
})()`;

/** Waits for the page's data: its test id, then no "Загрузка…"/"Loading…" left. */
async function open(hash: string, testid: string, ready?: string) {
  await page.goto(`${server.url}${hash}`);
  await page.getByTestId(testid).waitFor();
  if (ready) await page.locator(ready).first().waitFor({ timeout: 90_000 });
  await poll(() => page.evaluate('document.body.innerText') as Promise<string>).not.toMatch(/Загрузка|Loading/);
}

async function atWidths(name: string) {
  const problems: string[] = [];
  for (const width of [1024, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(250); // charts re-layout on resize
    problems.push(...((await page.evaluate(OVERFLOWS)) as string[]).map((p) => `${width}px: ${p}`));
    await session.shot(`${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  return problems;
}

const htmlLang = () => page.evaluate('document.documentElement.lang') as Promise<string>;
const pressed = (lang: string) => page.getByTestId(`language-${lang}`).getAttribute('aria-pressed');

beforeAll(async () => {
  session = await openSession('ser-e2e-i18n-');
  ({ server, page } = session);
  datasetId = (await api<{ id: number }>('datasets:import', { source: DEMO_MANIFEST, name: 'demo' })).id;
  experimentId = await train('e2e-i18n-model', { epochs: 12 });
  secondId = await train('e2e-i18n-speaker', { split: { kind: 'speaker', valFraction: 0.25 } });
  const folder = path.join(session.tmp, 'to-classify');
  makeClassifyFolder(folder);
  await api('classify:start', { requestId: 'e2e-i18n-classify', request: { model: { experimentId }, source: { kind: 'folder', path: folder }, backend: 'cpu' } });
  classifyRunId = await until('the classification', async () => {
    const run = (await api<{ id: number; status: string }[]>('classify:list', {}))[0];
    return run && run.status !== 'running' ? run.id : undefined;
  });
}, 400_000);

afterAll(async () => {
  await session?.close();
  fs.rmSync(configHome, { recursive: true, force: true });
});

/** The pages walked in each language: route, the page's test id, what shows its data has arrived. */
const PAGES = () => [
  { name: 'datasets', hash: '#/datasets', testid: 'datasets-card' },
  { name: 'dataset', hash: `#/datasets/${datasetId}`, testid: 'dataset-page', ready: '[data-testid="class-card"] canvas' },
  { name: 'explorer', hash: `#/datasets/${datasetId}/explore`, testid: 'explorer-page', ready: '[data-testid="projection-chart"] canvas' },
  { name: 'experiments', hash: '#/experiments', testid: 'experiments-page', ready: '[data-testid="experiments-card"] table' },
  { name: 'new-run', hash: `#/experiments/new?dataset=${datasetId}`, testid: 'new-run-page' },
  { name: 'experiment', hash: `#/experiments/${experimentId}`, testid: 'experiment-page', ready: '[data-testid="run-summary"]' },
  { name: 'compare', hash: `#/compare/${experimentId},${secondId}`, testid: 'compare-page', ready: 'section.card' },
  { name: 'classify', hash: '#/classify', testid: 'classify-page', ready: '[data-testid="classify-runs-table"]' },
  { name: 'classify-run', hash: `#/classify/${classifyRunId}`, testid: 'classify-run-page', ready: '[data-testid="predictions-table"]' },
];

describe('the window in Russian', () => {
  it('starts in the system language (English here) and switches to Russian in the header', async () => {
    await open('#/datasets', 'datasets-card');
    expect([await htmlLang(), await pressed('en')]).toEqual(['en', 'true']);
    expect(await page.getByRole('link', { name: 'Datasets', exact: true }).count()).toBeGreaterThan(0);
    await page.getByTestId('language-ru').click();
    await poll(htmlLang).toBe('ru');
    expect(await pressed('ru')).toBe('true');
    expect(await page.getByRole('link', { name: 'Наборы данных', exact: true }).count()).toBeGreaterThan(0);
  });

  it('shows no catalogue key and no English word on any page', async () => {
    const found: Record<string, { keys: string[]; english: string[] }> = {};
    for (const p of PAGES()) {
      await open(p.hash, p.testid, p.ready);
      const u = await untranslated();
      if (u.keys.length || u.english.length) found[p.name] = u;
    }
    expect(found).toEqual({});
  }, 240_000);

  it('words a live run in Russian, from the new-run form to its end', async () => {
    await open(`#/experiments/new?dataset=${datasetId}`, 'new-run-page');
    await page.getByTestId('run-epochs').fill('40');
    await page.getByTestId('run-backend').selectOption('cpu');
    await page.getByTestId('start-run').click();
    await page.getByTestId('live-run-page').waitFor();
    await poll(() => page.getByTestId('run-phase').getAttribute('data-phase'), 60_000).toBe('training');
    const running = await untranslated();
    expect(running).toEqual({ keys: [], english: [] });
    await session.shot('40-ru-live-running');
    await poll(() => page.locator('[data-testid="run-status"] [data-status]').getAttribute('data-status'), 150_000).not.toBe('running');
    expect(await untranslated()).toEqual({ keys: [], english: [] });
  }, 240_000);

  it('has screenshots at 1024 and 1920 px with no text overflowing its box', async () => {
    const problems: string[] = [];
    for (const p of PAGES()) {
      await open(p.hash, p.testid, p.ready);
      problems.push(...(await atWidths(`41-ru-${p.name}`)).map((x) => `${p.name} ${x}`));
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('remembers the choice after a reload', async () => {
    await open('#/classify', 'classify-page');
    await page.reload();
    await page.getByTestId('classify-page').waitFor();
    await poll(htmlLang).toBe('ru');
    expect(await pressed('ru')).toBe('true');
    expect(await page.locator('h1').first().textContent()).toBe('Классификация');
    expect(JSON.parse(fs.readFileSync(path.join(configHome, 'SER Studio', 'settings.json'), 'utf8')).language).toBe('ru');
  });

  it('switches back to English, also remembered', async () => {
    await page.getByTestId('language-en').click();
    await poll(htmlLang).toBe('en');
    expect(await page.locator('h1').first().textContent()).toBe('Classify');
    await page.reload();
    await page.getByTestId('classify-page').waitFor();
    await poll(htmlLang).toBe('en');
    expect(await page.locator('h1').first().textContent()).toBe('Classify');
  });

  it('has English screenshots of the same pages', async () => {
    const problems: string[] = [];
    for (const p of PAGES()) {
      await open(p.hash, p.testid, p.ready);
      problems.push(...(await atWidths(`42-en-${p.name}`)).map((x) => `${p.name} ${x}`));
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('logged no page errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
