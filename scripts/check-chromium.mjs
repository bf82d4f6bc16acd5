// Run by `npm test` before vitest: the end-to-end tests (tests/e2e) drive Chromium through playwright-core
// at $CHROMIUM_PATH or /usr/bin/chromium (tests/e2e/harness.ts). When it is missing, say so in one line
// and how to install it, then let the tests run: the unit tests do not need it, the e2e tests will fail
// with the same explanation. Prints nothing when Chromium is there. Always exits 0.
import fs from 'node:fs';
import path from 'node:path';

const exe = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const runnable = (file) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

if (!runnable(exe)) {
  // a Chromium elsewhere on PATH works once CHROMIUM_PATH names it
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  const other = names.flatMap((n) => dirs.map((d) => path.join(d, n))).find((f) => f !== exe && runnable(f));
  const fix = other
    ? `set CHROMIUM_PATH=${other} (found on PATH)`
    : 'install it first (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary';
  console.log(`Chromium not found at ${exe}: the end-to-end tests (tests/e2e) will fail; ${fix}. The other tests do not need it.`);
}
