// Crash safety (issue 12, part 5): `kill -9` at seeded random points of the CLI's import, of training's feature
// stage and of training itself (the CLI, the detached training job, its feature workers, or all of them), then the
// workspace is opened as the next command would: the database is intact, no model row points at a missing or
// half-written folder, a killed run reads as interrupted (or cancelled, when only the terminal's process died and
// the job stopped itself) with exactly the epochs it recorded, and the next import or training in the same workspace
// works. Then CLI processes writing one workspace at once. Needs the built CLI (npm run build:cli).
// CRASH_SEED / CRASH_TRIALS change the seed and the number of trials of each kind.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../../src/core/dataset/import';
import { runExperiment } from '../../src/core/experiments/run';
import { openWorkspace, type Workspace } from '../../src/core/workspace/workspace';
import { pcm16Wav, tempDir, writeFile } from '../helpers/make-wav';
import { mulberry32 } from '../helpers/mulberry32';

const SEED = Number(process.env.CRASH_SEED ?? 12);
const TRIALS = Number(process.env.CRASH_TRIALS ?? 10);
const bin = path.resolve('bin/ser-studio.js');
const builtCli = path.resolve('out/cli/index.js');
const EPOCHS = 60;

const rng = mulberry32;
/** Each kind of trial draws from a generator of its own: they run at once, in any interleaving. */
const randomFor = (kind: number) => rng(SEED * 7919 + kind);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two classes of short tones: features and epochs take milliseconds, so a trial is a few seconds. */
function makeData(root: string, shift = 0): string {
  for (const [label, f] of [
    ['low', 180 + shift],
    ['high', 420 + shift],
  ] as const) {
    for (let i = 0; i < 12; i++) writeFile(root, `${label}/${label}-${i}.wav`, pcm16Wav({ seconds: 0.6, freq: f + i * 7, seed: i + 1 + shift }));
  }
  return root;
}

interface Cli {
  child: ChildProcess;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  started: number;
}

/** The CLI in a process group of its own, as a terminal starts a command. */
function cli(args: string[], ws: string): Cli {
  const child = spawn(process.execPath, [bin, ...args, '--workspace', ws], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, out: () => text, exited, started: performance.now() };
}

/** A process's state letter from /proc (R, S, Z...), or null once it is gone. */
function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return null;
  }
}

/** `pid` and every process below it (the CLI, its training job, the job's feature workers). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      /* gone meanwhile */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** Waits until none of `pids` runs (a zombie has ended: it only waits for its parent); returns those still running. */
async function waitGone(pids: number[], ms = 30_000): Promise<number[]> {
  const until = performance.now() + ms;
  let left = pids;
  while ((left = left.filter((p) => ![null, 'Z', 'X'].includes(procState(p)))).length && performance.now() < until) await sleep(25);
  return left;
}

function kill9(pid: number, group = false): void {
  try {
    process.kill(group ? -pid : pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

function readonlyQuery<T>(wsDir: string, sql: string, ...params: unknown[]): T | undefined {
  const file = path.join(wsDir, 'ser-studio.sqlite');
  if (!fs.existsSync(file)) return undefined;
  // A plain connection (no migrations, no sweeping): the test only watches.
  const db = new Database(file, { readonly: true, timeout: 30_000 });
  try {
    return db.prepare(sql).get(...params) as T | undefined;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

/** Polls the newest run of a workspace until `ok` holds for it; null after `ms`. */
async function waitRun(wsDir: string, after: number, ok: (r: { id: number; stage: string | null; status: string; pid: number | null; epochs_completed: number }) => boolean, ms = 60_000) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const r = readonlyQuery<{ id: number; stage: string | null; status: string; pid: number | null; epochs_completed: number }>(
      wsDir,
      'SELECT id, stage, status, pid, epochs_completed FROM experiments WHERE id > ? AND parent_id IS NULL ORDER BY id DESC LIMIT 1',
      after,
    );
    if (r && ok(r)) return r;
    await sleep(15);
  }
  return null;
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

interface RunRow {
  id: number;
  status: string;
  pid: number | null;
  epochs_completed: number;
  n: number;
  last: number | null;
}

/**
 * Opens the workspace as the next command would (sweeping partial folders, marking orphaned runs) and checks
 * everything a killed process could have left half done. Returns the open workspace (closed by the caller).
 */
function openAndCheck(wsDir: string): Workspace {
  const ws = openWorkspace(wsDir);
  expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(ws.db.pragma('foreign_key_check')).toEqual([]);
  // Every model row names a complete folder: its files as hashed when it was recorded.
  const models = ws.db.prepare('SELECT experiment_id, path, model_json_sha256, weights_sha256 FROM models').all() as {
    experiment_id: number;
    path: string;
    model_json_sha256: string;
    weights_sha256: string;
  }[];
  for (const m of models) {
    expect(m.path, `model of run ${m.experiment_id}`).not.toMatch(/partial/);
    expect(fs.existsSync(path.join(m.path, 'ser-model.json')), `${m.path}/ser-model.json`).toBe(true);
    expect(sha256(path.join(m.path, 'model.json'))).toBe(m.model_json_sha256);
    expect(sha256(path.join(m.path, 'weights.bin'))).toBe(m.weights_sha256);
  }
  // Nothing half-written is left beside them once the workspace is open.
  expect(fs.readdirSync(ws.modelsDir).filter((n) => n.includes('.partial-'))).toEqual([]);
  // No run reads as running; one that stopped has exactly the epochs it recorded, numbered 1..n; a completed one has its model.
  const runs = ws.db
    .prepare(
      `SELECT e.id, e.status, e.pid, e.epochs_completed, (SELECT COUNT(*) FROM epochs WHERE experiment_id = e.id) AS n,
              (SELECT MAX(epoch) FROM epochs WHERE experiment_id = e.id) AS last
       FROM experiments e`,
    )
    .all() as RunRow[];
  for (const r of runs) {
    expect(r.status, `run ${r.id} (pid ${r.pid}: ${r.pid ? procState(r.pid) : '-'})`).not.toBe('running');
    expect(r.epochs_completed, `run ${r.id} epochs`).toBe(r.n);
    expect(r.last ?? 0, `run ${r.id} last epoch`).toBe(r.n);
    if (r.status === 'completed') expect(models.some((m) => m.experiment_id === r.id), `model of completed run ${r.id}`).toBe(true);
  }
  // A cached vector is whole.
  expect(ws.db.prepare('SELECT COUNT(*) AS n FROM feature_cache WHERE length(vector) != dims * 8').get()).toEqual({ n: 0 });
  return ws;
}

type Target = 'cli' | 'job' | 'job-group' | 'all';
const TARGETS: Target[] = ['cli', 'job', 'job-group', 'all'];
const pick = <T>(random: () => number, xs: readonly T[]) => xs[Math.floor(random() * xs.length)];

/**
 * The trainings this test runs itself (after each kill) one at a time: tfjs in one process keeps one set of
 * variables, which a training disposes of when it ends.
 */
let inProcess: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const next = inProcess.then(fn, fn);
  inProcess = next.catch(() => undefined);
  return next;
}

/** Kills what `target` names; returns every process that was running under the CLI at that moment. */
function killTarget(run: Cli, jobPid: number | null, target: Target): number[] {
  const tree = processTree(run.child.pid!);
  if (target === 'cli') kill9(run.child.pid!);
  else if (target === 'job' && jobPid) kill9(jobPid);
  else if (target === 'job-group' && jobPid) kill9(jobPid, true);
  else {
    kill9(run.child.pid!, true);
    if (jobPid) kill9(jobPid, true);
  }
  return tree;
}

/** What a killed run may read as: a job killed is interrupted; a job whose terminal died cancels itself. */
function expectedStatus(target: Target): string[] {
  return target === 'cli' ? ['cancelled', 'completed'] : ['interrupted', 'completed'];
}

/** Epochs recorded by the training runs that a kill stopped. */
const stoppedAt: number[] = [];
const timings: Record<string, { trials: number; ms: number; outcomes: Record<string, number> }> = {};
function tally(kind: string, t0: number, outcome: string): void {
  const t = (timings[kind] ??= { trials: 0, ms: 0, outcomes: {} });
  t.trials++;
  t.ms += performance.now() - t0;
  t.outcomes[outcome] = (t.outcomes[outcome] ?? 0) + 1;
}

let root: string;
let data: string;
let data2: string;
const quick = { augment: [] as [], epochs: 2, patience: 0, backend: 'cpu' as const, workers: 1 };

beforeAll(async () => {
  if (!fs.existsSync(builtCli)) throw new Error(`the built CLI is missing (${builtCli}): run npm run build:cli first`);
  root = tempDir('crash');
  data = makeData(path.join(root, 'data'));
  data2 = makeData(path.join(root, 'data2'), 37);
});

afterAll(() => {
  // The numbers docs/robustness.md quotes.
  for (const [kind, t] of Object.entries(timings)) {
    console.log(`crash ${kind}: ${t.trials} trials, ${(t.ms / 1000).toFixed(1)} s, ${JSON.stringify(t.outcomes)}`);
  }
  if (stoppedAt.length) console.log(`crash training: stopped runs had recorded ${stoppedAt.join(', ')} of ${EPOCHS} epochs`);
});

// The three kinds of trial run at once (each in a workspace of its own), as they would on a machine with more cores.
describe.concurrent('kill -9 at random points', () => {
  it(`the CLI's import (${TRIALS} trials): a dataset is imported whole or not at all, and importing again works`, { timeout: 300_000 }, async () => {
    const wsDir = path.join(root, 'ws-import');
    // How long an import takes here, start-up included: the kill points are spread over it.
    const base = cli(['import', data, '--name', 'base'], wsDir);
    expect((await base.exited).code, base.out()).toBe(0);
    const span = performance.now() - base.started;
    const random = randomFor(1);
    for (let i = 0; i < TRIALS; i++) {
      const t0 = performance.now();
      const name = `d${i}`;
      const run = cli(['import', data, '--name', name], wsDir);
      await sleep(random() * span);
      const tree = killTarget(run, null, 'all');
      await run.exited;
      expect(await waitGone(tree)).toEqual([]);
      const ws = openAndCheck(wsDir);
      try {
        const clips = ws.db.prepare('SELECT COUNT(*) AS n FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = ?').get(name) as { n: number };
        expect([0, 24], `clips of ${name} after the kill`).toContain(clips.n);
        const report = await importDataset(ws.db, { source: data, name });
        expect(report.clips).toBe(24);
        tally('import', t0, clips.n ? 'imported' : 'not imported');
      } finally {
        ws.close();
      }
    }
  });

  it(`training's feature stage (${TRIALS} trials): the cache holds whole vectors, the run reads as stopped, training again works`, { timeout: 300_000 }, async () => {
    const wsDir = path.join(root, 'ws-features');
    const ws0 = openWorkspace(wsDir);
    await importDataset(ws0.db, { source: data, name: 'd' });
    ws0.close();
    const args = ['train', '--dataset', 'd', '--augment', 'gain,shift,noise', '--copies', '1', '--epochs', '5', '--patience', '0', '--backend', 'cpu', '--workers', '2'];
    // How long the stage takes here: the kill points are spread over it.
    const base = cli(args, wsDir);
    const seen = await waitRun(wsDir, 0, (r) => r.stage === 'features');
    expect(seen).not.toBeNull();
    const tf = performance.now();
    await waitRun(wsDir, 0, (r) => r.stage !== 'features' || r.status !== 'running');
    const span = performance.now() - tf;
    expect((await base.exited).code, base.out()).toBe(0);
    let last = seen!.id;
    const random = randomFor(2);
    for (let i = 0; i < TRIALS; i++) {
      const t0 = performance.now();
      const clear = openWorkspace(wsDir);
      clear.db.exec('DELETE FROM feature_cache');
      clear.close();
      const run = cli(args, wsDir);
      const row = await waitRun(wsDir, last, (r) => r.stage === 'features' && r.pid !== null);
      expect(row, run.out()).not.toBeNull();
      last = row!.id;
      await sleep(random() * span);
      const target = pick(random, TARGETS);
      const tree = killTarget(run, row!.pid, target);
      const exit = await run.exited;
      expect(await waitGone(tree), `processes left after killing ${target}`).toEqual([]);
      if (target === 'job' || target === 'job-group') {
        // The CLI outlived its job: it says so and fails.
        if (exit.code !== 0) expect(run.out()).toMatch(/ended unexpectedly/);
      }
      const ws = openAndCheck(wsDir);
      try {
        const status = (ws.db.prepare('SELECT status FROM experiments WHERE id = ?').get(row!.id) as { status: string }).status;
        expect(expectedStatus(target), `run ${row!.id} after killing ${target}: ${run.out()}`).toContain(status);
        const again = await oneAtATime(() => runExperiment(ws, { dataset: 'd', ...quick }));
        expect(again.status).toBe('completed');
        last = again.experimentId;
        tally('features', t0, `${target}:${status}`);
      } finally {
        ws.close();
      }
    }
  });

  it(`training (${TRIALS} trials): interrupted with the epochs it completed, never a half-written model, training again works`, { timeout: 300_000 }, async () => {
    const wsDir = path.join(root, 'ws-train');
    const ws0 = openWorkspace(wsDir);
    await importDataset(ws0.db, { source: data, name: 'd' });
    ws0.close();
    const args = ['train', '--dataset', 'd', '--augment', 'none', '--epochs', String(EPOCHS), '--patience', '0', '--backend', 'cpu'];
    // How long training takes here, from its first epoch to the process's end (saving the model included).
    const base = cli(args, wsDir);
    const seen = await waitRun(wsDir, 0, (r) => r.stage === 'training');
    expect(seen, base.out()).not.toBeNull();
    const tt = performance.now();
    expect((await base.exited).code, base.out()).toBe(0);
    const span = performance.now() - tt;
    let last = seen!.id;
    const random = randomFor(3);
    for (let i = 0; i < TRIALS; i++) {
      const t0 = performance.now();
      const run = cli(args, wsDir);
      const row = await waitRun(wsDir, last, (r) => r.stage === 'training' && r.pid !== null);
      expect(row, run.out()).not.toBeNull();
      last = row!.id;
      await sleep(random() * span * 1.1);
      const target = pick(random, TARGETS);
      const tree = killTarget(run, row!.pid, target);
      await run.exited;
      expect(await waitGone(tree), `processes left after killing ${target}`).toEqual([]);
      const ws = openAndCheck(wsDir);
      try {
        const r = ws.db.prepare('SELECT status, epochs_completed FROM experiments WHERE id = ?').get(row!.id) as { status: string; epochs_completed: number };
        expect(expectedStatus(target), `run ${row!.id} after killing ${target}: ${run.out()}`).toContain(r.status);
        if (r.status === 'completed') expect(r.epochs_completed).toBe(EPOCHS);
        else stoppedAt.push(r.epochs_completed);
        const again = await oneAtATime(() => runExperiment(ws, { dataset: 'd', ...quick }));
        expect(again.status).toBe('completed');
        last = again.experimentId;
        tally('training', t0, `${target}:${r.status}`);
      } finally {
        ws.close();
      }
    }
  });
});

describe('two CLI processes writing one workspace at once', () => {
  const noLock = (c: Cli) => expect(c.out()).not.toMatch(/database is locked|SQLITE_BUSY/i);

  it('two imports of different datasets into a new workspace: both succeed', { timeout: 60_000 }, async () => {
    const wsDir = path.join(root, 'ws-two-imports');
    const a = cli(['import', data, '--name', 'a'], wsDir);
    const b = cli(['import', data2, '--name', 'b'], wsDir);
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect(ea.code, a.out()).toBe(0);
    expect(eb.code, b.out()).toBe(0);
    noLock(a);
    noLock(b);
    const ws = openAndCheck(wsDir);
    expect(ws.db.prepare('SELECT d.name, COUNT(s.id) AS n FROM datasets d JOIN samples s ON s.dataset_id = d.id GROUP BY d.name ORDER BY d.name').all()).toEqual([
      { name: 'a', n: 24 },
      { name: 'b', n: 24 },
    ]);
    ws.close();
  });

  it('an import while two trainings extract features and train: all succeed', { timeout: 120_000 }, async () => {
    const wsDir = path.join(root, 'ws-busy');
    const ws0 = openWorkspace(wsDir);
    await importDataset(ws0.db, { source: data, name: 'd' });
    ws0.close();
    const train = ['train', '--dataset', 'd', '--augment', 'gain,shift', '--copies', '1', '--epochs', '60', '--patience', '0', '--backend', 'cpu', '--workers', '1'];
    const t1 = cli(train, wsDir);
    const t2 = cli([...train, '--seed', '7'], wsDir);
    expect(await waitRun(wsDir, 0, (r) => r.stage === 'features')).not.toBeNull();
    const imp = cli(['import', data2, '--name', 'other'], wsDir);
    const exits = await Promise.all([t1.exited, t2.exited, imp.exited]);
    [t1, t2, imp].forEach((c, i) => {
      expect(exits[i].code, c.out()).toBe(0);
      noLock(c);
    });
    const ws = openAndCheck(wsDir);
    expect(ws.db.prepare("SELECT COUNT(*) AS n FROM experiments WHERE status = 'completed'").get()).toEqual({ n: 2 });
    ws.close();
  });
});
