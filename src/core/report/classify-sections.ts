/**
 * The second half of a classification's report: predicted classes (table and bar chart), the evaluation when
 * the true labels are known (corpus relation, scores, per-class table, confusion matrix, unknown labels apart),
 * the run's recorded notices, and what identifies the run and its model.
 */
import { fixed, formatDateTime, formatDuration } from '../../shared/i18n';
import type { ClassifyMetrics, Corpus } from '../../shared/classify';
import { APP_VERSION } from '../version';
import { classCountsPng } from './charts/classes';
import type { ClassifyReportContext } from './classify-report';
import type { DocBuilder } from './doc';
import { classAverages, confusionFigure } from './sections-evaluation';

export const PREDICTED_FILE = 'predicted_classes.png';

export function predictedSection(b: DocBuilder, c: ClassifyReportContext): void {
  const { tr, run } = c;
  b.heading(2, tr('report.classify.section.predicted'));
  const classified = run.counts.classified;
  if (!classified) {
    b.paragraph(tr('report.classify.predicted.none'));
    return;
  }
  const counts = run.labels.map((l) => run.predictedCounts[l] ?? 0);
  b.paragraph(tr('report.classify.predicted.text', { files: c.filesOf(classified) }));
  b.table(
    [tr('report.classify.predicted.class'), tr('report.classify.predicted.count'), tr('report.classify.predicted.share')],
    run.labels.map((l, i) => [l, String(counts[i]), `${fixed((100 * counts[i]) / classified, 1)}%`]),
    ['left', 'right', 'right'],
  );
  const image = classCountsPng({ labels: run.labels, counts, yTitle: tr('report.classify.predicted.axis'), locale: c.lang });
  b.image({ file: PREDICTED_FILE, alt: tr('report.classify.predicted.alt'), ...image });
}

function corpusText(c: ClassifyReportContext, corpus: Corpus): string {
  const { tr } = c;
  const read = c.run.predictions.filter((p) => p.sha256 !== null).length;
  const trained = corpus.inTraining ? tr('report.classify.corpus.trained', { count: corpus.inTraining }) : tr('report.classify.corpus.heldOut');
  const dataset = corpus.dataset.name;
  switch (corpus.relation) {
    case 'cross-corpus':
      return tr('report.classify.corpus.cross', { dataset, files: c.filesOf(read) });
    case 'same-corpus':
      return tr('report.classify.corpus.same', { dataset, files: c.files(read), trained });
    case 'partly-same-corpus':
      return tr('report.classify.corpus.partly', { dataset, files: c.filesOf(read), inDataset: corpus.inDataset, trained });
    case 'unknown':
      return tr('report.classify.corpus.unknown', { dataset });
  }
}

function metricsTables(b: DocBuilder, c: ClassifyReportContext, m: ClassifyMetrics): void {
  const { tr } = c;
  b.paragraph(tr('report.classify.eval.scores', { count: m.files, accuracy: c.num(m.accuracy), macroF1: c.num(m.macroF1), weightedF1: c.num(m.weightedF1) }));
  const rows = m.confusion.labels.map((label) => ({ label, ...m.perClass[label] }));
  const { macro, weighted } = classAverages(rows);
  const row = (name: string, r: { precision: number; recall: number; f1: number; support: number }) => [name, fixed(r.precision), fixed(r.recall), fixed(r.f1), String(r.support)];
  b.table(
    [tr('report.classification.class'), 'Precision', 'Recall', 'F1-score', 'Support'],
    [...rows.map((r) => row(r.label, r)), row(tr('report.classification.macro'), macro), row(tr('report.classification.weighted'), weighted)],
    ['left', 'right', 'right', 'right', 'right'],
  );
  const { labels, matrix } = m.confusion;
  confusionFigure(b, tr, labels, matrix);
}

export function evaluationSection(b: DocBuilder, c: ClassifyReportContext): void {
  const { tr, run } = c;
  const e = run.evaluation;
  b.heading(2, tr('report.classify.section.evaluation'));
  b.paragraph(corpusText(c, run.corpus));
  if (!e) {
    b.paragraph(tr('report.classify.eval.noLabels'));
    return;
  }
  if (e.known) metricsTables(b, c, e.known);
  else b.paragraph(tr('report.classify.eval.none'));
  if (e.unknownLabels.length) {
    const count = e.unknownLabels.reduce((a, u) => a + u.files, 0);
    b.heading(3, tr('report.classify.eval.unknownTitle'));
    b.paragraph(tr('report.classify.eval.unknownText', { count }));
    b.table(
      [tr('report.classify.eval.label'), tr('report.classify.eval.files'), tr('report.classify.eval.predictedAs')],
      e.unknownLabels.map((u) => [u.label, String(u.files), Object.entries(u.predicted).map(([l, n]) => `${l} ${n}`).join(', ')]),
      ['left', 'right', 'left'],
    );
  }
}

/**
 * The engine's notices are English sentences; the two it writes from data the report already says in the reader's
 * language at the top (training clips in the input, a cancelled run) are left out here.
 */
const SAID_AT_THE_TOP = [/are clips this model was trained on/, /^Cancelled: /];

export function noticesSection(b: DocBuilder, c: ClassifyReportContext): void {
  const notices = c.run.notices.filter((n) => !SAID_AT_THE_TOP.some((re) => re.test(n)));
  if (!notices.length) return;
  b.heading(2, c.tr('report.classify.section.notices'));
  b.paragraph(c.tr('report.classify.notices.text'));
  b.bullets(notices);
}

export function versionsSection(b: DocBuilder, c: ClassifyReportContext): void {
  const { tr, run, experiment } = c;
  const m = run.model;
  const t = run.timings;
  const sec = (ms: number) => formatDuration(c.lang, ms / 1000);
  b.heading(2, tr('report.classify.section.versions'));
  const rows: [string, string][] = [
    [tr('report.classify.versions.run'), `#${run.runId}`],
    [tr('report.repro.started'), formatDateTime(c.lang, run.startedAt)],
    ...(run.finishedAt ? [[tr('report.repro.finished'), formatDateTime(c.lang, run.finishedAt)] as [string, string]] : []),
    [tr('report.repro.backend'), run.backend ?? '—'],
    [tr('report.classify.versions.workers'), run.workers !== null ? String(run.workers) : '—'],
  ];
  if (t) {
    const value = tr('report.classify.versions.timingsValue', {
      read: sec(t.readMs),
      features: sec(t.featuresMs),
      inference: sec(t.inferenceMs),
      total: sec(t.totalMs),
      rate: c.num(t.clipsPerSec, 1),
    });
    rows.push([tr('report.repro.timings'), value]);
  }
  rows.push(
    [tr('report.classify.versions.modelJson'), m.files.modelJson],
    [tr('report.classify.versions.weights'), m.files.weights],
    [tr('report.repro.featureHash'), m.featureConfigHash],
    [tr('report.classify.versions.modelCreated'), formatDateTime(c.lang, m.origin.createdAt)],
    [tr('report.classify.versions.datasetHash'), m.origin.datasetHash],
    ...Object.entries(experiment?.versions ?? {}).map(([name, v]): [string, string] => [tr('report.classify.versions.trainingVersion', { name }), v]),
    [tr('report.classify.versions.app'), APP_VERSION],
  );
  b.table([tr('report.repro.key'), tr('report.repro.value')], rows);
}
