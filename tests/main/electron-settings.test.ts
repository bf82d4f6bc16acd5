// The Electron security settings, read from what ships: the built main bundle (out/main/index.js) runs in plain Node
// with 'electron' replaced by a recorder (tests/helpers/fake-electron), on a fake engine; the recorder probes the
// window options and every handler the bundle registered, and reports. The CSP is read from the built page and the
// source page, and the web bridge's header. `npm test` builds first; a checkout without out/ is built here.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/bridge/security';
import { tempDir } from '../helpers/make-wav';

const mainBundle = path.resolve('out/main/index.js');
const preloadBundle = path.resolve('out/preload/index.cjs');
const builtPage = path.resolve('out/renderer/index.html');

interface Findings {
  error?: string;
  webPreferences: Record<string, unknown>;
  sandboxEnabledBeforeReady: boolean;
  ipcHandlers: string[];
  windowOpen: [string, string | null][];
  willNavigate: [string, boolean][];
  webviewPrevented: boolean;
  permissions: [string, boolean][];
  ipc: Record<string, { ok: boolean; error?: { code: string } }>;
  pageUrl: string;
  protocolAnswers: [string, number | null, string[]][];
}
let findings: Findings;

beforeAll(() => {
  if (!fs.existsSync(mainBundle) || !fs.existsSync(preloadBundle) || !fs.existsSync(builtPage)) {
    execFileSync(process.execPath, [path.resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build'], { stdio: 'inherit', timeout: 280_000 });
  }
  const root = tempDir('electron-settings');
  const run = spawnSync(process.execPath, ['--import', path.resolve('tests/helpers/fake-electron/register.mjs'), mainBundle, '--workspace', path.join(root, 'ws')], {
    env: { ...process.env, XDG_CONFIG_HOME: path.join(root, 'config'), ELECTRON_RENDERER_URL: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    findings = JSON.parse(line);
  } catch {
    throw new Error(`the main bundle did not report (exit ${run.status}): ${run.stdout}\n${run.stderr}`);
  }
  if (findings.error) throw new Error(`the main bundle: ${findings.error}`);
}, 300_000);

/** A CSP as directive -> sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

function metaCsp(html: string): string {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  if (!m) throw new Error('no Content-Security-Policy meta');
  return m[1];
}

/** What a strict policy needs: nothing by default, scripts only from the app (WASM compiled, never eval). */
function expectStrict(csp: string, where: string) {
  const d = directives(csp);
  expect(d.get('default-src'), where).toEqual(["'none'"]);
  const scripts = d.get('script-src') ?? [];
  expect(scripts, where).toContain("'self'");
  for (const s of scripts) expect(["'self'", "'wasm-unsafe-eval'"], `${where}: script-src ${s}`).toContain(s);
  expect(csp, where).not.toMatch(/'unsafe-eval'/);
  expect(d.get('object-src'), where).toEqual(["'none'"]);
  expect(d.get('base-uri'), where).toEqual(["'none'"]);
  expect(d.get('form-action'), where).toEqual(["'none'"]);
  for (const [name, sources] of d) for (const s of sources) expect(['*', 'http:', 'https:', 'data:'].includes(s) && name !== 'img-src', `${where}: ${name} ${s}`).toBe(false);
  // Network access only back to the app (the web bridge's WebSocket on loopback).
  for (const s of d.get('connect-src') ?? []) expect(s, where).toMatch(/^('self'|ws:\/\/(127\.0\.0\.1|localhost):\*)$/);
}

describe('Electron settings of the built app', () => {
  it('every window: context isolation, sandbox, no Node integration, web security, our preload', () => {
    const p = findings.webPreferences;
    expect(p.contextIsolation).toBe(true);
    expect(p.sandbox).toBe(true);
    expect(p.nodeIntegration).toBe(false);
    expect(p.webSecurity).not.toBe(false);
    expect(p.nodeIntegrationInWorker ?? false).toBe(false);
    expect(p.nodeIntegrationInSubFrames ?? false).toBe(false);
    expect(p.allowRunningInsecureContent ?? false).toBe(false);
    expect(p.experimentalFeatures ?? false).toBe(false);
    expect(p.webviewTag ?? false).toBe(false);
    expect(p.preload).toBe(preloadBundle);
    // And sandboxing for every renderer, enabled before the app is ready.
    expect(findings.sandboxEnabledBeforeReady).toBe(true);
  });

  it('the window shows the built page', () => {
    expect(findings.pageUrl).toBe(`file://${builtPage}`);
  });

  it('denies window.open, whatever the URL', () => {
    expect(findings.windowOpen.length).toBeGreaterThan(3);
    for (const [url, action] of findings.windowOpen) expect(action, url).toBe('deny');
  });

  it('denies navigation away from the page (our own page included), and webviews anywhere', () => {
    for (const [url, prevented] of findings.willNavigate) expect(prevented, url).toBe(true);
    expect(findings.webviewPrevented).toBe(true);
  });

  it('refuses every permission request', () => {
    expect(findings.permissions.length).toBeGreaterThan(3);
    for (const [permission, granted] of findings.permissions) expect(granted, permission).toBe(false);
  });

  it('registers one IPC handler, which checks the sender before validating and routing the call', () => {
    expect(findings.ipcHandlers).toEqual(['api:call']);
    expect(findings.ipc.ours).toMatchObject({ ok: true });
    for (const who of ['subframe', 'otherContents', 'noFrame', 'otherPage']) expect(findings.ipc[who], who).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(findings.ipc.unknownChannel).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(findings.ipc.invalidInput).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('the audio and report protocols read only files the engine names for a clip or a classified file, by decimal id', () => {
    const answers = Object.fromEntries(findings.protocolAnswers.map(([url, status, files]) => [url, { status, files }]));
    expect(answers['ser-audio://clip/1']).toEqual({ status: 200, files: ['file:///data/clip-1.wav'] });
    expect(answers['ser-audio://classified/1/0']).toEqual({ status: 200, files: ['file:///data/classified-1-0.wav'] });
    expect(answers['ser-audio://clip/2']).toEqual({ status: 404, files: [] });
    expect(answers['ser-audio://classified/1/1']).toEqual({ status: 404, files: [] });
    for (const url of ['ser-audio://clip/0x1', 'ser-audio://clip/1e0', 'ser-audio://clip/-1', 'ser-audio://clip/..%2f..%2fetc%2fpasswd', 'ser-audio://clip/%2fetc%2fpasswd', 'ser-audio://other/1']) {
      expect(answers[url], url).toEqual({ status: 400, files: [] });
    }
    expect(answers['ser-audio://classified/1/..%2f0']).toEqual({ status: 404, files: [] });
    // No workspace reports folder in this run: nothing to serve, whatever the path.
    for (const url of ['ser-report://reports/..%2f..%2fetc%2fpasswd', 'ser-report://reports/experiment-1-en/report.md', 'ser-report://elsewhere/x.md']) {
      expect(answers[url], url).toEqual({ status: 404, files: [] });
    }
  });

  it('the preload exposes the contract as window.api and nothing else: no raw ipcRenderer, no Node', () => {
    const text = fs.readFileSync(preloadBundle, 'utf8');
    const exposed = [...text.matchAll(/exposeInMainWorld\(\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1]);
    expect(exposed).toEqual(['api']);
    const channels = new Set([...text.matchAll(/ipcRenderer\.(?:invoke|on|removeListener|send|sendSync)\(\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1]));
    expect([...channels].sort()).toEqual(['api:call', 'api:progress']);
    expect(text).not.toMatch(/ipcRenderer\.(send|sendSync)\(/);
    expect(text).not.toMatch(/require\(["'](fs|child_process|node:[a-z_]+)["']\)/);
  });
});

describe('Content-Security-Policy', () => {
  it('the built page carries a strict CSP (no unsafe-eval)', () => {
    expectStrict(metaCsp(fs.readFileSync(builtPage, 'utf8')), 'out/renderer/index.html');
  });

  it('the source page too, and it is the one built', () => {
    const source = metaCsp(fs.readFileSync(path.resolve('src/renderer/index.html'), 'utf8'));
    expectStrict(source, 'src/renderer/index.html');
    expect(metaCsp(fs.readFileSync(builtPage, 'utf8'))).toBe(source);
  });

  it('the web bridge sends a strict CSP header that frames nothing', () => {
    expectStrict(CONTENT_SECURITY_POLICY, 'bridge header');
    expect(directives(CONTENT_SECURITY_POLICY).get('frame-ancestors')).toEqual(["'none'"]);
  });
});
