// A stand-in for the 'electron' module, for tests/main/electron-settings.test.ts: it records what the built main
// bundle asks of Electron (window options, handlers, the IPC handler, the permission handler), lets it start on a
// fake engine, then probes each handler with hostile input and prints what it saw as one JSON line.
import { EventEmitter } from 'node:events';

const seen = {
  sandboxEnabledBeforeReady: null,
  windows: [],
  ipcHandlers: [],
  protocols: [],
  privilegedSchemes: [],
  permission: null,
  appEvents: [],
};
let ready = false;
let nextId = 1;

class WebContents extends EventEmitter {
  constructor() {
    super();
    this.id = nextId++;
    this.mainFrame = { url: '' };
    this.windowOpenHandler = null;
  }
  setWindowOpenHandler(fn) {
    this.windowOpenHandler = fn;
  }
  send() {}
  downloadURL(url) {
    seen.downloads = [...(seen.downloads ?? []), url];
  }
}

const allWindows = [];
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    allWindows.push(this);
    seen.windows.push(this);
  }
  static fromWebContents(wc) {
    return allWindows.find((w) => w.webContents === wc) ?? null;
  }
  static getAllWindows() {
    return allWindows;
  }
  static getFocusedWindow() {
    return null;
  }
  isDestroyed() {
    return false;
  }
  loadFile(file) {
    this.webContents.mainFrame.url = new URL(`file://${file}`).href;
    return Promise.resolve();
  }
  loadURL(url) {
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show() {}
  focus() {}
}

const appEmitter = new EventEmitter();
export const app = {
  enableSandbox() {
    seen.sandboxEnabledBeforeReady = !ready;
  },
  whenReady() {
    return new Promise((resolve) =>
      setTimeout(() => {
        ready = true;
        resolve();
      }, 10),
    );
  },
  on(event, fn) {
    seen.appEvents.push(event);
    appEmitter.on(event, fn);
    return app;
  },
  quit() {},
  getAppPath: () => process.cwd(),
  getLocale: () => 'en-US',
  getVersion: () => '0.0.0',
};

export const ipcMain = {
  handlers: new Map(),
  handle(channel, fn) {
    seen.ipcHandlers.push(channel);
    this.handlers.set(channel, fn);
  },
  on(channel) {
    seen.ipcHandlers.push(`on:${channel}`);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    seen.privilegedSchemes.push(...schemes.map((s) => s.scheme));
  },
  handlers: new Map(),
  handle(scheme, fn) {
    seen.protocols.push(scheme);
    this.handlers.set(scheme, fn);
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler(fn) {
      seen.permission = fn;
    },
  },
};

export const dialog = { showErrorBox: (...a) => (seen.errorBox = a), showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showMessageBox: async () => ({}) };
export const Menu = { setApplicationMenu() {}, buildFromTemplate: (t) => t };
/** Files the protocol handlers fetched (the only way they read a file). */
const fetched = [];
export const net = { fetch: async (url) => (fetched.push(url), new Response('audio')) };
export const shell = { openExternal: async (url) => (seen.openedExternal = [...(seen.openedExternal ?? []), url]), openPath: async () => '' };

/** The engine: says ready on the workspace it was given, answers every call with an ok envelope naming it. */
export const utilityProcess = {
  fork(entry, _args, opts) {
    const child = new EventEmitter();
    child.postMessage = (m) => {
      if (m.kind === 'call') setImmediate(() => child.emit('message', { kind: 'reply', id: m.id, envelope: { ok: true, result: { reached: m.channel } } }));
      // Clip 1 and classified file 1/0 exist; the engine decides, never the URL.
      if (m.kind === 'clipFile') setImmediate(() => child.emit('message', { kind: 'clipFile', id: m.id, path: m.clipId === 1 ? '/data/clip-1.wav' : null, container: m.clipId === 1 ? 'wav' : null }));
      if (m.kind === 'classifiedFile') setImmediate(() => child.emit('message', { kind: 'classifiedFile', id: m.id, path: m.runId === 1 && m.idx === 0 ? '/data/classified-1-0.wav' : null }));
    };
    child.kill = () => setImmediate(() => child.emit('exit', 0));
    setImmediate(() => child.emit('message', { kind: 'ready', workspace: opts.env.SER_STUDIO_WORKSPACE }));
    seen.engineEntry = entry;
    return child;
  },
};

export const contextBridge = {};
export const ipcRenderer = {};
export default { app, BrowserWindow, ipcMain, protocol, session, dialog, Menu, net, shell, utilityProcess };

// Once the window exists: probe every handler it registered and print the findings.
const started = Date.now();
const timer = setInterval(async () => {
  if (!seen.windows.length || !ipcMain.handlers.has('api:call')) {
    if (Date.now() - started > 20_000) {
      clearInterval(timer);
      process.stdout.write(JSON.stringify({ error: 'no window or no api:call handler within 20 s', seen: { ...seen, windows: seen.windows.length } }) + '\n');
      process.exit(1);
    }
    return;
  }
  clearInterval(timer);
  const win = seen.windows[0];
  const wc = win.webContents;
  const out = { webPreferences: win.options.webPreferences, sandboxEnabledBeforeReady: seen.sandboxEnabledBeforeReady, privilegedSchemes: seen.privilegedSchemes, protocols: seen.protocols, ipcHandlers: seen.ipcHandlers };
  out.windowOpen = ['https://example.com/', 'http://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'ser-report://reports/../../etc/passwd'].map((url) => [url, wc.windowOpenHandler?.({ url })?.action ?? null]);
  out.willNavigate = ['https://evil.example/', 'file:///etc/passwd', wc.mainFrame.url].map((url) => {
    let prevented = false;
    wc.emit('will-navigate', { url, preventDefault: () => (prevented = true) });
    return [url, prevented];
  });
  // Any web contents created later (a webview, a devtools page) may not attach a webview.
  const other = new WebContents();
  appEmitter.emit('web-contents-created', {}, other);
  let webviewPrevented = false;
  other.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) }, {}, {});
  out.webviewPrevented = webviewPrevented;
  out.permissions = await Promise.all(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'].map((p) => new Promise((resolve) => seen.permission?.(wc, p, (granted) => resolve([p, granted]), {}))));
  const handler = ipcMain.handlers.get('api:call');
  const ipc = async (event) => handler(event, 'app:info', {});
  out.ipc = {
    ours: await ipc({ sender: wc, senderFrame: wc.mainFrame }),
    subframe: await ipc({ sender: wc, senderFrame: { url: wc.mainFrame.url } }),
    otherContents: await ipc({ sender: other, senderFrame: other.mainFrame }),
    noFrame: await ipc({ sender: wc, senderFrame: null }),
    otherPage: await (async () => {
      const url = wc.mainFrame.url;
      wc.mainFrame.url = 'https://evil.example/';
      const r = await ipc({ sender: wc, senderFrame: wc.mainFrame });
      wc.mainFrame.url = url;
      return r;
    })(),
    unknownChannel: await handler({ sender: wc, senderFrame: wc.mainFrame }, 'fs:readFile', { path: '/etc/passwd' }),
    invalidInput: await handler({ sender: wc, senderFrame: wc.mainFrame }, 'datasets:get', { id: '1 OR 1=1' }),
  };
  out.pageUrl = wc.mainFrame.url;
  // The custom protocols: what each URL answers, and which files were read for it.
  out.protocolAnswers = [];
  for (const url of [
    'ser-audio://clip/1',
    'ser-audio://clip/2',
    'ser-audio://clip/0x1',
    'ser-audio://clip/1e0',
    'ser-audio://clip/-1',
    'ser-audio://clip/..%2f..%2fetc%2fpasswd',
    'ser-audio://clip/%2fetc%2fpasswd',
    'ser-audio://other/1',
    'ser-audio://classified/1/0',
    'ser-audio://classified/1/1',
    'ser-audio://classified/1/..%2f0',
    'ser-report://reports/..%2f..%2fetc%2fpasswd',
    'ser-report://reports/experiment-1-en/report.md',
    'ser-report://elsewhere/x.md',
  ]) {
    const scheme = url.slice(0, url.indexOf(':'));
    const before = fetched.length;
    const res = await protocol.handlers.get(scheme)?.({ url, headers: {} });
    out.protocolAnswers.push([url, res?.status ?? null, fetched.slice(before)]);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}, 20);
