/**
 * The application menu as data: a pure function of what it shows (language, recent workspaces, platform) and the
 * actions its items call, so the template is tested in plain Node; index.ts hands it to Menu.buildFromTemplate.
 * Also the About box's text.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { LANGS, LANGUAGE_NAMES, type Lang } from '../shared/i18n/types';

export interface MenuState {
  appName: string;
  platform: NodeJS.Platform;
  language: Lang;
  workspace: string;
  /** Most recent first (the settings' list). */
  recentWorkspaces: readonly string[];
}

export interface MenuActions {
  importFolder(): void;
  openWorkspace(): void;
  openRecent(dir: string): void;
  clearRecent(): void;
  setLanguage(language: Lang): void;
  about(): void;
}

/** Each language in its own name, as language menus show them (one list with the window's switch). */
export { LANGUAGE_NAMES };

export function menuTemplate(state: MenuState, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const recent: MenuItemConstructorOptions[] = state.recentWorkspaces.length
    ? [
        ...state.recentWorkspaces.map(
          (dir, i): MenuItemConstructorOptions => ({
            id: `recent-${i}`,
            label: dir,
            type: 'checkbox',
            checked: dir === state.workspace,
            // The current one is where the windows already are.
            enabled: dir !== state.workspace,
            click: () => actions.openRecent(dir),
          }),
        ),
        { type: 'separator' },
        { id: 'clear-recent', label: 'Clear Recent', enabled: state.recentWorkspaces.some((d) => d !== state.workspace), click: () => actions.clearRecent() },
      ]
    : [{ label: 'No recent workspaces', enabled: false }];
  const about: MenuItemConstructorOptions = { id: 'about', label: `About ${state.appName}`, click: () => actions.about() };

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { id: 'import-folder', label: 'Import Folder…', accelerator: 'CmdOrCtrl+I', click: () => actions.importFolder() },
      { type: 'separator' },
      { id: 'open-workspace', label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => actions.openWorkspace() },
      { id: 'recent-workspaces', label: 'Recent Workspaces', submenu: recent },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
    ],
  };
  // Text fields need the edit roles for their shortcuts (on macOS they only exist through the menu).
  const edit: MenuItemConstructorOptions = { role: 'editMenu' };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      {
        id: 'language',
        label: 'Language',
        submenu: LANGS.map((lang) => ({
          id: `language-${lang}`,
          label: LANGUAGE_NAMES[lang],
          type: 'radio' as const,
          checked: lang === state.language,
          click: () => actions.setLanguage(lang),
        })),
      },
      { type: 'separator' },
      { role: 'reload' },
      { role: 'toggleDevTools' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = { role: 'windowMenu' };
  // macOS shows About in the application menu; elsewhere in Help.
  const help: MenuItemConstructorOptions = { role: 'help', submenu: mac ? [{ label: `${state.appName} Help`, enabled: false }] : [about] };
  const appMenu: MenuItemConstructorOptions = {
    label: state.appName,
    submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
  };
  return mac ? [appMenu, file, edit, view, windowMenu, help] : [file, edit, view, windowMenu, help];
}

export interface AboutFacts {
  name: string;
  version: string;
  electron?: string;
  chrome?: string;
  node: string;
  /** What `auto` trains with here (app:info's tfjsBackend). */
  tfjsBackend?: string;
  workspace: string;
  schemaVersion?: number;
}

/** The About box: a title line and the versions, one per line. */
export function aboutText(f: AboutFacts): { message: string; detail: string } {
  const lines = [
    f.electron ? `Electron ${f.electron}` : null,
    f.chrome ? `Chromium ${f.chrome}` : null,
    `Node.js ${f.node}`,
    f.tfjsBackend ? `TensorFlow.js backend: ${f.tfjsBackend}` : null,
    '',
    `Workspace: ${f.workspace}${f.schemaVersion !== undefined ? ` (schema ${f.schemaVersion})` : ''}`,
  ];
  return { message: `${f.name} ${f.version}`, detail: lines.filter((l) => l !== null).join('\n') };
}
