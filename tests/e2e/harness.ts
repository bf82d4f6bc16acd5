// Starts `ser-studio serve` on a fresh workspace and Debian's Chromium, for the end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const ROOT = process.cwd();
export const DEMO_MANIFEST = path.join(ROOT, 'resources', 'demo', 'manifest.csv');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const RENDERER_INDEX = path.join(process.env.SER_E2E_RENDERER_DIR ?? path.join(ROOT, 'out', 'renderer'), 'index.html');

export interface Server {
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** One contract call through the bridge's HTTP API, as another window would make it; throws the engine's error. */
export async function callApi<T>(server: Pick<Server, 'origin' | 'token'>, channel: string, input: unknown): Promise<T> {
  const res = await fetch(`${server.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify(input),
  });
  const envelope = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.message}`);
  return envelope.result as T;
}

/** Every table and chart fits its card at this width: nothing spills out, nothing needs a sideways scroll. */
const SPILLS = `(() => {
  const bad = [];
  for (const card of document.querySelectorAll('section.card')) {
    const box = card.getBoundingClientRect();
    const name = card.getAttribute('data-testid');
    for (const el of card.querySelectorAll('table, canvas, .chart')) {
      const scroller = el.closest('.scroll');
      const r = (scroller ?? el).getBoundingClientRect();
      if (r.right > box.right + 1) bad.push(name + ': ' + el.tagName + ' ends at ' + Math.round(r.right) + ' > ' + Math.round(box.right));
      if (scroller && scroller.scrollWidth > scroller.clientWidth + 1) bad.push(name + ': ' + el.tagName + ' needs ' + scroller.scrollWidth + 'px in ' + scroller.clientWidth + 'px');
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) bad.push('page is ' + document.documentElement.scrollWidth + 'px wide');
  return bad;
})()`;

/** The cards whose table or chart spills out at the page's current width (empty when everything fits). */
export const spillsOf = (page: Page) => page.evaluate(SPILLS) as Promise<string[]>;

const SERVING = /SER Studio is serving on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/;

export function startServer(root: string, workspace: string, timeoutMs = 90_000): Promise<Server> {
  // SER_E2E_CLI points at another build of the CLI (e.g. a scratch bundle) than bin/ser-studio.js.
  const cli = process.env.SER_E2E_CLI || path.join(root, 'bin', 'ser-studio.js');
  const args = [cli, 'serve', '--port', '0', '--workspace', workspace];
  if (process.env.SER_E2E_RENDERER_DIR) args.push('--renderer', process.env.SER_E2E_RENDERER_DIR);
  // The server keeps the user's settings (the window's language) in settings.json: a session's go beside its
  // workspace, never to the real one, which a language chosen by hand or by another test would otherwise carry into
  // every page this suite reads (a test that chose a folder itself, as the Russian walk does, keeps it).
  const env = { ...process.env, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME || path.join(path.dirname(workspace), 'config') };
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const output = () => out;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`ser-studio serve printed no URL within ${timeoutMs} ms. Output:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = SERVING.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], origin: `http://127.0.0.1:${m[2]}`, token: m[3], process: child, output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ser-studio serve exited (code ${code}) before serving. Output:\n${out}`));
    });
  });
}

export function chromiumPath(): string {
  const exe = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(exe)) {
    throw new Error(
      `Chromium not found at ${exe}. Install Debian's Chromium (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return exe;
}

/** A persistent context is how playwright takes a fresh --user-data-dir (it refuses the raw flag). */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // The test presses play itself; don't let autoplay heuristics depend on engagement scores.
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh workspace served by `ser-studio serve` and one Chromium page, for one test file. */
export interface E2eSession {
  /** Scratch folder: the workspace is `workspace/` in it, and tests put the recordings they generate beside it. */
  tmp: string;
  server: Server;
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors of the page: a test file ends by expecting none. */
  pageErrors: string[];
  /** Saves a full-page screenshot as test-results/e2e/<name>.png. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openSession(tmpPrefix: string): Promise<E2eSession> {
  const needed: [string, string][] = [
    [RENDERER_INDEX, 'build the app first (npm run build; npm test does it)'],
    [DEMO_MANIFEST, 'the demo dataset is generated by scripts/make-demo-dataset.sh'],
  ];
  for (const [file, remedy] of needed) if (!fs.existsSync(file)) throw new Error(`${file} is missing: ${remedy}.`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  fs.mkdirSync(SHOTS, { recursive: true });
  let server: Server | undefined;
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  const close = async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    server = await startServer(ROOT, path.join(tmp, 'workspace'));
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
    const shot = async (name: string) => {
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    };
    return { tmp, server, context: browser.context, page, pageErrors, shot, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** UI state that follows an engine call: polled generously, the suite may share 2 cores with heavy tests. */
export const poll = <T>(fn: () => Promise<T> | T, timeout = 30_000) => expect.poll(fn, { timeout, interval: 100 });
