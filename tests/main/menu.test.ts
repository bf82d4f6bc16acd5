import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { aboutText, menuTemplate, type MenuActions, type MenuState } from '../../src/main/menu';

function recorder() {
  const calls: string[] = [];
  const actions: MenuActions = {
    importFolder: () => calls.push('importFolder'),
    openWorkspace: () => calls.push('openWorkspace'),
    openRecent: (dir) => calls.push(`openRecent ${dir}`),
    clearRecent: () => calls.push('clearRecent'),
    setLanguage: (lang) => calls.push(`setLanguage ${lang}`),
    about: () => calls.push('about'),
  };
  return { calls, actions };
}

const state: MenuState = { appName: 'SER Studio', platform: 'linux', language: 'en', workspace: '/w/a', recentWorkspaces: ['/w/a', '/w/b', '/w/c'] };

const sub = (item: MenuItemConstructorOptions | undefined) => (item?.submenu ?? []) as MenuItemConstructorOptions[];
const find = (items: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | undefined => {
  for (const item of items) {
    if (item.id === id) return item;
    const inner = Array.isArray(item.submenu) ? find(item.submenu as MenuItemConstructorOptions[], id) : undefined;
    if (inner) return inner;
  }
  return undefined;
};
const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as () => void)();

describe('the application menu', () => {
  it('has File, Edit, View, Window and Help, with About in Help (Linux, Windows)', () => {
    const { actions } = recorder();
    const menu = menuTemplate(state, actions);
    expect(menu.map((m) => m.label ?? m.role)).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help']);
    expect(sub(menu[0]).map((i) => i.label ?? i.role ?? i.type)).toEqual(['Import Folder…', 'separator', 'Open Workspace…', 'Recent Workspaces', 'separator', 'Quit']);
    expect(sub(menu[4]).map((i) => i.id)).toEqual(['about']);
  });

  it('calls the actions: import, open, a recent workspace, language, about, clear', () => {
    const { calls, actions } = recorder();
    const menu = menuTemplate(state, actions);
    click(find(menu, 'import-folder'));
    click(find(menu, 'open-workspace'));
    click(find(menu, 'recent-1'));
    click(find(menu, 'language-ru'));
    click(find(menu, 'about'));
    click(find(menu, 'clear-recent'));
    expect(calls).toEqual(['importFolder', 'openWorkspace', 'openRecent /w/b', 'setLanguage ru', 'about', 'clearRecent']);
    expect(find(menu, 'import-folder')!.accelerator).toBe('CmdOrCtrl+I');
    expect(find(menu, 'open-workspace')!.accelerator).toBe('CmdOrCtrl+O');
  });

  it('lists the recent workspaces, the current one checked and not clickable', () => {
    const menu = menuTemplate(state, recorder().actions);
    const recent = sub(find(menu, 'recent-workspaces'));
    expect(recent.filter((i) => i.id?.startsWith('recent-')).map((i) => [i.label, i.checked, i.enabled])).toEqual([
      ['/w/a', true, false],
      ['/w/b', false, true],
      ['/w/c', false, true],
    ]);
    const empty = sub(find(menuTemplate({ ...state, recentWorkspaces: [] }, recorder().actions), 'recent-workspaces'));
    expect(empty).toEqual([{ label: 'No recent workspaces', enabled: false }]);
    // Only the current one: nothing to clear.
    expect(find(menuTemplate({ ...state, recentWorkspaces: ['/w/a'] }, recorder().actions), 'clear-recent')!.enabled).toBe(false);
  });

  it('shows each language in its own name, the chosen one checked', () => {
    const lang = sub(find(menuTemplate({ ...state, language: 'ru' }, recorder().actions), 'language'));
    expect(lang.map((i) => [i.label, i.type, i.checked])).toEqual([
      ['English', 'radio', false],
      ['Русский', 'radio', true],
    ]);
  });

  it('puts About in the application menu on macOS', () => {
    const menu = menuTemplate({ ...state, platform: 'darwin' }, recorder().actions);
    expect(menu[0].label).toBe('SER Studio');
    expect(sub(menu[0])[0].id).toBe('about');
    expect(sub(menu[0]).some((i) => i.role === 'quit')).toBe(true);
    expect(sub(menu.find((m) => m.label === 'File')).at(-1)!.role).toBe('close');
  });
});

describe('the About box', () => {
  it('names the app, its version, Electron, Chromium, Node, the tfjs backend and the workspace', () => {
    const text = aboutText({ name: 'SER Studio', version: '0.1.0', electron: '45.5.0', chrome: '142.0.1', node: '22.20.0', tfjsBackend: 'wasm (tfjs-backend-wasm 4.22.0)', workspace: '/w/a', schemaVersion: 6 });
    expect(text.message).toBe('SER Studio 0.1.0');
    expect(text.detail.split('\n')).toEqual(['Electron 45.5.0', 'Chromium 142.0.1', 'Node.js 22.20.0', 'TensorFlow.js backend: wasm (tfjs-backend-wasm 4.22.0)', '', 'Workspace: /w/a (schema 6)']);
  });
});
