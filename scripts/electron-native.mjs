// Builds better-sqlite3 for Electron's ABI into .cache/electron-native/, leaving the Node build in
// node_modules untouched so `npm test` and the CLI keep working after `npm start`.
import { cpSync, existsSync, mkdirSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = require('electron/package.json').version;
const cacheDir = join(root, '.cache', 'electron-native');
const target = join(cacheDir, `better_sqlite3-electron-${electronVersion}.node`);

if (existsSync(target)) process.exit(0);
const work = join(cacheDir, 'build');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules'), { recursive: true });
cpSync(join(root, 'node_modules', 'better-sqlite3'), join(work, 'node_modules', 'better-sqlite3'), {
  recursive: true,
  filter: (src) => !src.includes(`${'better-sqlite3'}/build`),
});
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'native-build', private: true, dependencies: { 'better-sqlite3': '*' } }));
console.log(`Building better-sqlite3 for Electron ${electronVersion} (once; cached in .cache/electron-native)...`);
const { rebuild } = await import('@electron/rebuild');
try {
  await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true, buildFromSource: true });
} catch (err) {
  console.error(`Could not build better-sqlite3 for Electron ${electronVersion}: ${err.message}`);
  console.error('Electron needs its headers from electronjs.org for this step (a network connection).');
  process.exit(1);
}
copyFileSync(join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), target);
rmSync(work, { recursive: true, force: true });
console.log(`better-sqlite3 for Electron: ${target}`);
