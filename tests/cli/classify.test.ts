import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/dataset/csv';
import { copyDemoClips, trainDemoModel, writeBrokenFiles } from '../helpers/classify';
import { demoWorkspace } from '../helpers/demo-workspace';
import { pcm16Wav, tempDir, writeFile } from '../helpers/make-wav';

const bin = path.resolve('bin/ser-studio.js');
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let wsDir: string;
let experimentId: number;
let clean: string;
let withBroken: string;

beforeAll(async () => {
  const ws = await demoWorkspace('cli-classify-ws');
  experimentId = await trainDemoModel(ws);
  wsDir = ws.dir;
  ws.close();
  clean = tempDir('cli-classify-clean');
  copyDemoClips(clean, ['happiness', 'neutral'], 4);
  withBroken = tempDir('cli-classify-broken');
  copyDemoClips(withBroken, ['fear'], 3);
  writeBrokenFiles(withBroken, 'fear');
  writeFile(withBroken, 'readme.txt', 'not audio');
});

describe('ser-studio classify', () => {
  it('classifies a folder, lists the failed files with their reasons, writes the CSV and exits 1', () => {
    const out = path.join(tempDir('cli-classify-out'), 'pred.csv');
    const r = cli(['classify', '--experiment', String(experimentId), withBroken, '--backend', 'cpu', '--workers', '1', '--out', out, '--workspace', wsDir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^Classify run \d+: completed/);
    expect(r.stdout).toContain('files: 8 audio, 3 classified, 5 failed; 1 other file(s) skipped');
    expect(r.stdout).toContain('failed (5: ');
    expect(r.stdout).toContain('[empty] fear/empty.wav: the file is empty (0 bytes)');
    expect(r.stdout).toContain('[too_short] fear/short.wav: 0.050 s of audio is shorter than one analysis frame');
    expect(r.stdout).toContain('[not_audio] readme.txt: skipped: not an audio file');
    expect(r.stdout).toMatch(/true labels from the sub-folder names: 3 file\(s\) of the model's classes/);
    expect(r.stdout).toMatch(/accuracy \d\.\d{3}, macro F1/);
    const rows = parseCsv(fs.readFileSync(out, 'utf8'));
    expect(rows).toHaveLength(9);
    expect(rows.slice(1).filter((row) => row[row.length - 2] !== '')).toHaveLength(5);
  });

  it('prints the whole result with --json and lists the runs', () => {
    const r = cli(['classify', '--experiment', String(experimentId), clean, '--backend', 'cpu', '--json', '--workspace', wsDir]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ status: 'completed', counts: { files: 8, classified: 8, failed: 0 }, corpus: { relation: 'same-corpus' } });
    const list = cli(['classifications', '--json', '--workspace', wsDir]);
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout);
    expect(runs[0]).toMatchObject({ id: result.runId, status: 'completed', experimentId, files: 8, classified: 8 });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const text = cli(['classifications', '--workspace', wsDir]);
    expect(text.stdout.split('\n')[0]).toMatch(/^id\s+status\s+model\s+source/);
  });

  it('exports a model that classifies the same from another, empty workspace (classify --model)', () => {
    const modelDir = path.join(tempDir('cli-export'), 'model');
    const e = cli(['export-model', String(experimentId), '--out', modelDir, '--workspace', wsDir]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toContain(`Classify with it anywhere: ser-studio classify --model ${modelDir}`);
    const a = JSON.parse(cli(['classify', '--experiment', String(experimentId), clean, '--backend', 'cpu', '--json', '--workspace', wsDir]).stdout);
    const other = tempDir('cli-classify-other');
    const b = cli(['classify', '--model', modelDir, clean, '--backend', 'cpu', '--json', '--workspace', other]);
    expect(b.code, b.stderr).toBe(0);
    const rb = JSON.parse(b.stdout);
    expect(rb.model).toMatchObject({ experimentId: null, origin: { experimentId } });
    expect(rb.predictions.map((p: { probabilities: number[] }) => p.probabilities)).toEqual(a.predictions.map((p: { probabilities: number[] }) => p.probabilities));
    // A changed weights.bin is refused with its code's sentence.
    const w = fs.readFileSync(path.join(modelDir, 'weights.bin'));
    w[0] ^= 0xff;
    fs.writeFileSync(path.join(modelDir, 'weights.bin'), w);
    const bad = cli(['classify', '--model', modelDir, clean, '--workspace', other]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ser-studio classify: The model in .* has been altered: weights\.bin is not the file its ser-model\.json records/);
  });

  it('explains usage errors with exit code 2', () => {
    expect(cli(['classify', clean, '--workspace', wsDir]).code).toBe(2);
    expect(cli(['classify', '--experiment', '1', '--model', 'x', clean, '--workspace', wsDir]).code).toBe(2);
    expect(cli(['classify', '--experiment', '1', '--workspace', wsDir]).code).toBe(2);
    const out = cli(['classify', '--experiment', '1', clean, '--out', 'x.txt', '--workspace', wsDir]);
    expect([out.code, out.stderr]).toEqual([2, expect.stringMatching(/--out must end in \.csv .* or \.json/)]);
    expect(cli(['export-model', '--out', 'x', '--workspace', wsDir]).code).toBe(2);
    const missing = cli(['classify', '--experiment', String(experimentId), '/no/such/dir', '--workspace', wsDir]);
    expect([missing.code, missing.stderr]).toEqual([1, 'ser-studio classify: /no/such/dir: no such file or folder\n']);
  });

  it('cancels on Ctrl-C (SIGINT to the terminal\'s process group), records the run as cancelled and exits 130', async () => {
    const dir = tempDir('cli-classify-sigint');
    for (let i = 0; i < 60; i++) writeFile(dir, `c${i}.wav`, pcm16Wav({ seconds: 3, seed: 500 + i, freq: 100 + 5 * i }));
    // A process group of its own, as a terminal runs a command: Ctrl-C signals the whole group.
    const child = spawn(process.execPath, [bin, 'classify', '--experiment', String(experimentId), dir, '--backend', 'cpu', '--workers', '1', '--workspace', wsDir], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const db = new Database(path.join(wsDir, 'ser-studio.sqlite'), { readonly: true });
    const before = (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM classify_runs').get() as { id: number }).id;
    let runId: number | undefined;
    for (let i = 0; i < 400 && runId === undefined; i++) {
      await new Promise((r) => setTimeout(r, 25));
      runId = (db.prepare("SELECT id FROM classify_runs WHERE id > ? AND status = 'running'").get(before) as { id: number } | undefined)?.id;
    }
    expect(runId).toBeDefined();
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    expect(db.prepare('SELECT status, error FROM classify_runs WHERE id = ?').get(runId)).toEqual({ status: 'cancelled', error: 'cancelled by the user' });
    db.close();
    expect(stdout).toMatch(new RegExp(`^Classify run ${runId}: cancelled`));
  });
});
