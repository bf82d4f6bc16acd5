import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveWorkspaceDir } from '../../../src/core/workspace/location';

const linux = { platform: 'linux', homedir: '/home/ana' } as const;
const mac = { platform: 'darwin', homedir: '/Users/ana' } as const;
const windows = { platform: 'win32', homedir: 'C:\\Users\\ana' } as const;
/** This machine: relative paths resolve against its working directory, with its separators. */
const here = { platform: process.platform, homedir: os.homedir() };

describe('resolveWorkspaceDir', () => {
  describe('precedence: --workspace, then SER_STUDIO_HOME, then the app-data folder', () => {
    const env = { SER_STUDIO_HOME: '/srv/ser-home', XDG_CONFIG_HOME: '/xdg' };

    it('--workspace wins over SER_STUDIO_HOME and the default', () => {
      expect(resolveWorkspaceDir('/data/ws', env, linux)).toBe('/data/ws');
    });

    it('SER_STUDIO_HOME wins over the default when there is no --workspace', () => {
      expect(resolveWorkspaceDir(undefined, env, linux)).toBe('/srv/ser-home');
    });

    it('the per-user folder when neither is given', () => {
      expect(resolveWorkspaceDir(undefined, {}, linux)).toBe('/home/ana/.config/SER Studio/workspace');
    });

    it('on Windows too', () => {
      expect(resolveWorkspaceDir('D:\\ws', { SER_STUDIO_HOME: 'E:\\home' }, windows)).toBe('D:\\ws');
      expect(resolveWorkspaceDir(undefined, { SER_STUDIO_HOME: 'E:\\home', APPDATA: 'C:\\AD' }, windows)).toBe('E:\\home');
    });
  });

  describe('blank values count as unset', () => {
    it('an empty or blank --workspace falls through to SER_STUDIO_HOME', () => {
      expect(resolveWorkspaceDir('', { SER_STUDIO_HOME: '/srv/h' }, linux)).toBe('/srv/h');
      expect(resolveWorkspaceDir('   ', { SER_STUDIO_HOME: '/srv/h' }, linux)).toBe('/srv/h');
    });

    it('an empty or blank SER_STUDIO_HOME falls through to the default', () => {
      expect(resolveWorkspaceDir(undefined, { SER_STUDIO_HOME: '' }, linux)).toBe('/home/ana/.config/SER Studio/workspace');
      expect(resolveWorkspaceDir(undefined, { SER_STUDIO_HOME: ' \t' }, linux)).toBe('/home/ana/.config/SER Studio/workspace');
    });

    it('an empty XDG_CONFIG_HOME or APPDATA means the documented fallback', () => {
      expect(resolveWorkspaceDir(undefined, { XDG_CONFIG_HOME: '' }, linux)).toBe('/home/ana/.config/SER Studio/workspace');
      expect(resolveWorkspaceDir(undefined, { APPDATA: '' }, windows)).toBe('C:\\Users\\ana\\AppData\\Roaming\\SER Studio\\workspace');
    });
  });

  describe('the per-user application-data folder', () => {
    it('a leading ~ is the home folder (a quoted value reaches us unexpanded), surrounding blanks ignored', () => {
      expect(resolveWorkspaceDir('~/ws', {}, linux)).toBe('/home/ana/ws');
      expect(resolveWorkspaceDir(undefined, { SER_STUDIO_HOME: ' ~ ' }, linux)).toBe('/home/ana');
      expect(resolveWorkspaceDir('~\\ws', {}, windows)).toBe('C:\\Users\\ana\\ws');
      expect(resolveWorkspaceDir('/data/~ws', {}, linux)).toBe('/data/~ws');
    });

    it('a relative XDG_CONFIG_HOME is ignored, as the XDG spec says', () => {
      expect(resolveWorkspaceDir(undefined, { XDG_CONFIG_HOME: 'conf' }, linux)).toBe('/home/ana/.config/SER Studio/workspace');
    });

    it('Linux: ~/.config, or $XDG_CONFIG_HOME when set', () => {
      expect(resolveWorkspaceDir(undefined, {}, linux)).toBe('/home/ana/.config/SER Studio/workspace');
      expect(resolveWorkspaceDir(undefined, { XDG_CONFIG_HOME: '/home/ana/cfg' }, linux)).toBe('/home/ana/cfg/SER Studio/workspace');
    });

    it('other Unixes follow the Linux rule', () => {
      expect(resolveWorkspaceDir(undefined, {}, { platform: 'freebsd', homedir: '/usr/home/ana' })).toBe('/usr/home/ana/.config/SER Studio/workspace');
    });

    it('macOS: ~/Library/Application Support (XDG_CONFIG_HOME ignored)', () => {
      expect(resolveWorkspaceDir(undefined, { XDG_CONFIG_HOME: '/xdg' }, mac)).toBe('/Users/ana/Library/Application Support/SER Studio/workspace');
    });

    it('Windows: %APPDATA%, else <home>\\AppData\\Roaming, with Windows separators (XDG_CONFIG_HOME ignored)', () => {
      expect(resolveWorkspaceDir(undefined, { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, windows)).toBe(
        'C:\\Users\\ana\\AppData\\Roaming\\SER Studio\\workspace',
      );
      expect(resolveWorkspaceDir(undefined, { APPDATA: 'D:\\Profiles\\ana', XDG_CONFIG_HOME: '/xdg' }, windows)).toBe('D:\\Profiles\\ana\\SER Studio\\workspace');
      expect(resolveWorkspaceDir(undefined, {}, windows)).toBe('C:\\Users\\ana\\AppData\\Roaming\\SER Studio\\workspace');
    });

    it('defaults to this machine: process.platform, os.homedir() and process.env', () => {
      const { SER_STUDIO_HOME: _unused, ...env } = process.env;
      const expected = resolveWorkspaceDir(undefined, env, here);
      expect(resolveWorkspaceDir(undefined, env)).toBe(expected);
      expect(path.isAbsolute(expected)).toBe(true);
      expect(expected.endsWith(path.join('SER Studio', 'workspace'))).toBe(true);
    });
  });

  describe('relative paths are resolved against the working directory', () => {
    it('--workspace', () => {
      expect(resolveWorkspaceDir('ws', {}, here)).toBe(path.resolve(process.cwd(), 'ws'));
      expect(resolveWorkspaceDir('./a/../b', {}, here)).toBe(path.resolve(process.cwd(), 'b'));
    });

    it('SER_STUDIO_HOME', () => {
      expect(resolveWorkspaceDir(undefined, { SER_STUDIO_HOME: 'rel/home' }, here)).toBe(path.resolve(process.cwd(), 'rel', 'home'));
    });

    it('absolute paths are normalised, not re-rooted', () => {
      expect(resolveWorkspaceDir('/data//ws/./x/..', {}, linux)).toBe('/data/ws');
      expect(resolveWorkspaceDir(undefined, { SER_STUDIO_HOME: '/srv/h/' }, linux)).toBe('/srv/h');
    });
  });
});
