// Starts `ser-studio serve` on a fresh workspace and Debian's Chromium, for the end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export interface Server {
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

const SERVING = /SER Studio is serving on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/;

export function startServer(root: string, workspace: string, timeoutMs = 90_000): Promise<Server> {
  // SER_E2E_CLI points at another build of the CLI (e.g. a scratch bundle) than bin/ser-studio.js.
  const cli = process.env.SER_E2E_CLI || path.join(root, 'bin', 'ser-studio.js');
  const args = [cli, 'serve', '--port', '0', '--workspace', workspace];
  if (process.env.SER_E2E_RENDERER_DIR) args.push('--renderer', process.env.SER_E2E_RENDERER_DIR);
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const output = () => out;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`ser-studio serve printed no URL within ${timeoutMs} ms. Output:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = SERVING.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], origin: `http://127.0.0.1:${m[2]}`, token: m[3], process: child, output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ser-studio serve exited (code ${code}) before serving. Output:\n${out}`));
    });
  });
}

export function chromiumPath(): string {
  const exe = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(exe)) {
    throw new Error(
      `Chromium not found at ${exe}. Install Debian's Chromium (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return exe;
}

/** A persistent context is how playwright takes a fresh --user-data-dir (it refuses the raw flag). */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // The test presses play itself; don't let autoplay heuristics depend on engagement scores.
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
