import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session, shell as electronShell } from 'electron';
import type { AppInfo } from '../shared/domain';
import type { ProgressEvent } from '../shared/contract';
import { resolveWorkspaceDir, settingsFile } from '../core/workspace/location';
import { resolveReportFile } from '../core/report/files';
import { SettingsStore } from '../core/settings/store';
import { forkEngine } from './engine-client';
import { aboutText, menuTemplate } from './menu';
import { electronSqliteBinding } from './native';
import { initialWorkspace, Shell } from './shell';
import { apiCallHandler, senderAllowed, type IpcEventLike } from './ipc';
import { APP_NAME } from '../core/version';
import { languageOf } from '../shared/i18n/types';

// Every renderer is sandboxed, whatever a window's options say.
app.enableSandbox();

protocol.registerSchemesAsPrivileged([
  { scheme: 'ser-audio', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  { scheme: 'ser-report', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
]);

const windows = new Set<BrowserWindow>();
let shell: Shell;

function workspaceArg(): string | undefined {
  const i = process.argv.indexOf('--workspace');
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'SER Studio',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  win.once('ready-to-show', () => win.show());
  // No navigation away from the app and no new windows; external links open in the browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void electronShell.openExternal(url);
    // A written report's file (an "Open" link) opens in the system's viewer, never in an app window.
    const report = url.startsWith('ser-report://') ? reportFile(url) : null;
    if (report) void electronShell.openPath(report.file);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => {
    event.preventDefault();
    // A report file's download link (cross-origin for a file:// page, so Chromium navigates instead of
    // downloading): save it with the download dialog, the window stays where it is.
    if (event.url.startsWith('ser-report://') && reportFile(event.url)) win.webContents.downloadURL(event.url);
  });
  loadRenderer(win);
  return win;
}

/** The page every window shows: the dev server's under `electron-vite dev`, else the built index.html. */
function rendererUrl(): string {
  return process.env.ELECTRON_RENDERER_URL || pathToFileURL(path.join(__dirname, '../renderer/index.html')).href;
}

function loadRenderer(win: BrowserWindow) {
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(path.join(__dirname, '../renderer/index.html'));
}

/** IPC is only honoured from our own windows' top frames, showing our page (ipc.ts). */
function fromOurWindow(event: IpcEventLike): boolean {
  return senderAllowed(
    event,
    (id) => [...windows].some((w) => !w.isDestroyed() && w.webContents.id === id),
    rendererUrl(),
  );
}

/** ser-report://reports/<folder>/<file>: only a file resolveReportFile allows (inside <workspace>/reports). */
function reportFile(url: string): { file: string; mime: string } | null {
  let rel: string;
  try {
    const u = new URL(url);
    if (u.host !== 'reports') return null;
    rel = u.pathname.replace(/^\//, '').split('/').map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
  return shell ? resolveReportFile(shell.workspace, rel) : null;
}

function broadcast(event: ProgressEvent) {
  for (const w of windows) w.webContents.send('api:progress', event);
}

/** The window a dialog belongs to: the focused one, else any of ours. */
function dialogParent(): BrowserWindow | undefined {
  const focused = BrowserWindow.getFocusedWindow();
  return focused && windows.has(focused) ? focused : [...windows][0];
}

async function pickFolder(purpose: 'dataset' | 'workspace'): Promise<string | null> {
  const options: Electron.OpenDialogOptions =
    purpose === 'dataset'
      ? { properties: ['openDirectory'], title: 'Choose a dataset folder' }
      : { properties: ['openDirectory', 'createDirectory'], title: 'Open a workspace folder (an empty one starts a new workspace)', buttonLabel: 'Open Workspace' };
  const parent = dialogParent();
  const r = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

function rebuildMenu() {
  if (!shell) return;
  const s = shell.settings;
  const template = menuTemplate(
    // No language chosen yet: the system's, as the window takes it from navigator.languages.
    { appName: APP_NAME, platform: process.platform, language: s.language ?? languageOf([app.getLocale()]), workspace: shell.workspace, recentWorkspaces: s.recentWorkspaces },
    {
      importFolder: () => void shell.importFolder().then(() => dialogParent()?.focus()),
      openWorkspace: () => void pickFolder('workspace').then((dir) => (dir ? switchTo(dir) : undefined)),
      openRecent: (dir) => void switchTo(dir),
      clearRecent: () => shell.clearRecent(),
      setLanguage: (lang) => shell.setLanguage(lang),
      about: () => void showAbout(),
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function switchTo(dir: string) {
  const r = await shell.call('workspaces:open', { dir });
  if (!r.ok) dialog.showErrorBox('SER Studio', `Could not open the workspace ${dir}.\n\n${r.error.message}`);
}

async function showAbout() {
  const r = await shell.call('app:info', {});
  const info = r.ok ? (r.result as AppInfo) : null;
  const text = aboutText({
    name: info?.name ?? 'SER Studio',
    version: info?.version ?? app.getVersion(),
    electron: process.versions.electron,
    chrome: process.versions.chrome,
    node: process.versions.node,
    tfjsBackend: info?.tfjsBackend,
    workspace: shell.workspace,
    schemaVersion: info?.schemaVersion,
  });
  const parent = dialogParent();
  const options = { type: 'info' as const, title: `About ${text.message}`, message: text.message, detail: text.detail, buttons: ['OK'] };
  if (parent) await dialog.showMessageBox(parent, options);
  else await dialog.showMessageBox(options);
}

app.whenReady().then(async () => {
  // The UI needs no camera, microphone, notifications or geolocation: refuse every permission request.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const sqliteBinding = electronSqliteBinding(app.getAppPath(), process.versions.electron);
  const settings = new SettingsStore(settingsFile());
  const deps = {
    startEngine: (workspace: string) => forkEngine(workspace, sqliteBinding),
    pickFolder,
    settings,
    broadcast,
    onSettingsChanged: () => rebuildMenu(),
    // The windows start over on the new workspace: every page reads it afresh.
    onWorkspaceChanged: () => {
      rebuildMenu();
      for (const w of windows) loadRenderer(w);
    },
    onEngineCrashed: (code: number, workspace: string) =>
      dialog.showErrorBox('SER Studio', `The engine process stopped (exit code ${code}) while serving ${workspace}. Restart the app.`),
  };
  const first = initialWorkspace(workspaceArg(), process.env, settings.read());
  try {
    shell = await Shell.start(deps, first.dir);
  } catch (err) {
    if (first.from !== 'recent') {
      dialog.showErrorBox('SER Studio', `Could not open the workspace ${first.dir}.\n\n${(err as Error).message}`);
      app.quit();
      return;
    }
    // The last workspace is gone or unusable: the default one instead.
    shell = await Shell.start(deps, resolveWorkspaceDir());
  }
  rebuildMenu();

  ipcMain.handle('api:call', apiCallHandler({ call: (channel, input) => shell.call(channel, input) }, fromOurWindow));

  // Audio playback: only files that belong to an imported dataset (by clip id), or that a classify run
  // classified (by run id and index); the engine looks them up, the URL never names a path.
  protocol.handle('ser-audio', async (request) => {
    const url = new URL(request.url);
    if (url.host === 'classified') {
      const m = /^\/(\d{1,12})\/(\d{1,12})$/.exec(url.pathname);
      const file = m ? await shell.classifiedFile(Number(m[1]), Number(m[2])) : null;
      if (!file) return new Response('no such classified file', { status: 404 });
      return net.fetch(pathToFileURL(file).href, { headers: request.headers });
    }
    // A clip id in decimal digits, as the web bridge's /audio/ takes it (not 0x1, 1e0, +1).
    const m = /^\/([1-9]\d{0,11})$/.exec(url.pathname);
    if (url.host !== 'clip' || !m) return new Response('bad clip url', { status: 400 });
    const clip = await shell.clipFile(Number(m[1]));
    if (!clip) return new Response('no such clip', { status: 404 });
    return net.fetch(pathToFileURL(clip.path).href, { headers: request.headers });
  });

  // Written reports (download links in the window): only files inside <workspace>/reports.
  protocol.handle('ser-report', async (request) => {
    const found = reportFile(request.url);
    if (!found) return new Response('no such report file', { status: 404 });
    const res = await net.fetch(pathToFileURL(found.file).href);
    return new Response(res.body, { status: res.status, headers: { 'content-type': found.mime } });
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app.on('window-all-closed', () => {
  shell?.dispose();
  if (process.platform !== 'darwin') app.quit();
});
