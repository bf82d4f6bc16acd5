// The report names the set of each number: a run with a test part says its headline is the test part's and shows the
// validation clips' numbers as such; a run without one says its numbers are the validation clips', which chose the epoch.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { experimentDetail } from '../../../src/core/experiments/queries';
import { runExperiment } from '../../../src/core/experiments/run';
import { experimentReport } from '../../../src/core/report/experiment-report';
import { markdownText } from '../../../src/core/report/markdown';
import type { Workspace } from '../../../src/core/workspace/workspace';
import { formatDecimal, type Lang } from '../../../src/shared/i18n';
import { demoWorkspace } from '../../helpers/demo-workspace';

let ws: Workspace;
const ids = { test: 0, validation: 0, kfold: 0 };
const base = { dataset: 'demo', augment: [] as 'gain'[], copies: 0, epochs: 3, patience: 2, backend: 'cpu' as const, seed: 7 };

beforeAll(async () => {
  ws = await demoWorkspace('report-test-part');
  ids.test = (await runExperiment(ws, { ...base, split: { kind: 'speaker', valFraction: 0.2 }, testFraction: 0.2 })).experimentId;
  ids.validation = (await runExperiment(ws, base)).experimentId;
  ids.kfold = (await runExperiment(ws, { ...base, split: { kind: 'kfold', k: 3, valFraction: 0.2 }, epochs: 2 })).experimentId;
}, 300_000);
afterAll(() => ws?.close());

const md = (id: number, lang: Lang): string => markdownText(experimentReport(ws.db, id, lang)).replace(/[\u00a0\u202f]/g, ' ');

it('a test part: the headline is named the test part, the validation numbers are named as such (en, ru)', () => {
  const d = experimentDetail(ws.db, ids.test)!;
  expect(d.scoreSet).toBe('test');
  const n = (lang: Lang, v: number) => formatDecimal(lang, v, 4);
  const en = md(ids.test, 'en');
  expect(en).toContain('The headline numbers come from the test part: clips held out before anything else');
  expect(en).toContain(`The kept model on the test part (never seen by training or early stopping): accuracy ${n('en', d.accuracy!)}`);
  expect(en).toContain(`The kept model on the validation clips (also used for early stopping): accuracy ${n('en', d.validation!.accuracy)}`);
  expect(en).toContain(`Test: ${d.split!.testClips} clips, held out first`);
  expect(en).toMatch(/Test part: \d+ clips, held out before anything else\./);
  expect(en).toMatch(/; test part 20% \(speakers [^)]+\) held out first, never seen by early stopping/);
  const ru = md(ids.test, 'ru');
  expect(ru).toContain('Главные числа получены на тестовой части');
  expect(ru).toContain(`Сохранённая модель на тестовой части (её не видели ни обучение, ни ранняя остановка): точность ${n('ru', d.accuracy!)}`);
  expect(ru).toContain(`Сохранённая модель на валидационных записях (они же для ранней остановки): точность ${n('ru', d.validation!.accuracy)}`);
  expect(ru).toMatch(/; тестовая часть 20% \(дикторы [^)]+\) отложена первой, ранняя остановка её не видит/);
});

it('without a test part the report says its numbers are the validation clips, which chose the epoch', () => {
  expect(md(ids.validation, 'en')).toContain('The numbers come from the validation clips, which also chose the epoch (early stopping)');
  expect(md(ids.validation, 'ru')).toContain('Числа получены на валидационных записях, по которым выбиралась и эпоха');
});

it("k-fold with a validation part: the held-out folds' numbers are named tests", () => {
  const en = md(ids.kfold, 'en');
  expect(en).toContain('The numbers come from each fold’s held-out fold, a test');
  expect(en).toContain('The test predictions of the completed folds pooled');
  expect(en).toContain('Pooled accuracy (the completed folds’ test predictions together)');
});
