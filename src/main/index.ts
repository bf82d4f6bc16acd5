import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, type IpcMainInvokeEvent } from 'electron';
import { contract, isChannel, type ProgressEvent } from '../shared/contract';
import { resolveWorkspaceDir } from '../core/workspace/location';
import { resolveReportFile } from '../core/report/files';
import { EngineClient } from './engine-client';
import { electronSqliteBinding } from './native';

// Every renderer is sandboxed, whatever a window's options say.
app.enableSandbox();

protocol.registerSchemesAsPrivileged([
  { scheme: 'ser-audio', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  { scheme: 'ser-report', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
]);

const windows = new Set<BrowserWindow>();
let engine: EngineClient;
let workspaceDir = '';

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
    if (url.startsWith('https://')) void shell.openExternal(url);
    // A written report's file (an "Open" link) opens in the system's viewer, never in an app window.
    const report = url.startsWith('ser-report://') ? reportFile(url) : null;
    if (report) void shell.openPath(report.file);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => {
    event.preventDefault();
    // A report file's download link (cross-origin for a file:// page, so Chromium navigates instead of
    // downloading): save it with the download dialog, the window stays where it is.
    if (event.url.startsWith('ser-report://') && reportFile(event.url)) win.webContents.downloadURL(event.url);
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(path.join(__dirname, '../renderer/index.html'));
  return win;
}

/** IPC is only honoured from our own windows' top frames. */
function fromOurWindow(event: IpcMainInvokeEvent): boolean {
  const win = BrowserWindow.fromWebContents(event.sender);
  return Boolean(win && windows.has(win) && event.senderFrame === event.sender.mainFrame);
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
  return resolveReportFile(workspaceDir, rel);
}

function broadcast(event: ProgressEvent) {
  for (const w of windows) w.webContents.send('api:progress', event);
}

app.whenReady().then(() => {
  // The UI needs no camera, microphone, notifications or geolocation: refuse every permission request.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  workspaceDir = resolveWorkspaceDir(workspaceArg());
  engine = new EngineClient(
    {
      SER_STUDIO_WORKSPACE: workspaceDir,
      SER_STUDIO_SQLITE_BINDING: electronSqliteBinding(app.getAppPath(), process.versions.electron) ?? '',
    },
    broadcast,
    (code) => {
      if (code !== 0) dialog.showErrorBox('SER Studio', `The engine process stopped (exit code ${code}). Restart the app.`);
    },
  );

  ipcMain.handle('api:call', async (event, channel: unknown, input: unknown) => {
    if (!fromOurWindow(event)) return { ok: false, error: { code: 'forbidden', message: 'Unknown sender.' } };
    if (typeof channel !== 'string' || !isChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: `Unknown call '${String(channel)}'.` } };
    const parsed = contract[channel].input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: parsed.error.message } };
    if (channel === 'dialog:pickFolder') {
      const win = BrowserWindow.fromWebContents(event.sender)!;
      const r = await dialog.showOpenDialog(win, { properties: ['openDirectory'], title: 'Choose a dataset folder' });
      return { ok: true, result: { path: r.canceled ? null : r.filePaths[0] ?? null } };
    }
    return engine.call(channel, parsed.data);
  });

  // Audio playback: only files that belong to an imported dataset (by clip id), or that a classify run
  // classified (by run id and index); the engine looks them up, the URL never names a path.
  protocol.handle('ser-audio', async (request) => {
    const url = new URL(request.url);
    if (url.host === 'classified') {
      const m = /^\/(\d{1,12})\/(\d{1,12})$/.exec(url.pathname);
      const file = m ? await engine.classifiedFile(Number(m[1]), Number(m[2])) : null;
      if (!file) return new Response('no such classified file', { status: 404 });
      return net.fetch(pathToFileURL(file).href, { headers: request.headers });
    }
    const id = Number(url.pathname.replace(/^\//, ''));
    if (url.host !== 'clip' || !Number.isInteger(id) || id <= 0) return new Response('bad clip url', { status: 400 });
    const clip = await engine.clipFile(id);
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
  engine?.kill();
  if (process.platform !== 'darwin') app.quit();
});
