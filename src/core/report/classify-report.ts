/**
 * A batch classification's own, shorter report: which model (and how it was validated), what went in (and
 * what could not be classified, with why), what came out (predicted classes), and when the true labels are
 * known, the scores, per-class table and confusion matrix, with the corpus relation said plainly. Built from
 * what the workspace recorded about the run, on the same document model and renderers as an experiment's.
 */
import type { ClassifyResult } from '../../shared/classify';
import { ApiError } from '../../shared/errors';
import { formatDateTime, formatDecimal, formatPercent, t, type Lang, type MessageKey, type Params } from '../../shared/i18n';
import { statusText } from '../../shared/i18n/describe';
import { classifyRunResult } from '../classify/runs';
import { experimentDetail } from '../experiments/queries';
import type { Db } from '../store/db';
import { evaluationSection, noticesSection, predictedSection, versionsSection } from './classify-sections';
import { DocBuilder, type ReportDoc } from './doc';

/** Failed and skipped files listed one by one; the rest are counted (every file is in the JSON export). */
export const LISTED_FILES = 100;

export interface ClassifyReportContext {
  lang: Lang;
  run: ClassifyResult;
  /** The model's experiment, when it is in this workspace. */
  experiment: ReturnType<typeof experimentDetail> | undefined;
  tr: (key: MessageKey, params?: Params) => string;
  num: (value: number, digits?: number) => string;
  pct: (value: number, digits?: number) => string;
  files: (count: number) => string;
  filesOf: (count: number) => string;
}

export function classifyReport(db: Db, runId: number, lang: Lang): ReportDoc {
  const run = classifyRunResult(db, runId);
  if (!run) throw new ApiError('not_found', `No classify run #${runId} in this workspace (see: ser-studio classifications).`);
  const tr = (key: MessageKey, params?: Params) => t(lang, key, params);
  const c: ClassifyReportContext = {
    lang,
    run,
    experiment: run.model.experimentId !== null ? experimentDetail(db, run.model.experimentId) : undefined,
    tr,
    num: (value, digits = 4) => formatDecimal(lang, value, digits),
    pct: (value, digits = 2) => formatPercent(lang, value, digits),
    files: (count) => tr('common.files', { count }),
    filesOf: (count) => tr('common.filesOf', { count }),
  };
  const b = new DocBuilder();
  const title = tr('report.classify.title');
  b.heading(1, title);
  intro(b, c);
  modelSection(b, c);
  inputSection(b, c);
  predictedSection(b, c);
  evaluationSection(b, c);
  noticesSection(b, c);
  versionsSection(b, c);
  return { title, header: tr('report.classify.header', { id: runId }), pageLabel: tr('report.page', { page: '{page}', pages: '{pages}' }), lang, blocks: b.blocks };
}

function foldText(c: ClassifyReportContext): string {
  const fold = c.run.model.origin.fold;
  return fold !== null ? c.tr('report.classify.fold', { fold: fold + 1 }) : '';
}

function intro(b: DocBuilder, c: ClassifyReportContext): void {
  const { tr, run } = c;
  const m = run.model;
  const common = { id: run.runId, date: formatDateTime(c.lang, run.startedAt), experiment: m.origin.experimentId, fold: foldText(c), dataset: m.origin.dataset, files: c.files(run.counts.files) };
  b.paragraph(
    [
      m.experimentId !== null ? tr('report.classify.intro', common) : tr('report.classify.introFolder', { ...common, path: m.path }),
      tr('report.classify.status', { status: statusText(c.lang, run.status) }),
    ].join(' '),
  );
  if (run.status === 'running') b.callout('note', tr('report.classify.running.title'), tr('report.classify.running.text'));
  else if (run.status !== 'completed') {
    const text = tr('report.classify.unfinished.text', { status: statusText(c.lang, run.status), classified: run.counts.classified, files: c.filesOf(run.counts.files) });
    b.callout('warning', tr('report.classify.unfinished.title'), [text, run.error ? tr('report.unfinished.error', { error: run.error.replace(/\.$/, '') }) : ''].filter(Boolean).join(' '));
  }
  if (run.corpus.inTraining > 0) {
    const honest = run.evaluation?.excludingTrainingClips;
    const text = [
      tr('report.classify.training.text', { files: c.files(run.corpus.inTraining) }),
      honest ? tr('report.classify.training.without', { files: c.files(honest.files), accuracy: c.num(honest.accuracy), macroF1: c.num(honest.macroF1) }) : '',
    ];
    b.callout('warning', tr('report.classify.training.title'), text.filter(Boolean).join(' '));
  }
}

function modelSection(b: DocBuilder, c: ClassifyReportContext): void {
  const { tr, run, experiment } = c;
  const m = run.model;
  b.heading(2, tr('report.classify.section.model'));
  const where = { id: m.origin.experimentId, fold: foldText(c), dataset: m.origin.dataset };
  b.bullets([
    m.experimentId !== null ? tr('report.classify.model.experiment', where) : tr('report.classify.model.folder', { ...where, path: m.path }),
    tr('report.classify.model.protocol', { protocol: experiment?.protocol ?? m.origin.protocol }),
    experiment && experiment.accuracy !== null && experiment.macroF1 !== null
      ? tr('report.classify.model.validation', { accuracy: c.num(experiment.accuracy), macroF1: c.num(experiment.macroF1) })
      : tr('report.classify.model.noValidation'),
    tr('report.classify.model.classes', { count: run.labels.length, labels: run.labels.join(', ') }),
  ]);
}

function inputSection(b: DocBuilder, c: ClassifyReportContext): void {
  const { tr, run } = c;
  const s = run.source;
  const n = run.counts;
  b.heading(2, tr('report.classify.section.input'));
  b.bullets([
    s.kind === 'folder'
      ? tr('report.classify.input.folder', { path: s.path })
      : s.kind === 'manifest'
        ? tr('report.classify.input.manifest', { path: s.path })
        : tr('report.classify.input.files', { files: c.filesOf(s.paths.length) }),
    tr('report.classify.input.counts', { files: n.files, classified: n.classified, failed: n.failed }),
    n.notReached > 0 && tr('report.classify.input.notReached', { files: n.notReached }),
    n.skipped > 0 && tr('report.classify.input.skipped', { files: n.skipped }),
    run.evaluation?.labelSource === 'folder'
      ? tr('report.classify.input.labelsFolder')
      : run.evaluation?.labelSource === 'manifest'
        ? tr('report.classify.input.labelsManifest')
        : tr('report.classify.input.noLabels'),
  ]);
  const failed = run.predictions.filter((p) => p.error !== null);
  fileTable(b, c, tr('report.classify.input.failedTitle'), failed.map((p) => [p.file, p.error!.code, reason(p.file, p.error!.message)]));
  fileTable(b, c, tr('report.classify.input.skippedTitle'), run.skipped.map((s) => [s.file, s.code, reason(s.file, s.message)]));
}

/** The engine's sentence names the file first ("a/b.wav: holds no audio"); the table has the file in its own column. */
function reason(file: string, message: string): string {
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

function fileTable(b: DocBuilder, c: ClassifyReportContext, title: string, rows: string[][]): void {
  if (!rows.length) return;
  const { tr } = c;
  b.heading(3, `${title} (${rows.length})`);
  b.table([tr('report.classify.input.file'), tr('report.classify.input.code'), tr('report.classify.input.reason')], rows.slice(0, LISTED_FILES));
  if (rows.length > LISTED_FILES) b.paragraph(tr('report.classify.input.more', { count: rows.length - LISTED_FILES }));
}
