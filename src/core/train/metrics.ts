/**
 * Classification metrics as scikit-learn computes them (classification_report with zero_division=0,
 * confusion_matrix), the summary values the reference report quotes, and k-fold aggregation.
 */
import type { RunSummary } from '../../shared/experiment';
import { meanSd, type MeanSd } from '../../shared/outcome';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  labels: string[];
  perClass: Record<string, ClassMetrics>;
  accuracy: number;
  macro: ClassMetrics;
  weighted: ClassMetrics;
  /** Rows = true class, columns = predicted class, in `labels` order. */
  confusion: number[][];
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): number[][] {
  if (yTrue.length !== yPred.length) throw new RangeError(`${yTrue.length} true labels but ${yPred.length} predictions`);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: readonly string[]): ClassificationReport {
  const k = labels.length;
  const confusion = confusionMatrix(yTrue, yPred, k);
  const perClass: Record<string, ClassMetrics> = {};
  const rows: ClassMetrics[] = [];
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c][c];
    correct += tp;
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * tp, support + predicted);
    const m = { precision, recall, f1, support };
    perClass[labels[c]] = m;
    rows.push(m);
  }
  const total = yTrue.length;
  const avg = (weightOf: (m: ClassMetrics) => number): ClassMetrics => {
    const w = rows.map(weightOf);
    const sw = w.reduce((a, b) => a + b, 0);
    const mean = (f: (m: ClassMetrics) => number): number => ratio(rows.reduce((a, m, i) => a + f(m) * w[i], 0), sw);
    return { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1), support: total };
  };
  return {
    labels: [...labels],
    perClass,
    accuracy: ratio(correct, total),
    macro: avg(() => 1),
    weighted: avg((m) => m.support),
    confusion,
  };
}

/** sklearn's text table (same layout, digits=3 by default), for logs and the Markdown report. */
export function formatClassificationReport(r: ClassificationReport, digits = 3): string {
  const width = Math.max('weighted avg'.length, ...r.labels.map((l) => l.length));
  const col = (x: string): string => ` ${x.padStart(9)}`;
  const num = (x: number): string => col(x.toFixed(digits));
  const line = (name: string, m: ClassMetrics): string =>
    `${name.padStart(width)} ${num(m.precision)}${num(m.recall)}${num(m.f1)}${col(String(m.support))}`;
  const total = r.macro.support;
  return [
    `${''.padStart(width)} ${col('precision')}${col('recall')}${col('f1-score')}${col('support')}`,
    '',
    ...r.labels.map((l) => line(l, r.perClass[l])),
    '',
    `${'accuracy'.padStart(width)} ${col('')}${col('')}${num(r.accuracy)}${col(String(total))}`,
    line('macro avg', r.macro),
    line('weighted avg', r.weighted),
  ].join('\n');
}

export interface EpochCurves {
  loss: number[];
  acc: number[];
  valLoss: number[];
  valAcc: number[];
}

/** The values the reference report's conclusions quote. Ties go to the first label in order. */
export function summarizeRun(curves: EpochCurves, report: ClassificationReport): RunSummary {
  if (curves.loss.length === 0) throw new RangeError('no epochs to summarise');
  const last = <T>(a: T[]): T => a[a.length - 1];
  const minValLoss = Math.min(...curves.valLoss);
  let bestClass = { label: report.labels[0], f1: -Infinity };
  let weakestClass = { label: report.labels[0], f1: Infinity };
  for (const label of report.labels) {
    const f1 = report.perClass[label].f1;
    if (f1 > bestClass.f1) bestClass = { label, f1 };
    if (f1 < weakestClass.f1) weakestClass = { label, f1 };
  }
  let topConfusion: RunSummary['topConfusion'] = null;
  report.confusion.forEach((row, t) =>
    row.forEach((count, p) => {
      if (t !== p && count > 0 && (!topConfusion || count > topConfusion.count)) {
        topConfusion = { trueLabel: report.labels[t], predictedLabel: report.labels[p], count };
      }
    }),
  );
  return {
    finalTrainAcc: last(curves.acc),
    bestTrainAcc: Math.max(...curves.acc),
    finalValAcc: last(curves.valAcc),
    bestValAcc: Math.max(...curves.valAcc),
    finalTrainLoss: last(curves.loss),
    finalValLoss: last(curves.valLoss),
    minValLoss,
    minValLossEpoch: curves.valLoss.indexOf(minValLoss) + 1,
    bestClass,
    weakestClass,
    topConfusion,
  };
}

export interface KFoldSummary {
  accuracy: MeanSd;
  macroF1: MeanSd;
  weightedF1: MeanSd;
  perClassF1: Record<string, MeanSd>;
}

/** Mean ± sd over fold reports (all folds must share the label list); no sd from a single fold. */
export function aggregateFolds(reports: readonly ClassificationReport[]): KFoldSummary {
  if (reports.length === 0) throw new RangeError('no folds');
  const labels = reports[0].labels;
  const perClassF1: Record<string, MeanSd> = {};
  for (const l of labels) perClassF1[l] = meanSd(reports.map((r) => r.perClass[l].f1));
  return {
    accuracy: meanSd(reports.map((r) => r.accuracy)),
    macroF1: meanSd(reports.map((r) => r.macro.f1)),
    weightedF1: meanSd(reports.map((r) => r.weighted.f1)),
    perClassF1,
  };
}
