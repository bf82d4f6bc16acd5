import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_PRESET_INFO } from '../../src/shared/params';
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

  it('--features extended trains on the 370-value vector and says so; an unknown preset is refused with the choices', async () => {
    const quick = ['train', '--dataset', 'demo', '--augment', 'none', '--epochs', '2', '--patience', '0', '--backend', 'cpu', '--workspace', wsDir];
    const out = await run(process.execPath, [bin, ...quick, '--features', 'extended']);
    expect(out.code).toBe(0);
    const { dimension } = FEATURE_PRESET_INFO.extended; // 370 in version 1
    expect(out.stdout).toContain(`\n  features: extended (${dimension} values); global standardisation`);
    const db = new Database(path.join(wsDir, 'ser-studio.sqlite'), { readonly: true });
    const row = db.prepare('SELECT m.input_dims AS dims FROM models m JOIN experiments e ON e.id = m.experiment_id ORDER BY e.id DESC LIMIT 1').get() as { dims: number };
    db.close();
    expect(row.dims).toBe(dimension);
    const bad = await run(process.execPath, [bin, ...quick, '--features', 'mfcc-only']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--features must be reference-166 or extended \(got 'mfcc-only'\)/);
  });

  it('--test 0.2 holds a test part out first: both scores printed and named, --json carries them, experiments says which set', async () => {
    const quick = ['train', '--dataset', 'demo', '--split', 'speaker', '--test', '0.2', '--augment', 'none', '--epochs', '3', '--patience', '2', '--backend', 'cpu', '--workspace', wsDir];
    const out = await run(process.execPath, [bin, ...quick]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/; test part 20% \(speakers [^)]+\) held out first, never seen by early stopping\n/);
    expect(out.stdout).toMatch(/\n {2}rows: train \d+ \(\d+ clips\), validation \d+ \(\d+ clips\), test (\d+) \(\1 clips\)\n/);
    expect(out.stdout).toMatch(/\n {2}test: accuracy \d\.\d{4}, macro F1 \d\.\d{4}, weighted F1 \d\.\d{4}\n {2}validation \(also used for early stopping\): accuracy \d\.\d{4}/);
    const json = await run(process.execPath, [bin, ...quick, '--json']);
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout) as { scoreSet: string; accuracy: number; validation: { accuracy: number } | null; split: { testClips: number } };
    expect(r).toMatchObject({ scoreSet: 'test', validation: { accuracy: expect.any(Number) }, split: { testClips: expect.any(Number) } });
    const list = await run(process.execPath, [bin, 'experiments', '--workspace', wsDir]);
    expect(list.stdout).toMatch(/scored on/);
    expect(list.stdout).toMatch(/ test +\d+ /);
    const refused = await run(process.execPath, [bin, ...quick.map((a) => (a === 'speaker' ? 'kfold:3' : a))]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/a test part \(--test\) is held out from a stratified or speaker hold-out/);
    // k-fold with --val: each fold's early stopping uses part of its training clips, the held-out folds are tests
    const kfold = await run(process.execPath, [bin, 'train', '--dataset', 'demo', '--split', 'kfold:3', '--val', '0.2', '--augment', 'none', '--epochs', '2', '--backend', 'cpu', '--workspace', wsDir]);
    expect(kfold.code).toBe(0);
    expect(kfold.stdout).toMatch(/; the held-out fold is the test, early stopping on 20% of the training clips\n/);
    expect(kfold.stdout).toMatch(/\n {2}test: accuracy \d\.\d{3} ± \d\.\d{3}/);
  });
});

/** Runs the CLI to its end: exit code and both outputs. */
function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
