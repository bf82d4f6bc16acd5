// End to end: the feature explorer in Debian's Chromium through `ser-studio serve`. Opens it from the demo dataset's
// page (its vectors are extracted first, with progress), reads the projection, colours by speaker, hovers a point
// (file, label, speaker), clicks it (the clip plays), hides a group, projects fewer blocks; layouts at 1024 and
// 1920 px. Then the header's workspace switcher as the desktop app shows it (a stand-in preload over the bridge).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_MANIFEST, openSession, poll, type E2eSession, type Server } from './harness';
import { countBy, readManifest, type ManifestRow } from './fixtures';

interface AudioLike {
  readyState: number;
  error: { code: number } | null;
  currentSrc: string;
  currentTime: number;
  ended: boolean;
}

let session: E2eSession;
let server: Server;
let page: Page;
let demoRows: ManifestRow[];
let demoId: number;

interface PointRow {
  clipId: number;
  group: string;
  file: string;
  label: string;
  speaker: string;
  px: number;
  py: number;
  visible: boolean;
}

const pointRows = (): Promise<PointRow[]> =>
  page.locator('[data-testid="projection-chart-data"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      clipId: Number(tr.getAttribute('data-clip')),
      group: tr.getAttribute('data-group') ?? '',
      file: tr.querySelector('th')?.textContent ?? '',
      label: tr.querySelectorAll('td')[0]?.textContent ?? '',
      speaker: tr.querySelectorAll('td')[1]?.textContent ?? '',
      px: Number(tr.getAttribute('data-px')),
      py: Number(tr.getAttribute('data-py')),
      visible: tr.getAttribute('data-visible') === 'true',
    })),
  );

const legend = () =>
  page.locator('[data-testid="projection-legend"] li button').evaluateAll((buttons) =>
    buttons.map((b) => ({ group: b.getAttribute('data-group') ?? '', count: Number(b.querySelector('.count')?.textContent), on: b.getAttribute('aria-pressed') === 'true' })),
  );

/** A visible point with no other visible point within 14 px: hovering it can only mean it. */
function isolated(rows: PointRow[]): PointRow {
  const visible = rows.filter((r) => r.visible && Number.isFinite(r.px));
  const alone = visible.find((r) => visible.every((o) => o === r || Math.hypot(o.px - r.px, o.py - r.py) > 14));
  if (!alone) throw new Error('no isolated point to hover');
  return alone;
}

async function canvasPoint(row: PointRow): Promise<{ x: number; y: number }> {
  const box = (await page.locator('[data-testid="projection-chart"] canvas').boundingBox())!;
  return { x: box.x + row.px, y: box.y + row.py };
}

/**
 * Text that does not fit its box (cut off, not ellipsised on purpose) and text boxes that overlap their siblings,
 * in the page's header and the projection card; and nothing wider than the window.
 */
const LAYOUT_PROBLEMS = `(() => {
  const bad = [];
  const scope = document.querySelector('[data-testid="explorer-page"]');
  const texts = scope.querySelectorAll('h1, h2, .subtitle, button, label, .explained span, .facts, .legend .name, .legend .head, .blocks .muted, .segmented .muted, code');
  for (const el of texts) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || el.closest('canvas')) continue;
    const ellipsis = style.textOverflow === 'ellipsis';
    if (!ellipsis && el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible') bad.push('cut: ' + el.tagName + ' "' + el.textContent.trim().slice(0, 40) + '" ' + el.scrollWidth + ' > ' + el.clientWidth);
    if (!ellipsis && el.scrollHeight > el.clientHeight + 2 && el.tagName === 'BUTTON') bad.push('wrapped: "' + el.textContent.trim().slice(0, 40) + '"');
  }
  const rowsOf = ['.toolbar', '.segmented', '.blocks', '.explained', '[data-testid="projection-card"] > header', '.legend ul'];
  for (const sel of rowsOf) {
    for (const box of scope.querySelectorAll(sel)) {
      const kids = [...box.children].filter((k) => getComputedStyle(k).display !== 'none').map((k) => [k, k.getBoundingClientRect()]);
      for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) {
        const a = kids[i][1], b = kids[j][1];
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
        if (overlap) bad.push('overlap in ' + sel + ': "' + kids[i][0].textContent.trim().slice(0, 30) + '" / "' + kids[j][0].textContent.trim().slice(0, 30) + '"');
      }
    }
  }
  const card = document.querySelector('[data-testid="projection-card"]').getBoundingClientRect();
  for (const el of document.querySelectorAll('[data-testid="projection-chart"], [data-testid="projection-legend"], .toolbar')) {
    const r = el.getBoundingClientRect();
    if (r.right > card.right + 1) bad.push(el.className + ' ends at ' + Math.round(r.right) + ' > card ' + Math.round(card.right));
  }
  if (document.documentElement.scrollWidth > window.innerWidth) bad.push('page is ' + document.documentElement.scrollWidth + 'px wide');
  return bad;
})()`;

async function atWidths(name: string, prepare: () => Promise<void> = async () => {}) {
  for (const width of [1024, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(200); // the chart re-lays itself out on resize
    await prepare();
    expect(await page.evaluate(LAYOUT_PROBLEMS), `layout at ${width} px`).toEqual([]);
    await session.shot(`${name}-${width}`);
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.waitForTimeout(200);
}

async function call<T>(channel: string, input: unknown): Promise<T> {
  const res = await fetch(`${server.origin}/api/${channel}`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(input) });
  const envelope = (await res.json()) as { ok: boolean; result: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(envelope.error?.message);
  return envelope.result;
}

beforeAll(async () => {
  session = await openSession('ser-e2e-explore-');
  ({ server, page } = session);
  demoRows = readManifest(DEMO_MANIFEST);
  demoId = (await call<{ id: number }>('datasets:import', { source: DEMO_MANIFEST, name: 'demo' })).id;
});

afterAll(() => session?.close());

describe('the feature explorer', () => {
  it('opens from the dataset page, extracts the missing vectors with progress, and draws every clip', async () => {
    await page.goto(`${server.url}#/datasets/${demoId}`);
    await page.getByTestId('dataset-page').waitFor();
    await page.getByTestId('explore-dataset').click();
    await page.getByTestId('explorer-page').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe(`#/datasets/${demoId}/explore`);
    // Nothing is cached in a fresh workspace: the extraction's progress shows first.
    await page.getByTestId('explore-progress').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="projection-chart"] canvas').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('projection-chart').getAttribute('data-points')).toBe(String(demoRows.length));
    expect(await page.getByTestId('explained-variance').textContent()).toMatch(/PC1\s*\d+\.\d%\s*PC2\s*\d+\.\d%\s*of the variance/);
    expect(await page.getByTestId('projection-facts').textContent()).toContain(`${demoRows.length} vectors extracted now`);
    expect(await page.getByTestId('explore-progress').count()).toBe(0);

    // Coloured by class: the legend counts each class's clips.
    const byClass = await legend();
    expect(Object.fromEntries(byClass.map((g) => [g.group, g.count]))).toEqual(countBy(demoRows, (r) => r.label));
    const rows = await pointRows();
    expect(rows).toHaveLength(demoRows.length);
    expect(rows.every((r) => r.group === r.label && r.visible && Number.isFinite(r.px) && Number.isFinite(r.py))).toBe(true);
    await atWidths('explorer-01-by-class');
  });

  it('colours by speaker: the legend lists the speakers with their clips', async () => {
    await page.getByTestId('colour-by-speaker').click();
    await poll(() => page.getByTestId('colour-by-speaker').getAttribute('aria-pressed')).toBe('true');
    const bySpeaker = await legend();
    expect(Object.fromEntries(bySpeaker.map((g) => [g.group, g.count]))).toEqual(countBy(demoRows, (r) => r.speaker));
    await poll(async () => (await pointRows()).every((r) => r.group === r.speaker)).toBe(true);
  });

  it('hovering a point shows its clip: file, label, speaker', async () => {
    const target = isolated(await pointRows());
    const at = await canvasPoint(target);
    await page.mouse.move(at.x - 40, at.y - 40);
    await page.mouse.move(at.x, at.y, { steps: 4 });
    const tip = page.getByTestId('projection-tooltip');
    await tip.waitFor();
    expect(await tip.getAttribute('data-clip')).toBe(String(target.clipId));
    const text = await tip.textContent();
    expect(text).toContain(target.file);
    expect(text).toContain(target.label);
    expect(text).toContain(`speaker ${target.speaker}`);
    const manifestRow = demoRows.find((r) => target.file.endsWith(r.path));
    expect(manifestRow).toMatchObject({ label: target.label, speaker: target.speaker });
    // The points move when the window is resized: hover the same clip again for each screenshot.
    await atWidths('explorer-02-by-speaker-hover', async () => {
      const again = (await pointRows()).find((r) => r.clipId === target.clipId)!;
      const p = await canvasPoint(again);
      await page.mouse.move(p.x - 30, p.y - 30);
      await page.mouse.move(p.x, p.y, { steps: 4 });
      await tip.waitFor();
    });
    // Moving off the points hides it.
    const box = (await page.locator('[data-testid="projection-chart"] canvas').boundingBox())!;
    // (in steps, as a hand moves: chart.js handles mouse moves once per animation frame, and on a loaded machine a
    // single jump's one event was seen to be dropped)
    await page.mouse.move(box.x + 2, box.y + 2, { steps: 4 });
    await poll(() => tip.count()).toBe(0);
    // Leaving the chart hides it too.
    const p0 = await canvasPoint((await pointRows()).find((r) => r.clipId === target.clipId)!);
    await page.mouse.move(p0.x, p0.y, { steps: 4 });
    await tip.waitFor();
    await page.mouse.move(box.x + box.width / 2, box.y - 20, { steps: 2 });
    await poll(() => tip.count()).toBe(0);
  });

  it('clicking a point plays its clip through the audio route', async () => {
    const target = isolated(await pointRows());
    const at = await canvasPoint(target);
    await page.mouse.move(at.x, at.y, { steps: 3 });
    await page.mouse.click(at.x, at.y);
    const audio = page.getByTestId('clip-audio');
    await poll(() => audio.getAttribute('data-clip-id')).toBe(String(target.clipId));
    await poll(() => audio.evaluate((el) => ({ ready: (el as AudioLike).readyState >= 2, error: (el as AudioLike).error?.code ?? 0 }))).toEqual({ ready: true, error: 0 });
    expect(await audio.evaluate((el) => (el as AudioLike).currentSrc)).toMatch(new RegExp(`/audio/${target.clipId}\\?token=`));
    await poll(() => audio.evaluate((el) => (el as AudioLike).currentTime > 0 || (el as AudioLike).ended)).toBe(true);
    expect(await page.locator('[data-testid="projection-card"] .now code').textContent()).toBe(target.file);
  });

  it('hides a speaker from the legend and shows it again', async () => {
    const [first] = await legend();
    await page.locator(`[data-testid="projection-legend"] button[data-group="${first.group}"]`).click();
    await poll(async () => (await pointRows()).filter((r) => r.group === first.group).every((r) => !r.visible)).toBe(true);
    expect((await pointRows()).filter((r) => r.group !== first.group).every((r) => r.visible)).toBe(true);
    await page.getByRole('button', { name: 'Show all' }).click();
    await poll(async () => (await pointRows()).every((r) => r.visible)).toBe(true);
  });

  it('projects a subset of the blocks from the cached vectors', async () => {
    const before = await page.getByTestId('explained-variance').textContent();
    await page.getByTestId('block-mel').uncheck();
    await poll(() => page.locator('[data-testid="projection-card"] .subtitle').textContent()).toContain('38 features');
    expect(await page.getByTestId('explained-variance').textContent()).not.toBe(before);
    expect(await page.getByTestId('projection-facts').textContent()).toContain('all vectors from the feature cache');
    await page.getByTestId('block-mel').check();
    await poll(() => page.locator('[data-testid="projection-card"] .subtitle').textContent()).toContain('166 features');
  });

  it('logged no page errors and no CSP violations', () => {
    expect(session.pageErrors).toEqual([]);
  });
});

describe('the header as the desktop app shows it', () => {
  it('lists the recent workspaces, switches through workspaces:open, and follows the menu\'s commands', async () => {
    // A stand-in for the preload: the bridge's answers, as the desktop app's transport, with recent workspaces.
    const desk = await session.context.newPage();
    await desk.addInitScript(
      ({ token }) => {
        const g = globalThis as unknown as Record<string, unknown>;
        const opened: string[] = [];
        const listeners = new Set<(e: unknown) => void>();
        g.openedWorkspaces = opened;
        // What the main process would push (a menu command, changed settings).
        g.shellPush = (e: unknown) => listeners.forEach((fn) => fn(e));
        g.api = {
          transport: 'electron',
          async call(channel: string, input: unknown) {
            if (channel === 'settings:get') return { language: 'en', recentWorkspaces: ['/home/u/corpora/emodb-workspace', '/home/u/a/rather/long/path/to/another/workspace/used/last/week', '/mnt/shared/ser'] };
            if (channel === 'workspaces:open') {
              opened.push((input as { dir: string }).dir);
              return { workspace: (input as { dir: string }).dir };
            }
            const res = await fetch(`/api/${channel}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(input) });
            const envelope = (await res.json()) as { ok: boolean; result: Record<string, unknown>; error: { message: string } };
            if (!envelope.ok) throw new Error(envelope.error.message);
            return channel === 'app:info' ? { ...envelope.result, transport: 'electron', canPickFolder: true } : envelope.result;
          },
          onProgress: (fn: (e: unknown) => void) => {
            listeners.add(fn);
            return () => listeners.delete(fn);
          },
          clipAudioUrl: (id: number) => `/audio/${id}?token=${token}`,
          predictionAudioUrl: () => '',
          reportFileUrl: () => '',
        };
      },
      { token: server.token },
    );
    await desk.goto(`${server.origin}/#/datasets/${demoId}/explore`);
    await desk.getByTestId('workspace-switcher').click();
    const menu = desk.getByTestId('workspace-menu');
    await menu.waitFor();
    const listed = await menu.locator('[data-workspace]').evaluateAll((els) => els.map((e) => e.getAttribute('data-workspace')));
    expect(listed).toEqual(['/home/u/corpora/emodb-workspace', '/home/u/a/rather/long/path/to/another/workspace/used/last/week', '/mnt/shared/ser']);
    expect(await desk.getByTestId('open-other-workspace').isVisible()).toBe(true);
    for (const width of [1024, 1920]) {
      await desk.setViewportSize({ width, height: 700 });
      await desk.screenshot({ path: `test-results/e2e/explorer-03-desktop-workspace-menu-${width}.png` });
    }
    await menu.locator('[data-workspace="/mnt/shared/ser"]').click();
    expect(await desk.evaluate(() => (globalThis as unknown as { openedWorkspaces: string[] }).openedWorkspaces)).toEqual(['/mnt/shared/ser']);
    await poll(() => desk.getByTestId('workspace-menu').count()).toBe(0);

    // File > Import folder…: the folder the menu picked lands in the import form, on the datasets page.
    await desk.evaluate(() => (globalThis as unknown as { shellPush(e: unknown): void }).shellPush({ kind: 'menu', command: 'import-folder', path: '/data/corpora/new-session' }));
    await poll(() => desk.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe('#/datasets');
    await poll(() => desk.getByTestId('import-source').inputValue()).toBe('/data/corpora/new-session');
    // The View menu's language reaches the page (the catalogues will follow it).
    await desk.evaluate(() => (globalThis as unknown as { shellPush(e: unknown): void }).shellPush({ kind: 'settings', settings: { language: 'ru', recentWorkspaces: [] } }));
    await poll(() => desk.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('ru');
    await desk.close();
  });

  it('shows the browser bridge\'s one workspace read-only', async () => {
    await page.goto(`${server.url}#/datasets`);
    await poll(() => page.getByTestId('workspace-path').textContent()).toContain('workspace');
    expect(await page.getByTestId('workspace-switcher').count()).toBe(0);
  });
});
