import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memorySettings, SettingsStore } from '../../../src/core/settings/store';
import { settingsFile } from '../../../src/core/workspace/location';
import { MAX_RECENT_WORKSPACES } from '../../../src/shared/settings';
import { tempDir } from '../../helpers/make-wav';

const store = () => new SettingsStore(path.join(tempDir('settings'), 'SER Studio', 'settings.json'));

describe('the settings file', () => {
  it('reads as the defaults until written, then as written', async () => {
    const s = store();
    expect(s.read()).toEqual({ recentWorkspaces: [] });
    expect(await s.set({ language: 'ru' })).toEqual({ language: 'ru', recentWorkspaces: [] });
    expect(JSON.parse(fs.readFileSync(s.file, 'utf8'))).toEqual({ language: 'ru', recentWorkspaces: [] });
    expect(await new SettingsStore(s.file).get()).toEqual({ language: 'ru', recentWorkspaces: [] });
    // Written whole through a temporary file: nothing is left beside it.
    expect(fs.readdirSync(path.dirname(s.file))).toEqual(['settings.json']);
  });

  it('keeps the recent workspaces most recent first, without repeats, at most 8', () => {
    const s = store();
    for (let i = 0; i < 10; i++) s.addRecent(`/w/${i}`);
    s.addRecent('/w/5');
    const list = s.read().recentWorkspaces;
    expect(list).toHaveLength(MAX_RECENT_WORKSPACES);
    expect(list.slice(0, 3)).toEqual(['/w/5', '/w/9', '/w/8']);
    expect(new Set(list).size).toBe(list.length);
    expect(s.removeRecent('/w/9').recentWorkspaces).not.toContain('/w/9');
  });

  it('survives a damaged file: what can be read is kept, the rest defaults', () => {
    const s = store();
    fs.mkdirSync(path.dirname(s.file), { recursive: true });
    fs.writeFileSync(s.file, '{ not json');
    expect(s.read()).toEqual({ recentWorkspaces: [] });
    fs.writeFileSync(s.file, JSON.stringify({ language: 'klingon', recentWorkspaces: ['/w/a', 7, '', '/w/b'], extra: true }));
    expect(s.read()).toEqual({ recentWorkspaces: ['/w/a', '/w/b'] });
  });

  it('lives in the application-data folder', () => {
    expect(settingsFile({ XDG_CONFIG_HOME: '/cfg' }, { platform: 'linux', homedir: '/home/u' })).toBe('/cfg/SER Studio/settings.json');
    expect(settingsFile({}, { platform: 'darwin', homedir: '/Users/u' })).toBe('/Users/u/Library/Application Support/SER Studio/settings.json');
    expect(settingsFile({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, { platform: 'win32', homedir: 'C:\\Users\\u' })).toBe('C:\\Users\\u\\AppData\\Roaming\\SER Studio\\settings.json');
  });

  it('has an in-memory stand-in for engines without a settings file', async () => {
    const m = memorySettings();
    expect(await m.set({ language: 'ru' })).toEqual({ language: 'ru', recentWorkspaces: [] });
    expect(await m.get()).toEqual({ language: 'ru', recentWorkspaces: [] });
  });
});
