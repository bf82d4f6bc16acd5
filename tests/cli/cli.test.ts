import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pcm16Wav, tempDir, writeFile } from '../helpers/make-wav';

const bin = path.resolve('bin/ser-studio.js');
function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ser-studio CLI', () => {
  it('imports a folder and prints the JSON summary, then lists datasets', () => {
    const root = tempDir('cli-data');
    writeFile(root, 'happy/h1.wav', pcm16Wav({ seconds: 0.4, seed: 1 }));
    writeFile(root, 'happy/h2.wav', pcm16Wav({ seconds: 0.4, seed: 2 }));
    writeFile(root, 'sad/s1.wav', pcm16Wav({ seconds: 0.4, seed: 3 }));
    writeFile(root, 'sad/bad.wav', 'not audio at all');
    const wsDir = tempDir('cli-ws');
    const r = cli(['import', root, '--name', 'mini', '--json', '--workspace', wsDir]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ name: 'mini', clips: 3, classes: { happy: 2, sad: 1 }, speakers: 0 });
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['id', 'name', 'clips', 'classes', 'speakers', 'durationSec', 'errors', 'duplicates']));
    expect(out.errors).toEqual([expect.objectContaining({ file: 'sad/bad.wav' })]);
    const list = cli(['datasets', '--json'], { SER_STUDIO_HOME: wsDir });
    expect(JSON.parse(list.stdout).map((d: { name: string }) => d.name)).toEqual(['mini']);
  });

  it('explains usage errors with exit code 2', () => {
    const r = cli(['import', '--workspace', tempDir('cli-ws2')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage: ser-studio import/);
    expect(cli(['frobnicate']).code).toBe(2);
  });

  it('reports a missing source plainly with exit code 1', () => {
    const r = cli(['import', '/no/such/dir', '--name', 'x', '--workspace', tempDir('cli-ws3')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('/no/such/dir: no such file or folder');
  });
});
