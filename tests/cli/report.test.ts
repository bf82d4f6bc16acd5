import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyFiles } from '../../src/core/classify/classify';
import { runExperiment } from '../../src/core/experiments/run';
import type { Workspace } from '../../src/core/workspace/workspace';
import { copyDemoClips } from '../helpers/classify';
import { demoWorkspace } from '../helpers/demo-workspace';
import { tempDir } from '../helpers/make-wav';

const bin = path.resolve('bin/ser-studio.js');
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let ws: Workspace;
let id: number;
let runId: number;
beforeAll(async () => {
  ws = await demoWorkspace('cli-report-ws');
  id = (await runExperiment(ws, { dataset: 'demo', augment: [], copies: 0, epochs: 3, patience: 0, backend: 'cpu', seed: 3 })).experimentId;
  const folder = tempDir('cli-report-in');
  copyDemoClips(folder, ['fear', 'neutral'], 3);
  runId = (await classifyFiles(ws, { model: { experimentId: id }, source: { kind: 'folder', path: folder }, backend: 'cpu', workers: 1 })).runId;
  ws.close();
}, 120_000);

describe('ser-studio report', () => {
  it('writes the Markdown, the PDF and both charts into a new folder and prints their paths as JSON', () => {
    const out = path.join(tempDir('cli-report'), 'report-ru');
    const r = cli(['report', String(id), '--format', 'both', '--lang', 'ru', '--out', out, '--workspace', ws.dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed).toMatchObject({
      experimentId: id,
      lang: 'ru',
      format: 'both',
      dir: out,
      markdown: path.join(out, 'report.md'),
      pdf: path.join(out, 'report.pdf'),
      images: [path.join(out, 'confusion_matrix.png'), path.join(out, 'training_curves.png')],
    });
    expect(fs.readdirSync(out).sort()).toEqual(['confusion_matrix.png', 'report.md', 'report.pdf', 'training_curves.png']);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toMatch(/^# Отчёт об обучении модели классификации эмоций\n/);
  });

  it('writes only the Markdown with --format md, in English, and lists the files', () => {
    const out = path.join(tempDir('cli-report'), 'en');
    const r = cli(['report', String(id), '--format', 'md', '--lang', 'en', '--out', out, '--workspace', ws.dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Report of experiment #${id} (en) in ${out}:`);
    expect(r.stdout).toContain(path.join(out, 'report.md'));
    expect(fs.existsSync(path.join(out, 'report.pdf'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toMatch(/^# Speech emotion recognition model training report\n/);
  });

  it("writes a classify run's own report with --classify RUN", () => {
    const out = path.join(tempDir('cli-report'), 'classify');
    const r = cli(['report', '--classify', String(runId), '--format', 'md', '--lang', 'ru', '--out', out, '--workspace', ws.dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ classifyRunId: runId, lang: 'ru', format: 'md', dir: out, markdown: path.join(out, 'report.md'), pdf: null });
    expect(fs.readdirSync(out).sort()).toEqual(['confusion_matrix.png', 'predicted_classes.png', 'report.md']);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toMatch(/^# Отчёт о пакетной классификации\n/);
    const missing = cli(['report', '--classify', '999', '--out', tempDir('cli-report'), '--workspace', ws.dir]);
    expect([missing.code, missing.stderr.trim()]).toEqual([1, 'ser-studio report: No classify run #999 in this workspace (see: ser-studio classifications).']);
    expect(cli(['report', String(id), '--classify', String(runId), '--workspace', ws.dir]).code).toBe(2);
    expect(cli(['report', '--classify', 'x', '--workspace', ws.dir]).stderr).toContain('the classify run id must be a whole number');
  });

  it('says plainly when the experiment does not exist (exit 1) and explains bad arguments (exit 2)', () => {
    const missing = cli(['report', '999', '--out', tempDir('cli-report'), '--workspace', ws.dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ser-studio report: No experiment #999 in this workspace (see: ser-studio experiments).');
    const lang = cli(['report', String(id), '--lang', 'de', '--workspace', ws.dir]);
    expect(lang.code).toBe(2);
    expect(lang.stderr).toContain('--lang must be en or ru');
    expect(cli(['report', '--workspace', ws.dir]).code).toBe(2);
  });
});
