/**
 * Training results and the analysis, as the reference report words them. A cross-validation shows mean ± sd
 * over its completed folds, a row per fold, and the analysis of its pooled predictions.
 */
import type { ExperimentDetail, RunSummary } from '../../shared/experiment';
import { fixed } from '../../shared/i18n';
import { foldsTextIn, outcomeTextIn, statusText } from '../../shared/i18n/describe';
import { formatMeanSd, type MeanSd } from '../../shared/outcome';
import type { ReportContext } from './context';
import type { DocBuilder } from './doc';

type ClassRow = ExperimentDetail['perClass'][number];

/** The analysis's class facts (the rule of summarizeRun: ties go to the first label), for pooled metrics. */
export function classHighlights(rows: readonly ClassRow[], confusion: { labels: string[]; matrix: number[][] }): Pick<RunSummary, 'bestClass' | 'weakestClass' | 'topConfusion'> | null {
  if (!rows.length) return null;
  let best = { label: rows[0].label, f1: -Infinity };
  let weakest = { label: rows[0].label, f1: Infinity };
  for (const r of rows) {
    if (r.f1 > best.f1) best = { label: r.label, f1: r.f1 };
    if (r.f1 < weakest.f1) weakest = { label: r.label, f1: r.f1 };
  }
  let top: RunSummary['topConfusion'] = null;
  confusion.matrix.forEach((row, i) =>
    row.forEach((count, j) => {
      if (i !== j && count > 0 && (!top || count > top.count)) top = { trueLabel: confusion.labels[i], predictedLabel: confusion.labels[j], count };
    }),
  );
  return { bestClass: best, weakestClass: weakest, topConfusion: top };
}

function meanSdText(c: ReportContext, m: MeanSd, digits: number): string {
  return formatMeanSd(m, (v) => c.num(v, digits));
}

export function trainingSection(b: DocBuilder, c: ReportContext): void {
  const { tr, facts } = c;
  const d = facts.detail;
  b.heading(2, tr('report.section.training'));
  if (c.isCrossValidation) return crossValidationResults(b, c);
  const s = d.summary;
  const log = d.epochsLog;
  if (s && d.status === 'completed') {
    b.bullets([
      tr('report.training.finalTrainAcc', { value: c.num(s.finalTrainAcc) }),
      tr('report.training.bestTrainAcc', { value: c.num(s.bestTrainAcc) }),
      tr('report.training.finalValAcc', { value: c.num(s.finalValAcc) }),
      tr('report.training.bestValAcc', { value: c.num(s.bestValAcc) }),
      tr('report.training.finalTrainLoss', { value: c.num(s.finalTrainLoss) }),
      tr('report.training.finalValLoss', { value: c.num(s.finalValLoss) }),
      tr('report.training.minValLoss', { value: c.num(s.minValLoss), epoch: s.minValLossEpoch }),
      tr('report.training.epochs', { epochs: d.epochs, max: c.config.epochs }),
      d.weights && tr(d.weights.rule === 'final' ? 'report.training.weightsFinal' : 'report.training.weightsBest', { epoch: d.weights.epoch }),
      d.accuracy !== null &&
        tr(d.scoreSet === 'test' ? 'report.training.modelTest' : 'report.training.model', {
          accuracy: c.num(d.accuracy),
          macroF1: c.num(d.macroF1 ?? Number.NaN),
          weightedF1: c.num(d.weightedF1 ?? Number.NaN),
        }),
      !!d.validation &&
        tr('report.training.modelValidation', { accuracy: c.num(d.validation.accuracy), macroF1: c.num(d.validation.macroF1), weightedF1: c.num(d.validation.weightedF1) }),
    ]);
    return;
  }
  const last = log[log.length - 1];
  if (!last) {
    b.paragraph(tr('report.nothingRecorded'));
    return;
  }
  b.bullets([
    tr('report.training.epochs', { epochs: log.length, max: c.config.epochs }),
    tr('report.training.lastEpoch', {
      epoch: last.epoch,
      loss: c.num(last.loss),
      acc: c.num(last.acc),
      valLoss: c.num(last.valLoss ?? Number.NaN),
      valAcc: c.num(last.valAcc ?? Number.NaN),
    }),
    tr('report.training.noSummary'),
  ]);
}

function crossValidationResults(b: DocBuilder, c: ReportContext): void {
  const { tr, facts } = c;
  const d = facts.detail;
  const fs = d.foldsSummary;
  const k = fs?.k ?? (facts.protocol && 'k' in facts.protocol ? facts.protocol.k : facts.folds.length);
  const completed = fs?.completed ?? facts.folds.filter((f) => f.detail.status === 'completed').length;
  const count = { k, completed };
  const outcome = completed === k ? tr('report.folds.complete', { count: k }) : outcomeTextIn(c.lang, d.status, count);
  const items: (string | false)[] = [tr('report.folds.outcome', { outcome })];
  if (fs && fs.completed > 0) {
    const one = fs.completed === 1;
    const over = foldsTextIn(c.lang, count);
    items.push(
      tr(one ? 'report.folds.accuracyOne' : 'report.folds.accuracy', { over, value: meanSdText(c, fs.accuracy, 4) }),
      tr(one ? 'report.folds.macroF1One' : 'report.folds.macroF1', { value: meanSdText(c, fs.macroF1, 4) }),
      tr(one ? 'report.folds.weightedF1One' : 'report.folds.weightedF1', { value: meanSdText(c, fs.weightedF1, 4) }),
      tr(d.scoreSet === 'test' ? 'report.folds.pooledTest' : 'report.folds.pooled', { value: c.num(fs.pooledAccuracy) }),
      !one && tr('report.folds.sdNote'),
    );
  } else items.push(tr('report.folds.none'));
  b.bullets(items);
  if (!facts.folds.length) return;
  b.table(
    [
      tr('report.folds.fold'),
      tr('report.folds.heldOut'),
      tr('report.folds.status'),
      tr('report.folds.valClips'),
      tr('report.folds.accuracyCol'),
      tr('report.folds.macroF1Col'),
      tr('report.folds.epochsCol'),
    ],
    facts.folds.map(({ detail: f, protocol }) => [
      String((f.fold ?? 0) + 1),
      protocol && 'heldOutSpeakers' in protocol && protocol.heldOutSpeakers ? protocol.heldOutSpeakers.join(', ') : '—',
      statusText(c.lang, f.status),
      f.split ? String(f.split.valClips) : '—',
      fixed(f.accuracy),
      fixed(f.macroF1),
      String(f.epochs),
    ]),
    ['right', 'left', 'left', 'right', 'right', 'right', 'right'],
  );
}

export function analysisSection(b: DocBuilder, c: ReportContext): void {
  const { tr, facts } = c;
  const d = facts.detail;
  b.heading(2, tr('report.section.analysis'));
  const items: (string | false | null)[] = [];
  const s = d.summary;
  const fs = d.foldsSummary;
  if (s && d.status === 'completed') {
    items.push(tr('report.analysis.final', { train: c.pct(s.finalTrainAcc), val: c.pct(s.finalValAcc), best: c.pct(s.bestValAcc) }));
    if (d.weights && d.accuracy !== null) items.push(tr(d.scoreSet === 'test' ? 'report.analysis.keptTest' : 'report.analysis.kept', { accuracy: c.pct(d.accuracy), epoch: d.weights.epoch }));
  } else if (fs && fs.completed > 0) {
    items.push(
      tr('report.analysis.folds', {
        over: foldsTextIn(c.lang, fs),
        accuracy: formatMeanSd(fs.accuracy, (v) => c.pct(v)),
        macroF1: meanSdText(c, fs.macroF1, 3),
        pooled: c.pct(fs.pooledAccuracy),
      }),
    );
  }
  const highlights = s && d.status === 'completed' ? s : fs && fs.completed > 0 ? classHighlights(d.perClass, d.confusion) : null;
  if (!items.length || !highlights) {
    b.paragraph(tr('report.analysis.none'));
    return;
  }
  const top = highlights.topConfusion;
  items.push(
    tr('report.analysis.best', { label: highlights.bestClass.label, f1: c.num(highlights.bestClass.f1, 3) }),
    tr('report.analysis.weakest', { label: highlights.weakestClass.label, f1: c.num(highlights.weakestClass.f1, 3) }),
    top
      ? tr('report.analysis.confusion', { trueLabel: top.trueLabel, predicted: top.predictedLabel, times: tr('common.times', { count: top.count }) })
      : tr('report.analysis.noConfusion'),
    d.leaky && tr('report.analysis.leaky'),
  );
  b.bullets(items);
}
