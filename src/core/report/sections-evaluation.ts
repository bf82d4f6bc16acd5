/**
 * The classification report, the confusion matrix and the training curves: the stored metrics as the reference
 * prints them, and the two chart images (a cross-validation's pooled matrix and each fold's validation curves).
 */
import { foldSeries, trainValSeries } from '../../shared/charts/line';
import type { ExperimentDetail } from '../../shared/experiment';
import { fixed, formatPercent } from '../../shared/i18n';
import { foldsTextIn } from '../../shared/i18n/describe';
import { confusionPng } from './charts/confusion';
import { curvesPng } from './charts/curves';
import type { ReportContext } from './context';
import type { DocBuilder } from './doc';

export const CONFUSION_FILE = 'confusion_matrix.png';
export const CURVES_FILE = 'training_curves.png';

type ClassRow = ExperimentDetail['perClass'][number];

/** sklearn's "macro avg" and "weighted avg" of the per-class rows. */
export function classAverages(rows: readonly ClassRow[]): { macro: Omit<ClassRow, 'label'>; weighted: Omit<ClassRow, 'label'> } {
  const support = rows.reduce((a, r) => a + r.support, 0);
  const mean = (key: 'precision' | 'recall' | 'f1', weighted: boolean): number =>
    weighted ? rows.reduce((a, r) => a + r[key] * r.support, 0) / (support || 1) : rows.reduce((a, r) => a + r[key], 0) / (rows.length || 1);
  const avg = (weighted: boolean) => ({ precision: mean('precision', weighted), recall: mean('recall', weighted), f1: mean('f1', weighted), support });
  return { macro: avg(false), weighted: avg(true) };
}

export function classificationSection(b: DocBuilder, c: ReportContext): void {
  const { tr, facts } = c;
  const d = facts.detail;
  b.heading(2, tr('report.section.classification'));
  if (!d.perClass.length) {
    b.paragraph(tr('report.nothingRecorded'));
    return;
  }
  const support = d.perClass.reduce((a, r) => a + r.support, 0);
  const clips = tr('common.clips', { count: support });
  if (d.foldsSummary) {
    b.paragraph(tr(d.scoreSet === 'test' ? 'report.classification.pooledTest' : 'report.classification.pooled', { over: foldsTextIn(c.lang, d.foldsSummary), clips }));
  } else if (d.scoreSet === 'test') {
    b.paragraph(tr('report.classification.onTest', { clips }));
  } else if (d.split && d.split.valRows !== d.split.valClips) {
    b.paragraph(tr('report.classification.onRows', { rows: tr('common.rows', { count: d.split.valRows }), clips: tr('common.clips', { count: d.split.valClips }) }));
  } else b.paragraph(tr('report.classification.on', { clips }));
  const { macro, weighted } = classAverages(d.perClass);
  const row = (name: string, m: Omit<ClassRow, 'label'>) => [name, fixed(m.precision), fixed(m.recall), fixed(m.f1), String(m.support)];
  b.table(
    [tr('report.classification.class'), 'Precision', 'Recall', 'F1-score', 'Support'],
    [...d.perClass.map((r) => row(r.label, r)), row(tr('report.classification.macro'), macro), row(tr('report.classification.weighted'), weighted)],
    ['left', 'right', 'right', 'right', 'right'],
  );
}

export function confusionSection(b: DocBuilder, c: ReportContext): void {
  const { tr, facts } = c;
  const { labels, matrix } = facts.detail.confusion;
  b.heading(2, tr('report.section.confusion'));
  if (!labels.length) {
    b.paragraph(tr('report.nothingRecorded'));
    return;
  }
  confusionFigure(b, tr, labels, matrix);
}

/** The confusion matrix as a figure with its caption (a run's report and a classification's). */
export function confusionFigure(b: DocBuilder, tr: ReportContext['tr'], labels: string[], matrix: number[][]): void {
  const image = confusionPng({
    labels,
    matrix,
    text: {
      corner: tr('report.confusion.corner'),
      predicted: tr('report.confusion.predicted'),
      total: tr('report.confusion.totalCol'),
      legend: (correct, total) => tr('report.confusion.legend', { correct, total }),
      correct: tr('report.confusion.legendCorrect'),
      confused: tr('report.confusion.legendConfused'),
    },
  });
  b.image({ file: CONFUSION_FILE, alt: tr('report.confusion.alt'), ...image });
  const total = matrix.flat().reduce((a, x) => a + x, 0);
  const correct = matrix.reduce((a, row, i) => a + (row[i] ?? 0), 0);
  b.paragraph(tr('report.confusion.caption', { correct, total }));
}

export function curvesSection(b: DocBuilder, c: ReportContext): void {
  const { tr, facts } = c;
  b.heading(2, tr('report.section.curves'));
  const common = { xTitle: tr('report.curves.epoch'), formatPercent: (v: number, digits: number) => formatPercent(c.lang, v, digits), locale: c.lang };
  if (c.isCrossValidation) {
    const logs = facts.folds.map((f) => f.detail.epochsLog).filter((l) => l.length);
    if (!logs.length) return void b.paragraph(tr('report.curves.none'));
    const label = (i: number) => tr('report.curves.fold', { fold: i + 1 });
    const loss = foldSeries(logs, 'valLoss', label);
    const acc = foldSeries(logs, 'valAcc', label);
    const image = curvesPng({
      ...common,
      xs: loss.xs,
      panels: [
        { heading: tr('report.curves.foldLoss'), series: loss.series, yTitle: tr('report.curves.lossAxis') },
        { heading: tr('report.curves.foldAccuracy'), series: acc.series, yTitle: tr('report.curves.accuracyAxis'), percent: true },
      ],
    });
    b.image({ file: CURVES_FILE, alt: tr('report.curves.foldsAlt'), ...image });
    return;
  }
  const log = facts.detail.epochsLog;
  if (!log.length) return void b.paragraph(tr('report.curves.none'));
  const names = { train: tr('report.curves.train'), val: tr('report.curves.val') };
  const image = curvesPng({
    ...common,
    xs: log.map((e) => e.epoch),
    panels: [
      {
        heading: tr('report.curves.loss'),
        series: trainValSeries(names, log.map((e) => e.loss), log.map((e) => e.valLoss ?? Number.NaN)),
        yTitle: tr('report.curves.lossAxis'),
      },
      {
        heading: tr('report.curves.accuracy'),
        series: trainValSeries(names, log.map((e) => e.acc), log.map((e) => e.valAcc ?? Number.NaN)),
        yTitle: tr('report.curves.accuracyAxis'),
        percent: true,
      },
    ],
  });
  b.image({ file: CURVES_FILE, alt: tr('report.curves.alt'), ...image });
}
