import fs from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3 compiled for Electron's ABI lives apart from node_modules (where the Node build
 * stays for the CLI and the tests); scripts/electron-native.mjs makes it before `npm start`.
 */
export function electronSqliteBinding(appPath: string, electronVersion: string): string | undefined {
  const file = path.join(appPath, '.cache', 'electron-native', `better_sqlite3-electron-${electronVersion}.node`);
  return fs.existsSync(file) ? file : undefined;
}
