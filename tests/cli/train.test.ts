import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorkspace } from '../helpers/demo-workspace';

const bin = path.resolve('bin/ser-studio.js');
let wsDir: string;

beforeAll(async () => {
  const ws = await demoWorkspace('cli-train');
  wsDir = ws.dir;
  ws.close();
});
afterAll(() => undefined);

describe('ser-studio train', () => {
  it("cancels on Ctrl-C (SIGINT to the terminal's process group): the run is recorded as cancelled, not interrupted", async () => {
    // A process group of its own, as a terminal runs a command: Ctrl-C signals the whole group.
    const child = spawn(
      process.execPath,
      [bin, 'train', '--dataset', 'demo', '--augment', 'none', '--epochs', '5000', '--patience', '0', '--backend', 'cpu', '--workspace', wsDir],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const db = new Database(path.join(wsDir, 'ser-studio.sqlite'), { readonly: true });
    let id: number | undefined;
    for (let i = 0; i < 1200 && id === undefined; i++) {
      await new Promise((r) => setTimeout(r, 25));
      id = (db.prepare("SELECT id FROM experiments WHERE status = 'running' AND epochs_completed >= 2").get() as { id: number } | undefined)?.id;
    }
    expect(id).toBeDefined();
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    expect(db.prepare('SELECT status, error FROM experiments WHERE id = ?').get(id)).toEqual({ status: 'cancelled', error: 'cancelled by the user' });
    db.close();
    expect(stdout).toMatch(new RegExp(`^Experiment ${id}: cancelled`));
  });
});
