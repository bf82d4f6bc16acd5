import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentDetail } from '../../../src/core/experiments/queries';
import { runExperiment } from '../../../src/core/experiments/run';
import { ExperimentStore } from '../../../src/core/store/experiments';
import type { ReportDoc } from '../../../src/core/report/doc';
import { experimentReport } from '../../../src/core/report/experiment-report';
import { markdownText } from '../../../src/core/report/markdown';
import { renderPdf } from '../../../src/core/report/pdf';
import { writeReport } from '../../../src/core/report/write';
import type { Workspace } from '../../../src/core/workspace/workspace';
import type { ExperimentDetail } from '../../../src/shared/experiment';
import { formatDecimal, formatPercent, type Lang } from '../../../src/shared/i18n';
import { FEATURE_PRESET_INFO } from '../../../src/shared/params';
import { demoWorkspace } from '../../helpers/demo-workspace';
import { tempDir } from '../../helpers/make-wav';
import { pdfText, pngStats } from './helpers';

let ws: Workspace;
const ids = { holdout: 0, kfold: 0, kfoldCancelled: 0, leaky: 0, cancelled: 0 };

// Small but real runs on the demo corpus (cpu backend, a few epochs), as tests/core/experiments/run.test.ts trains them.
const base = { dataset: 'demo', augment: ['gain', 'shift'] as ('gain' | 'shift')[], copies: 2, epochs: 6, patience: 3, backend: 'cpu' as const, seed: 7 };

beforeAll(async () => {
  ws = await demoWorkspace('report-ws');
  ids.holdout = (await runExperiment(ws, base)).experimentId;
  ids.kfold = (await runExperiment(ws, { ...base, split: { kind: 'speaker-kfold', k: 4 }, epochs: 2, copies: 0, augment: [] })).experimentId;
  const stopFold2 = new AbortController();
  ids.kfoldCancelled = (
    await runExperiment(
      ws,
      { ...base, split: { kind: 'kfold', k: 3 }, epochs: 3, patience: 0, copies: 0, augment: [] },
      { signal: stopFold2.signal, onProgress: (p) => p.phase === 'epoch' && p.fold === 1 && stopFold2.abort() },
    )
  ).experimentId;
  ids.leaky = (await runExperiment(ws, { ...base, leaky: true })).experimentId;
  const stopEpoch2 = new AbortController();
  ids.cancelled = (
    await runExperiment(ws, { ...base, epochs: 5, patience: 0 }, { signal: stopEpoch2.signal, onProgress: (p) => p.phase === 'epoch' && p.epoch === 2 && stopEpoch2.abort() })
  ).experimentId;
}, 300_000);
afterAll(() => ws?.close());

const detail = (id: number): ExperimentDetail => experimentDetail(ws.db, id)!;
const md = (id: number, lang: Lang): string => markdownText(experimentReport(ws.db, id, lang));
const headings = (text: string): string[] => text.split('\n').filter((l) => /^#{1,3} /.test(l));
/** Russian prose puts a no-break space before %; compare with plain spaces. */
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

const HEADINGS: Record<Lang, string[]> = {
  ru: [
    '# Отчёт об обучении модели классификации эмоций',
    '## Архитектура модели',
    '## Извлечение признаков',
    '### Аугментации',
    '## Итоги обучения',
    '## Classification report',
    '## Матрица ошибок',
    '## Графики обучения',
    '## Анализ результатов',
    '## Набор данных',
    '## Протокол оценки',
    '## Воспроизводимость',
  ],
  en: [
    '# Speech emotion recognition model training report',
    '## Model architecture',
    '## Feature extraction',
    '### Augmentations',
    '## Training results',
    '## Classification report',
    '## Confusion matrix',
    '## Training curves',
    '## Analysis',
    '## Dataset',
    '## Evaluation protocol',
    '## Reproducibility',
  ],
};

describe('experimentReport: a hold-out run', () => {
  it.each(['ru', 'en'] as const)('has the reference sections in order, then ours (%s)', (lang) => {
    expect(headings(md(ids.holdout, lang))).toEqual(HEADINGS[lang]);
  });

  it('quotes the stored numbers (ru)', () => {
    const d = detail(ids.holdout);
    const s = d.summary!;
    const text = plain(md(ids.holdout, 'ru'));
    const n = (v: number, digits = 4) => formatDecimal('ru', v, digits);
    for (const line of [
      `- Финальная точность (train): ${n(s.finalTrainAcc)}`,
      `- Лучшая точность (train): ${n(s.bestTrainAcc)}`,
      `- Финальная точность (val): ${n(s.finalValAcc)}`,
      `- Лучшая точность (val): ${n(s.bestValAcc)}`,
      `- Финальная loss (train): ${n(s.finalTrainLoss)}`,
      `- Финальная loss (val): ${n(s.finalValLoss)}`,
      `- Минимальная loss (val): ${n(s.minValLoss)} (эпоха ${s.minValLossEpoch})`,
      `- Сохранённые веса: эпоха ${d.weights!.epoch} с минимальной loss (val) (восстановлены ранней остановкой)`,
      `- Сохранённая модель на валидации: точность ${n(d.accuracy!)}, macro F1 ${n(d.macroF1!)}, weighted F1 ${n(d.weightedF1!)}`,
      `- Финальная точность: train ${plain(formatPercent('ru', s.finalTrainAcc))}, val ${plain(formatPercent('ru', s.finalValAcc))}, лучшая val ${plain(formatPercent('ru', s.bestValAcc))}.`,
      `- Лучший класс по F1: ${s.bestClass.label} (${n(s.bestClass.f1, 3)}).`,
      `- Слабейший класс по F1: ${s.weakestClass.label} (${n(s.weakestClass.f1, 3)}).`,
      '| dense_3 (Dense) | (None, 7) | 455 |',
      '| Всего |  | 84359 |',
      'Total params: 84359 (329.53 KB)',
      '![Матрица ошибок](confusion_matrix.png)',
      '![Графики точности и loss](training_curves.png)',
      'Валидация: 20 записей.',
      '- Обучение: 78 записей → 234 строки с аугментированными копиями',
    ]) {
      expect(text).toContain(line);
    }
    // Only the augmentations the run used (in its order), with its copies.
    expect(text).toContain('### Аугментации\n\n- Изменение усиления (gain)\n- Сдвиг по времени\n- 2 аугментированные копии каждой обучающей записи');
    expect(text).not.toContain('Добавление шума');
    const top = s.topConfusion;
    if (top) expect(text).toMatch(new RegExp(`Наибольшая путаница: истинный ‘${top.trueLabel}’ ошибочно классифицируется как ‘${top.predictedLabel}’ \\(${top.count} раза?\\)`));
    else expect(text).toContain('Ни одна запись не отнесена к чужому классу.');
  });

  it('prints the classification report as the reference does: a row per class, macro and weighted averages, 4 decimals', () => {
    const d = detail(ids.holdout);
    const text = md(ids.holdout, 'en');
    expect(text).toContain('| Class | Precision | Recall | F1-score | Support |\n| --- | ---: | ---: | ---: | ---: |');
    for (const r of d.perClass) expect(text).toContain(`| ${r.label} | ${r.precision.toFixed(4)} | ${r.recall.toFixed(4)} | ${r.f1.toFixed(4)} | ${r.support} |`);
    const support = d.perClass.reduce((a, r) => a + r.support, 0);
    expect(support).toBe(d.split!.valClips);
    // The macro and weighted F1 the engine stored, and the support total.
    expect(text).toMatch(new RegExp(`\\| Macro avg \\| [\\d.]+ \\| [\\d.]+ \\| ${d.macroF1!.toFixed(4)} \\| ${support} \\|`));
    expect(text).toMatch(new RegExp(`\\| Weighted avg \\| [\\d.]+ \\| [\\d.]+ \\| ${d.weightedF1!.toFixed(4)} \\| ${support} \\|`));
  });

  it('says how the run was evaluated and what re-runs it (en)', () => {
    const d = detail(ids.holdout);
    const text = md(ids.holdout, 'en');
    expect(text).toContain('Evaluation protocol: stratified hold-out 80/20, seed 7. Status: completed.');
    expect(text).toContain('- Clips: 98\n- Classes: 7\n- Speakers: 4\n- Duration:');
    expect(text).toContain(`| Dataset content hash | ${d.datasetHash} |`);
    expect(text).toContain(`| Feature configuration hash | ${d.featureConfigHash} |`);
    expect(text).toContain(`| Seed | 7 |`);
    expect(text).toContain(`| Backend | cpu |`);
    expect(text).toContain('"copies": 2');
    expect(text).not.toContain('Leaky');
  });
});

describe('experimentReport: cross-validation', () => {
  it('gives mean ± sd over the folds and a row per fold', () => {
    const d = detail(ids.kfold);
    const fs = d.foldsSummary!;
    const text = plain(md(ids.kfold, 'en'));
    expect(headings(text)).toEqual(HEADINGS.en);
    const f = (v: number) => formatDecimal('en', v, 4);
    expect(text).toContain(`- Cross-validation: all 4 folds completed`);
    expect(text).toContain(`- Accuracy, mean ± sd over 4 folds: ${f(fs.accuracy.mean)} ± ${f(fs.accuracy.sd!)}`);
    expect(text).toContain(`- Macro F1, mean ± sd: ${f(fs.macroF1.mean)} ± ${f(fs.macroF1.sd!)}`);
    expect(text).toContain(`- Pooled accuracy (the completed folds’ validation predictions together): ${f(fs.pooledAccuracy)}`);
    expect(text).toContain('| Fold | Held-out speakers | Status | Val clips | Accuracy | Macro F1 | Epochs |');
    const children = d.children.map((c) => detail(c.id));
    expect(children).toHaveLength(4);
    for (const c of children) {
      expect(text).toMatch(new RegExp(`\\| ${c.fold! + 1} \\| [^|]+ \\| completed \\| ${c.split!.valClips} \\| ${c.accuracy!.toFixed(4)} \\| ${c.macroF1!.toFixed(4)} \\| ${c.epochs} \\|`));
    }
    // Pooled: every clip validated once.
    expect(text).toContain('The validation predictions of the completed folds pooled (over 4 folds): 98 clips.');
    expect(text).toContain('![Validation curves of each fold](training_curves.png)');
    expect(text).toContain('Evaluation protocol: leave-speakers-out 4-fold cross-validation, seed 7.');
  });

  it('in Russian too, with the pooled matrix and each fold’s curves', () => {
    const doc = experimentReport(ws.db, ids.kfold, 'ru');
    const text = plain(markdownText(doc));
    const fs = detail(ids.kfold).foldsSummary!;
    expect(text).toContain(`- Точность, среднее ± sd по 4 фолдам: ${formatDecimal('ru', fs.accuracy.mean, 4)} ± ${formatDecimal('ru', fs.accuracy.sd!, 4)}`);
    const correct = detail(ids.kfold).confusion.matrix.reduce((a, row, i) => a + row[i], 0);
    expect(text).toContain(`${correct} из 98 на диагонали`);
    expect(doc.blocks.filter((b) => b.kind === 'image').map((b) => b.kind === 'image' && b.file)).toEqual(['confusion_matrix.png', 'training_curves.png']);
  });

  it('reports one fold on its own, naming its cross-validation and held-out speakers', () => {
    const fold = detail(detail(ids.kfold).children[1].id);
    const text = md(fold.id, 'en');
    expect(headings(text)).toEqual(HEADINGS.en);
    expect(text).toContain(`Fold 2 of the cross-validation #${ids.kfold}.`);
    expect(text).toMatch(/Evaluation protocol: leave-speakers-out 4-fold \(fold 2: speakers [^)]+\), seed 7\./);
    expect(text).toContain(`- Final accuracy (val): ${fold.summary!.finalValAcc.toFixed(4)}`);
    expect(text).toContain(`- Final accuracy: train ${formatPercent('en', fold.summary!.finalTrainAcc)}, val ${formatPercent('en', fold.summary!.finalValAcc)}`);
  });

  it('says a cross-validation stopped part-way is incomplete, with no sd from one fold', () => {
    const en = plain(md(ids.kfoldCancelled, 'en'));
    expect(en).toContain('Status: incomplete: 1 of 3 folds (cancelled).');
    expect(en).toContain('> **⚠ The run did not complete**');
    expect(en).toContain('The cross-validation is incomplete: 1 of 3 folds (cancelled): its numbers come from the completed folds only.');
    expect(en).toContain('- Cross-validation: incomplete: 1 of 3 folds (cancelled)');
    const fs = detail(ids.kfoldCancelled).foldsSummary!;
    expect(en).toContain(`- Accuracy over 1 of 3 folds (one fold, no sd): ${fs.accuracy.mean.toFixed(4)}`);
    expect(en).not.toMatch(/Accuracy[^\n]*±/);
    expect(en).toMatch(/\| 1 \| — \| completed \|/);
    expect(en).toMatch(/\| 2 \| — \| cancelled \|/);
    const ru = plain(md(ids.kfoldCancelled, 'ru'));
    expect(ru).toContain('Статус: не завершено: 1 из 3 фолдов (отменено).');
    expect(ru).toContain(`- Точность по 1 из 3 фолдов (один фолд, без sd): ${formatDecimal('ru', fs.accuracy.mean, 4)}`);
  });
});

describe('experimentReport: warnings', () => {
  it('puts a prominent warning on a leaky run, before any number, with its leakage share', () => {
    const d = detail(ids.leaky);
    for (const lang of ['en', 'ru'] as const) {
      const doc = experimentReport(ws.db, ids.leaky, lang);
      const first = doc.blocks.findIndex((b) => b.kind === 'callout');
      const architecture = doc.blocks.findIndex((b) => b.kind === 'heading' && b.level === 2);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(architecture);
      const callout = doc.blocks[first];
      expect(callout).toMatchObject({ kind: 'callout', tone: 'warning' });
      if (callout.kind !== 'callout') continue;
      expect(plain(callout.text)).toContain(plain(formatPercent(lang, d.split!.leakage!, 1)));
    }
    const en = md(ids.leaky, 'en');
    expect(en).toContain('> **⚠ Leaky evaluation: this accuracy is inflated**');
    expect(en).toMatch(/Augmented copies of the same recording ended up on both sides of the split/);
    expect(en).toContain('LEAKY (augmented before the split; for demonstration only) stratified 80/20, seed 7');
    expect(en).toContain('These numbers are inflated by leakage');
    expect(md(ids.leaky, 'ru')).toContain('> **⚠ Оценка с утечкой данных: точность завышена**');
  });

  it('reports a run that did not complete: what was recorded, and that nothing was evaluated', () => {
    const doc = experimentReport(ws.db, ids.cancelled, 'en');
    const text = markdownText(doc);
    expect(headings(text)).toEqual(HEADINGS.en);
    expect(text).toContain('> **⚠ The run did not complete**');
    expect(text).toContain('The run ended as “cancelled”; 2 epochs were recorded.');
    expect(text).toContain('- Last recorded epoch 2:');
    expect(text).toMatch(/## Classification report\n\nNot recorded: the run stopped before this was measured\./);
    expect(text).toContain('No analysis: the run has no evaluated model.');
    // Its curves exist; its confusion matrix does not.
    expect(doc.blocks.filter((b) => b.kind === 'image').map((b) => b.kind === 'image' && b.file)).toEqual(['training_curves.png']);
    expect(markdownText(experimentReport(ws.db, ids.cancelled, 'ru'))).toContain('Итог запуска: «отменено»; записаны 2 эпохи.');
  });

  it('says a run still training is in progress, with what it recorded so far', () => {
    const store = new ExperimentStore(ws.db);
    const done = store.get(ids.holdout)!;
    const id = store.create({
      datasetId: done.dataset_id,
      protocol: JSON.parse(done.protocol),
      leaky: false,
      config: JSON.parse(done.config),
      seed: done.seed,
      featureConfigHash: done.feature_config_hash,
      datasetHash: done.dataset_hash,
      versions: JSON.parse(done.versions),
    });
    store.addEpoch(id, { epoch: 1, loss: 1.9, acc: 0.2, valLoss: 1.8, valAcc: 0.25, ms: 10 });
    const text = markdownText(experimentReport(ws.db, id, 'en'));
    expect(text).toContain('Status: running.');
    expect(text).toContain('> **The run is still training**');
    expect(text).toContain('1 epoch was recorded');
    expect(text).not.toContain('did not complete');
  });

  it('says which normalisation the run used, in the features section (en, ru)', async () => {
    expect(md(ids.holdout, 'en')).toMatch(/Scaling: global standardisation/);
    const id = (await runExperiment(ws, { ...base, split: { kind: 'speaker', valFraction: 0.25 }, normalize: 'speaker', epochs: 1, copies: 0, augment: [] })).experimentId;
    expect(md(id, 'en')).toMatch(/- Scaling: per-speaker \+ global standardisation: each speaker's clips are first z-scored/);
    expect(md(id, 'ru')).toMatch(/- Масштабирование: по дикторам \+ глобальная стандартизация/);
  });

  it('names the feature preset and its dimension (en, ru); the architecture takes that many inputs', async () => {
    expect(md(ids.holdout, 'en')).toMatch(/- Feature preset: reference-166 \(the block means above/);
    const id = (await runExperiment(ws, { ...base, features: { preset: 'extended' }, epochs: 1, copies: 0, augment: [] })).experimentId;
    const { version, dimension } = FEATURE_PRESET_INFO.extended; // 370 values in version 1
    expect(md(id, 'en')).toContain(`- Feature preset: extended (version ${version}), ${dimension} numbers per clip: these means, then the same blocks' standard deviations`);
    expect(md(id, 'ru')).toMatch(new RegExp(`- Набор признаков: extended \\(версия ${version}\\), ${dimension} (чисел|числа) на запись`));
    expect(md(id, 'en')).toContain(`A multilayer perceptron: ${dimension} inputs, hidden layers`);
  });

  it('refuses an unknown experiment with not_found', () => {
    expect(() => experimentReport(ws.db, 9999, 'en')).toThrow(expect.objectContaining({ code: 'not_found', message: expect.stringMatching(/No experiment #9999/) }));
  });
});

describe('rendered files', () => {
  let docs: Record<Lang, ReportDoc>;
  beforeAll(() => {
    docs = { ru: experimentReport(ws.db, ids.holdout, 'ru'), en: experimentReport(ws.db, ids.holdout, 'en') };
  });

  it('writes report.md, report.pdf and both charts into a new folder', async () => {
    const dir = path.join(tempDir('report-out'), 'nested', 'out');
    const written = await writeReport(docs.ru, dir, 'both');
    expect(written.markdown).toBe(path.join(dir, 'report.md'));
    expect(written.pdf).toBe(path.join(dir, 'report.pdf'));
    expect(fs.readdirSync(dir).sort()).toEqual(['confusion_matrix.png', 'report.md', 'report.pdf', 'training_curves.png']);
    expect(fs.readFileSync(path.join(dir, 'report.md'), 'utf8')).toBe(markdownText(docs.ru));
    expect(fs.readFileSync(path.join(dir, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('draws real charts: print size, many colours, ink in the plot area', async () => {
    const images = Object.fromEntries(docs.en.blocks.flatMap((b) => (b.kind === 'image' ? [[b.file, b]] : [])));
    const confusion = await pngStats(images['confusion_matrix.png'].png);
    expect([confusion.width, confusion.height]).toEqual([1600, 1200]);
    expect(confusion.colours).toBeGreaterThan(20);
    expect(confusion.inkShare({ x0: 0.25, y0: 0.25, x1: 0.9, y1: 0.85 })).toBeGreaterThan(0.2);
    // The diagonal's blue is there.
    expect(confusion.has(([r, g, b]) => b > 180 && r < 120 && g < 140)).toBe(true);
    const curves = await pngStats(images['training_curves.png'].png);
    expect([curves.width, curves.height]).toEqual([2000, 800]);
    expect(curves.colours).toBeGreaterThan(20);
    expect(curves.inkShare({ x0: 0.1, y0: 0.15, x1: 0.45, y1: 0.75 })).toBeGreaterThan(0.01);
    // Training (blue) and validation (orange) lines.
    expect(curves.has(([r, g, b]) => b > 180 && r < 90)).toBe(true);
    expect(curves.has(([r, g, b]) => r > 200 && g > 110 && g < 160 && b < 80)).toBe(true);
  });

  it('makes a PDF whose text is selectable, in Russian and in English', async () => {
    const d = detail(ids.holdout);
    const ru = await pdfText(await renderPdf(docs.ru));
    for (const text of [...HEADINGS.ru.map((h) => h.replace(/^#+ /, '')), 'Страница 1 из', 'SER Studio · эксперимент №', '84359', 'Total params: 84359']) expect(ru).toContain(text);
    expect(ru).toContain(`Финальная точность (train): ${formatDecimal('ru', d.summary!.finalTrainAcc, 4)}`);
    for (const r of d.perClass) expect(ru).toMatch(new RegExp(`${r.label}\\s+${r.precision.toFixed(4)}\\s+${r.recall.toFixed(4)}\\s+${r.f1.toFixed(4)}\\s+${r.support}`));
    const en = await pdfText(await renderPdf(docs.en));
    for (const text of [...HEADINGS.en.map((h) => h.replace(/^#+ /, '')), 'Page 1 of', `experiment #${ids.holdout}`]) expect(en).toContain(text);
    expect(en).toContain(`Final accuracy (val): ${d.summary!.finalValAcc.toFixed(4)}`);
  });
});
