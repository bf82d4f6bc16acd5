import { afterEach, describe, expect, it } from 'vitest';
import {
  classifyFraction,
  classifyPhaseText,
  classifyProgressText,
  corpusShortText,
  corpusText,
  finishClassify,
  initialClassifyState,
  modelChoices,
  noticeText,
  reduceClassify,
  runModelText,
  runSourceText,
} from '../../../src/renderer/src/lib/classify';
import { bindLanguage, type Lang } from '../../../src/renderer/src/lib/i18n';
import type { ClassifyRunDetail } from '../../../src/renderer/src/lib/classify-types';
import { classifyHref, parseClassifyRoute, type ClassifyRoute } from '../../../src/renderer/src/lib/classify-routes';
import type { ClassifyProgress } from '../../../src/shared/classify';
import type { ExperimentSummary } from '../../../src/shared/experiment';

const inLanguage = (lang: Lang) => bindLanguage(() => lang);
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
afterEach(() => inLanguage('en'));

describe('live classification state', () => {
  it('learns the run id first, then moves through reading, features and inference to the end', () => {
    const events: ClassifyProgress[] = [
      { phase: 'started', runId: 7 },
      { phase: 'reading', done: 10, total: 40 },
      { phase: 'features', done: 20, total: 40, cached: 5, clipsPerSec: 12.5, etaSec: 1.6 },
    ];
    const s = events.reduce(reduceClassify, initialClassifyState());
    expect(s).toMatchObject({ runId: 7, phase: 'features', reading: { done: 10, total: 40 } });
    expect(classifyFraction(s)).toBeCloseTo(0.1 + 0.85 * 0.5);
    expect(classifyProgressText(s)).toBe('Extracting features: 20 / 40 (5 cached) · 12.5 clips/s · ETA 2 s');
    const inference = reduceClassify(s, { phase: 'inference', done: 40, total: 40 });
    expect(classifyFraction(inference)).toBe(1);
    const end = finishClassify(inference, { result: { runId: 7, status: 'cancelled', counts: { files: 40, classified: 20, failed: 0, skipped: 0, notReached: 20 } } });
    expect([end.phase, classifyProgressText(end)]).toEqual(['finished', 'Cancelled']);
    // Nothing moves a finished run.
    expect(reduceClassify(end, { phase: 'reading', done: 1, total: 2 })).toBe(end);
    const failed = finishClassify(initialClassifyState(), { error: { code: 'source_not_found', message: '/x: no such file or folder' } });
    expect([failed.runId, classifyProgressText(failed)]).toEqual([null, 'Stopped: /x: no such file or folder']);
    expect(classifyFraction(initialClassifyState())).toBeNull();
  });

  it('says its progress in Russian, with the decimal comma and the code title before the engine sentence', () => {
    inLanguage('ru');
    const s = reduceClassify(initialClassifyState(), { phase: 'features', done: 1200, total: 2400, cached: 5, clipsPerSec: 12.5, etaSec: 65 });
    expect(nbsp(classifyProgressText(s))).toBe('Извлечение признаков: 1 200 / 2 400 (из кэша: 5) · 12,5 записей/с · осталось 1 мин 05 с');
    expect(classifyPhaseText(s.phase)).toBe('извлечение признаков');
    const failed = finishClassify(initialClassifyState(), { error: { code: 'source_not_found', message: '/x: no such file or folder' } });
    expect(classifyProgressText(failed)).toBe('Остановлено: Источник не найден: /x: no such file or folder');
    expect(classifyProgressText(initialClassifyState())).toBe('Запуск процесса классификации…');
  });
});

const summary = (e: Partial<ExperimentSummary> & { id: number }): ExperimentSummary =>
  ({ parentId: null, fold: null, status: 'completed', folds: null, dataset: 'demo', protocol: 'stratified hold-out 80/20, seed 42', accuracy: 0.7, leaky: false, ...e }) as ExperimentSummary;

describe('model choices', () => {
  it('offers completed runs, and cross-validations through their completed folds only', () => {
    const choices = modelChoices([
      summary({ id: 9, status: 'running' }),
      summary({ id: 8, status: 'cancelled', folds: { k: 3, completed: 1 }, protocol: 'stratified 3-fold cross-validation, seed 42', accuracy: null }),
      summary({ id: 10, parentId: 8, fold: 0, accuracy: 0.61 }),
      summary({ id: 11, parentId: 8, fold: 1, status: 'cancelled' }),
      summary({ id: 5, status: 'failed' }),
      summary({ id: 4, leaky: true }),
      summary({ id: 3, status: 'cancelled', folds: { k: 2, completed: 0 } }),
    ]);
    expect(choices.map((c) => c.id)).toEqual([8, 4]);
    expect(choices[0].folds).toEqual([{ fold: 0, experimentId: 10, label: 'fold 1 · 61.0%' }]);
    expect(choices[1]).toMatchObject({ leaky: true, folds: [], label: '#4 · demo · stratified hold-out 80/20, seed 42 · 70.0%' });
  });

  it('word the fold, the protocol and the accuracy in the window’s language', () => {
    inLanguage('ru');
    const outline = { kind: 'stratified', valFraction: 0.2, seed: 42 } as const;
    const choices = modelChoices([
      summary({ id: 8, folds: { k: 3, completed: 1 }, accuracy: null }),
      summary({ id: 10, parentId: 8, fold: 0, accuracy: 0.615 }),
      summary({ id: 4, protocolOutline: outline } as Partial<ExperimentSummary> & { id: number }),
    ]);
    expect(nbsp(choices[0].folds[0].label)).toBe('фолд 1 · 61,5 %');
    expect(nbsp(choices[1].label)).toMatch(/^#4 · demo · стратифицированн.* · 70,0 %$/);
  });
});

const facts = (corpus: Partial<ClassifyRunDetail['corpus']>, evaluation: Partial<NonNullable<ClassifyRunDetail['evaluation']>> | null = null) =>
  ({
    corpus: { relation: 'unknown', dataset: { name: 'demo', hash: 'h' }, inDataset: 0, inTraining: 0, message: '', ...corpus },
    evaluation: evaluation && { labelSource: 'folder', labelled: 0, known: null, unknownLabels: [], excludingTrainingClips: null, ...evaluation },
  }) as Pick<ClassifyRunDetail, 'corpus' | 'evaluation'>;

describe('a run’s facts in words', () => {
  it('words the corpus relation from the numbers, in both languages', () => {
    const partly = facts({ relation: 'partly-same-corpus', inDataset: 21, inTraining: 3 });
    expect(corpusText(partly)).toBe("21 files are clips of the model's dataset “demo” (3 of them trained the model); the other files are not.");
    expect(corpusText(facts({ relation: 'same-corpus', inDataset: 4 }))).toBe(
      "Same corpus: all 4 files are clips of the model's dataset “demo”; none of them trained the model (its held-out clips).",
    );
    expect(corpusText(facts({ relation: 'cross-corpus' }))).toMatch(/^Cross-corpus evaluation: the model was trained on “demo”/);
    expect(corpusText(facts({ relation: 'unknown', message: "no file could be read, so none could be compared with the model's dataset" }))).toMatch(/^No file could be read/);
    expect(corpusText(facts({ relation: 'unknown', message: 'the model does not record which clips…' }))).toMatch(/^The model does not record which clips of “demo”/);
    inLanguage('ru');
    expect(corpusText(partly)).toBe('21 файл — запись набора данных модели «demo» (на 3 из них модель обучалась); остальные файлы — нет.');
    expect(corpusText(facts({ relation: 'same-corpus', inDataset: 5, inTraining: 2 }))).toBe('Тот же корпус: все 5 файлов — записи набора данных модели «demo»; на 2 из них модель обучалась.');
    expect(corpusShortText('partly-same-corpus')).toBe('частично тот же корпус');
  });

  it('words the notices it knows, and keeps any other as the engine wrote it (marked English)', () => {
    const run = facts({ relation: 'same-corpus', inDataset: 40, inTraining: 32 }, { excludingTrainingClips: { files: 8, accuracy: 0.625, macroF1: 0.5 } as never });
    const trained = '32 file(s) are clips this model was trained on (same sha256): their predictions are not an honest test; without them, accuracy 0.625 and macro F1 0.500 over 8 file(s).';
    expect(noticeText(trained, run)).toEqual({
      text: '32 files are clips this model was trained on (same sha256): their predictions are not an honest test; the other files alone (8 files) score accuracy 0.625 and macro F1 0.500.',
      en: false,
    });
    const hashed = "Experiment 4's model was trained before SER Studio recorded model hashes: its files were hashed now, on first use, and the hashes stored (…).";
    const card = "Experiment 4's model had no ser-model.json (trained by an older SER Studio): it was written now from the workspace's record.";
    expect(noticeText('Something new.', run)).toEqual({ text: 'Something new.', en: false });
    inLanguage('ru');
    expect(noticeText(trained, run).text).toBe(
      '32 файла — записи, на которых обучалась эта модель (тот же sha256): их предсказания — не честная проверка; на остальных файлах (8 файлов) точность 0,625 и macro F1 0,500.',
    );
    expect(noticeText(hashed, run).text).toMatch(/^Модель эксперимента #4 обучена до того, как SER Studio стала записывать хеши/);
    expect(noticeText(card, run).text).toMatch(/^У модели эксперимента #4 не было ser-model\.json/);
    expect(noticeText('Something new.', run)).toEqual({ text: 'Something new.', en: true });
  });

  it('words a listed run’s model and source from its fields', () => {
    const row = { experimentId: 4, model: 'experiment 4 (demo)', modelDataset: 'demo', modelPath: '/w/models/4', sourceKind: 'folder', source: 'folder /data/x', sourcePath: '/data/x' } as const;
    expect([runModelText(row), runSourceText(row)]).toEqual(['experiment #4 (demo)', 'folder /data/x']);
    inLanguage('ru');
    expect([runModelText(row), runSourceText(row)]).toEqual(['эксперимент #4 (demo)', 'папка /data/x']);
    expect(runModelText({ ...row, experimentId: null })).toBe('/w/models/4 (обучена на demo)');
    expect(runSourceText({ sourceKind: 'files', source: '3 file(s)', sourcePath: null })).toBe('3 файла');
  });
});

describe('classify routes', () => {
  it('parses the page and a run, and round-trips through their hrefs', () => {
    const routes: ClassifyRoute[] = [{ page: 'classify' }, { page: 'classify', experimentId: 4 }, { page: 'classify-run', id: 12 }];
    for (const r of routes) expect(parseClassifyRoute(classifyHref(r))).toEqual(r);
    expect(parseClassifyRoute('#/experiments/3')).toBeNull();
    expect(parseClassifyRoute('#/classify/0')).toEqual({ page: 'classify' });
    expect(parseClassifyRoute('#/classify?experiment=x')).toEqual({ page: 'classify' });
  });
});
