import os from 'node:os';
import path from 'node:path';

const APP_DIR_NAME = 'SER Studio';

/** The machine facts the default location depends on (injectable so every OS's rule can be tested anywhere). */
export interface Host {
  platform: NodeJS.Platform;
  homedir: string;
}

/**
 * Where the workspace lives: --workspace DIR, else $SER_STUDIO_HOME, else the OS's
 * per-user application-data folder (the same one Electron's app.getPath('userData') uses).
 * Blank values count as unset; a leading `~` is the home folder (a quoted "~/x" reaches us unexpanded);
 * relative ones are resolved against the working directory.
 */
export function resolveWorkspaceDir(explicit?: string, env: NodeJS.ProcessEnv = process.env, host: Partial<Host> = {}): string {
  const platform = host.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const home = (): string => host.homedir ?? os.homedir();
  const given = (value: string | undefined): string | null => {
    const v = value?.trim();
    if (!v) return null;
    return p.resolve(v === '~' ? home() : /^~[\\/]/.test(v) ? p.join(home(), v.slice(2)) : v);
  };
  const chosen = given(explicit) ?? given(env.SER_STUDIO_HOME);
  if (chosen) return chosen;
  return p.join(appDataDir(env, host), 'workspace');
}

/** The per-user application-data folder of SER Studio (`~/.config/SER Studio` on Linux). */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, host: Partial<Host> = {}): string {
  const platform = host.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const home = host.homedir ?? os.homedir();
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
  const xdg = env.XDG_CONFIG_HOME && p.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : null;
  const appData =
    platform === 'win32'
      ? env.APPDATA || p.join(home, 'AppData', 'Roaming')
      : platform === 'darwin'
        ? p.join(home, 'Library', 'Application Support')
        : xdg || p.join(home, '.config');
  return p.join(appData, APP_DIR_NAME);
}

/** The user's settings file (language, recent workspaces): settings.json in the application-data folder. */
export function settingsFile(env: NodeJS.ProcessEnv = process.env, host: Partial<Host> = {}): string {
  return (host.platform ?? process.platform) === 'win32' ? path.win32.join(appDataDir(env, host), 'settings.json') : path.posix.join(appDataDir(env, host), 'settings.json');
}
