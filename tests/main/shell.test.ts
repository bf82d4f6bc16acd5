// The desktop shell composed as src/main/index.ts composes it (Shell + EngineConnection + the engine's runEngine /
// serveEngine), with the Electron pieces replaced: the engine runs in this process behind an in-memory port that
// structured-clones every message as a utilityProcess does (tests/helpers/memory-engine.ts), the dialog is a stub,
// the settings file a temp file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/core/settings/store';
import { openWorkspace } from '../../src/core/workspace/workspace';
import { initialWorkspace, Shell, type ShellDeps } from '../../src/main/shell';
import type { AppInfo } from '../../src/shared/domain';
import type { ProgressEvent } from '../../src/shared/contract';
import type { Settings } from '../../src/shared/settings';
import { tempDir } from '../helpers/make-wav';
import { memoryEngine, type MemoryEngine } from '../helpers/memory-engine';

let root: string;
let settings: SettingsStore;
const engines: MemoryEngine[] = [];
const broadcasts: ProgressEvent[] = [];
const menuSettings: Settings[] = [];
const switched: string[] = [];
const crashed: { code: number; workspace: string }[] = [];
const dialogAnswers: (string | null)[] = [];
const dialogPurposes: string[] = [];
let shell: Shell;

function deps(): ShellDeps {
  return {
    startEngine: (dir) => {
      const e = memoryEngine(dir);
      engines.push(e);
      return e;
    },
    pickFolder: async (purpose) => {
      dialogPurposes.push(purpose);
      return dialogAnswers.shift() ?? null;
    },
    settings,
    broadcast: (e) => broadcasts.push(e),
    onSettingsChanged: (s) => menuSettings.push(s),
    onWorkspaceChanged: (dir) => switched.push(dir),
    onEngineCrashed: (code, workspace) => crashed.push({ code, workspace }),
  };
}

async function call<T>(channel: string, input: unknown = {}): Promise<T> {
  const r = await shell.call(channel, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.result as T;
}

beforeAll(async () => {
  root = tempDir('shell');
  settings = new SettingsStore(path.join(root, 'config', 'SER Studio', 'settings.json'));
  shell = await Shell.start(deps(), path.join(root, 'ws-a'));
});
afterAll(() => shell?.dispose());

describe('the desktop shell, composed as main composes it', () => {
  it('creates the engine handlers with the native folder picker: app:info says so', async () => {
    const info = await call<AppInfo>('app:info');
    expect(info).toMatchObject({ transport: 'electron', canPickFolder: true, workspace: path.join(root, 'ws-a') });
    expect(info.tfjsBackend).toMatch(/^(tensorflow|wasm|cpu) /);
  });

  it('answers dialog:pickFolder through the engine with the shell\'s dialog', async () => {
    dialogAnswers.push('/data/corpora/emodb');
    expect(await call('dialog:pickFolder')).toEqual({ path: '/data/corpora/emodb' });
    expect(await call('dialog:pickFolder')).toEqual({ path: null });
    expect(dialogPurposes).toEqual(['dataset', 'dataset']);
  });

  it('keeps the settings in the user\'s settings file, tells the windows and the menu', async () => {
    // Opening the first workspace put it in the recent list.
    expect(await call('settings:get')).toEqual({ recentWorkspaces: [path.join(root, 'ws-a')] });
    expect(await call('settings:set', { language: 'ru' })).toMatchObject({ language: 'ru' });
    expect(JSON.parse(fs.readFileSync(settings.file, 'utf8'))).toMatchObject({ language: 'ru' });
    expect(menuSettings.at(-1)).toMatchObject({ language: 'ru' });
    expect(broadcasts.at(-1)).toEqual({ kind: 'settings', settings: { language: 'ru', recentWorkspaces: [path.join(root, 'ws-a')] } });
    // The View menu's choice goes the same way.
    shell.setLanguage('en');
    expect(settings.read().language).toBe('en');
    expect(broadcasts.at(-1)).toMatchObject({ kind: 'settings', settings: { language: 'en' } });
  });

  it('validates every input before it reaches the engine', async () => {
    expect(await shell.call('settings:set', { language: 'de' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await shell.call('settings:set', { recentWorkspaces: ['/etc'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await shell.call('fs:readFile', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await shell.call(42, {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await shell.call('datasets:get', { id: '1 OR 1=1' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('File > Import folder sends the picked folder to the windows\' import form', async () => {
    dialogAnswers.push('/data/new-corpus');
    expect(await shell.importFolder()).toBe('/data/new-corpus');
    expect(broadcasts.at(-1)).toEqual({ kind: 'menu', command: 'import-folder', path: '/data/new-corpus' });
    const before = broadcasts.length;
    expect(await shell.importFolder()).toBeNull();
    expect(broadcasts.length).toBe(before);
  });

  it('switches workspaces: a new engine on the new folder, the old one ended, the recent list updated', async () => {
    const first = engines[0];
    const b = path.join(root, 'ws-b');
    expect(await call('workspaces:open', { dir: b })).toEqual({ workspace: b });
    expect(first.killed).toBe(true);
    expect(engines.at(-1)!.dir).toBe(b);
    expect((await call<AppInfo>('app:info')).workspace).toBe(b);
    expect(switched).toEqual([b]);
    expect(settings.read().recentWorkspaces).toEqual([b, path.join(root, 'ws-a')]);
    expect(shell.workspace).toBe(b);
    // The same one again changes nothing.
    expect(await call('workspaces:open', { dir: b })).toEqual({ workspace: b });
    expect(switched).toEqual([b]);
  });

  it('leaves everything as it was when the new folder cannot be opened', async () => {
    const file = path.join(root, 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const before = engines.length;
    const r = await shell.call('workspaces:open', { dir: file });
    expect(r).toMatchObject({ ok: false, error: { message: expect.any(String) } });
    expect(engines.length).toBe(before + 1);
    expect(engines.at(-1)!.killed).toBe(true);
    expect(shell.workspace).toBe(path.join(root, 'ws-b'));
    expect((await call<AppInfo>('app:info')).workspace).toBe(path.join(root, 'ws-b'));
    expect(settings.read().recentWorkspaces).not.toContain(file);

    // A workspace written by a newer version is refused by the engine with its own code.
    const newer = path.join(root, 'ws-newer');
    const ws = openWorkspace(newer);
    ws.db.pragma('user_version = 9999');
    ws.close();
    expect(await shell.call('workspaces:open', { dir: newer })).toMatchObject({ ok: false, error: { code: 'workspace_too_new' } });
  });

  it('refuses to switch while a run streams in the current workspace', async () => {
    const engine = engines.find((e) => e.dir === path.join(root, 'ws-b') && !e.killed)!;
    engine.fromEngine({ kind: 'progress', event: { kind: 'train', requestId: 'run-1', progress: { phase: 'status', message: 'extracting' } } });
    await new Promise((r) => setImmediate(r));
    const refused = await shell.call('workspaces:open', { dir: path.join(root, 'ws-a') });
    expect(refused).toMatchObject({ ok: false, error: { code: 'workspace_busy', message: expect.stringContaining('training') } });
    engine.fromEngine({ kind: 'progress', event: { kind: 'train-end', requestId: 'run-1', error: { code: 'cancelled', message: 'cancelled' } } });
    await new Promise((r) => setImmediate(r));
    expect(await call('workspaces:open', { dir: path.join(root, 'ws-a') })).toEqual({ workspace: path.join(root, 'ws-a') });
    expect(settings.read().recentWorkspaces.slice(0, 2)).toEqual([path.join(root, 'ws-a'), path.join(root, 'ws-b')]);
  });

  it('Clear Recent keeps only the current workspace', () => {
    expect(shell.clearRecent().recentWorkspaces).toEqual([path.join(root, 'ws-a')]);
  });

  it('settles calls in flight when the engine dies, and says so', async () => {
    const engine = engines.find((e) => e.dir === path.join(root, 'ws-a') && !e.killed)!;
    engine.crash(134);
    expect(await shell.call('datasets:list', {})).toMatchObject({ ok: false, error: { code: 'engine_exited' } });
    expect(crashed).toEqual([{ code: 134, workspace: path.join(root, 'ws-a') }]);
  });
});

describe('initialWorkspace', () => {
  const recent: Settings = { language: 'en', recentWorkspaces: ['/w/last', '/w/older'] };
  const env = { XDG_CONFIG_HOME: '/cfg' } as NodeJS.ProcessEnv;
  it('takes --workspace, then $SER_STUDIO_HOME, then the last workspace opened, then the default', () => {
    expect(initialWorkspace('/w/arg', env, recent)).toEqual({ dir: '/w/arg', from: 'argument' });
    expect(initialWorkspace(undefined, { ...env, SER_STUDIO_HOME: '/w/env' }, recent)).toEqual({ dir: '/w/env', from: 'env' });
    expect(initialWorkspace(undefined, env, recent)).toEqual({ dir: '/w/last', from: 'recent' });
    expect(initialWorkspace('  ', env, { language: 'en', recentWorkspaces: [] })).toEqual({ dir: '/cfg/SER Studio/workspace', from: 'default' });
  });
});
