import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFiles } from '../../../src/core/classify/classify';
import { classifyReport } from '../../../src/core/report/classify-report';
import { PREDICTED_FILE } from '../../../src/core/report/classify-sections';
import { reportsRoot, resolveReportFile } from '../../../src/core/report/files';
import { runReportJob } from '../../../src/core/report/job';
import { markdownText } from '../../../src/core/report/markdown';
import { renderPdf } from '../../../src/core/report/pdf';
import type { Workspace } from '../../../src/core/workspace/workspace';
import type { ClassifyResult } from '../../../src/shared/classify';
import { demoWorkspace } from '../../helpers/demo-workspace';
import { copyDemoClips, trainDemoModel, writeBrokenFiles } from '../../helpers/classify';
import { pcm16Wav, tempDir, writeFile } from '../../helpers/make-wav';
import { pdfText, pngStats } from './helpers';

let ws: Workspace;
let experimentId: number;
let labelled: ClassifyResult;
let unlabelled: ClassifyResult;

beforeAll(async () => {
  ws = await demoWorkspace('classify-report-ws');
  experimentId = await trainDemoModel(ws);
  // Demo clips (the model's own corpus, some of them its training clips), broken files, and a label it does not know.
  const folder = tempDir('classify-report-in');
  copyDemoClips(folder, ['anger', 'neutral'], 6);
  writeBrokenFiles(folder, 'anger');
  writeFile(folder, 'boredom/tone.wav', pcm16Wav({ seconds: 0.6, seed: 11, freq: 180 }));
  writeFile(folder, 'notes.txt', 'not audio');
  labelled = await classifyFiles(ws, { model: { experimentId }, source: { kind: 'folder', path: folder }, backend: 'cpu', workers: 1 });
  // New recordings with no labels at all: a cross-corpus run with predictions only.
  const other = tempDir('classify-report-new');
  for (let i = 0; i < 3; i++) writeFile(other, `take-${i}.wav`, pcm16Wav({ seconds: 0.7, seed: 30 + i, freq: 140 + 20 * i }));
  unlabelled = await classifyFiles(ws, { model: { experimentId }, source: { kind: 'folder', path: other }, backend: 'cpu', workers: 1 });
}, 240_000);
afterAll(() => ws?.close());

const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

describe('a classify run report', () => {
  it('has the model, the input with every failed and skipped file, the predicted classes and the evaluation, in English', () => {
    const doc = classifyReport(ws.db, labelled.runId, 'en');
    const md = markdownText(doc);
    const headings = md.split('\n').filter((l) => /^#{1,3} /.test(l));
    expect(headings).toEqual([
      '# Batch classification report',
      '## Model',
      '## Input',
      '### Files that could not be classified (5)',
      '### Files skipped (1)',
      '## Predicted classes',
      '## Evaluation against the known labels',
      '### Labels the model does not know',
      '## Versions and provenance',
    ]);
    expect(md).toContain(`Classification run #${labelled.runId}`);
    expect(md).toContain(`the model of experiment #${experimentId}, trained on “demo”`);
    expect(md).toMatch(/On its validation clips: accuracy 0\.\d{4}, macro F1 0\.\d{4}/);
    expect(md).toContain(`Audio files: ${labelled.counts.files}; classified: ${labelled.counts.classified}; failed: 5`);
    // The reason column does not repeat the file name the row already shows.
    expect(md).toContain('| anger/empty.wav | empty |');
    expect(md).toContain('| notes.txt | not_audio | skipped: not an audio file by its extension');
    const known = labelled.evaluation!.known!;
    expect(md).toContain(`Files whose true label is one of the model’s classes: ${known.files}. Accuracy ${known.accuracy.toFixed(4)}`);
    expect(md).toContain('| boredom | 1 |');
    // Demo clips are clips of the model's dataset, some of which trained it: said at the top, with the honest numbers.
    expect(labelled.corpus.inTraining).toBeGreaterThan(0);
    expect(md).toContain('> **⚠ Some files trained this model**');
    // ...which the engine's own English notice said too: not repeated under Notices (the only notice here).
    expect(labelled.notices.some((n) => n.includes('(same sha256)'))).toBe(true);
    expect(md).not.toContain('(same sha256)');
    expect(md).toContain(`![Predicted classes](${PREDICTED_FILE})`);
    expect(md).toContain('![Confusion matrix](confusion_matrix.png)');
    const counts = doc.blocks.find((b) => b.kind === 'table' && b.header[0] === 'Class' && b.header[1] === 'Files');
    expect(counts && counts.kind === 'table' && counts.rows.reduce((a, r) => a + Number(r[1]), 0)).toBe(labelled.counts.classified);
  });

  it('says cross-corpus and reports predictions only when the files carry no labels, in Russian', () => {
    const md = plain(markdownText(classifyReport(ws.db, unlabelled.runId, 'ru')));
    expect(md).toMatch(/^# Отчёт о пакетной классификации\n/);
    expect(md).toContain('Межкорпусная оценка: модель обучена на «demo», и ни один из этих 3 файлов не входит в её записи');
    expect(md).toContain('У файлов нет истинных меток, поэтому приводятся только предсказания.');
    expect(md).toContain('Истинные метки: нет');
    expect(md).not.toContain('confusion_matrix.png');
    expect(md).toContain('predicted_classes.png');
  });

  it('draws the predicted classes as bars in the classes’ colours, and lays out a PDF with the same text', async () => {
    const doc = classifyReport(ws.db, labelled.runId, 'en');
    const image = doc.blocks.find((b) => b.kind === 'image' && b.file === PREDICTED_FILE);
    expect(image?.kind).toBe('image');
    if (image?.kind !== 'image') return;
    const stats = await pngStats(image.png);
    expect([stats.width, stats.height]).toEqual([1600, 600]);
    // anger (#d94841) is predicted for some of the anger clips: its bar is drawn in its colour.
    if (labelled.predictedCounts.anger) expect(stats.has(([r, g, b]) => r === 0xd9 && g === 0x48 && b === 0x41)).toBe(true);
    const text = await pdfText(await renderPdf(doc));
    expect(text).toContain('Batch classification report');
    expect(text).toContain('anger/truncated.wav');
  });

  it('is refused for a run that does not exist', () => {
    expect(() => classifyReport(ws.db, 999, 'en')).toThrow(/No classify run #999/);
  });
});

describe('reports written from the window', () => {
  it('are written by a job process into <workspace>/reports/<folder>, and only those files are served', async () => {
    const written = await runReportJob(ws.dir, { classifyRunId: labelled.runId }, 'ru', 'both');
    expect(written.folder).toBe(`classify-${labelled.runId}-ru`);
    expect(written.dir).toBe(path.join(reportsRoot(ws.dir), written.folder));
    expect(written.files.map((f) => f.name)).toEqual(['report.pdf', 'report.md', 'predicted_classes.png', 'confusion_matrix.png']);
    for (const f of written.files) {
      expect(f.path).toBe(`${written.folder}/${f.name}`);
      expect(fs.statSync(path.join(written.dir, f.name)).size).toBe(f.bytes);
      expect(resolveReportFile(ws.dir, f.path)?.file).toBe(fs.realpathSync(path.join(written.dir, f.name)));
    }
    expect(resolveReportFile(ws.dir, `${written.folder}/report.pdf`)?.mime).toBe('application/pdf');
    // A second export of another format leaves only what it wrote.
    const md = await runReportJob(ws.dir, { classifyRunId: labelled.runId }, 'ru', 'md');
    expect(md.files.map((f) => f.name)).toEqual(['report.md', 'predicted_classes.png', 'confusion_matrix.png']);
    expect(fs.existsSync(path.join(written.dir, 'report.pdf'))).toBe(false);
  }, 120_000);

  it('refuse paths outside the reports folder, hidden and other files, and links out of it', () => {
    const root = reportsRoot(ws.dir);
    fs.mkdirSync(path.join(root, 'x'), { recursive: true });
    fs.writeFileSync(path.join(root, 'x', 'notes.txt'), 'no');
    fs.writeFileSync(path.join(root, 'x', '.hidden.md'), 'no');
    fs.writeFileSync(path.join(ws.dir, 'outside.pdf'), 'no');
    fs.symlinkSync(path.join(ws.dir, 'outside.pdf'), path.join(root, 'x', 'link.pdf'));
    for (const rel of ['../outside.pdf', 'x/../../outside.pdf', '/etc/passwd', 'x/notes.txt', 'x/.hidden.md', 'x/link.pdf', 'x\\..\\..\\outside.pdf', '', 'x//report.pdf', 'x/missing.pdf', 'x']) {
      expect(resolveReportFile(ws.dir, rel), rel).toBeNull();
    }
  });

  it('say so when the experiment does not exist', async () => {
    await expect(runReportJob(ws.dir, { experimentId: 999 }, 'en', 'md')).rejects.toMatchObject({ code: 'not_found' });
  });
});
