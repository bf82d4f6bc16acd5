import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'SER Studio';

/**
 * Where the workspace lives: --workspace DIR, else $SER_STUDIO_HOME, else the OS's
 * per-user application-data folder (the same one Electron's app.getPath('userData') uses).
 */
export function resolveWorkspaceDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit && explicit.trim()) return path.resolve(explicit);
  if (env.SER_STUDIO_HOME && env.SER_STUDIO_HOME.trim()) return path.resolve(env.SER_STUDIO_HOME);
  return path.join(defaultAppDataDir(env), APP_DIR_NAME, 'workspace');
}

function defaultAppDataDir(env: NodeJS.ProcessEnv): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return env.APPDATA || path.join(home, 'AppData', 'Roaming');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support');
    default:
      return env.XDG_CONFIG_HOME || path.join(home, '.config');
  }
}
