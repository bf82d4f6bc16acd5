/**
 * An experiment's report (the reference report's sections, in its order and with its headings, then what it
 * leaves out), built from what the workspace stores about the run: never from a live run.
 */
import { ApiError } from '../../shared/errors';
import { formatDateTime, type Lang } from '../../shared/i18n';
import { outcomeTextIn, statusText } from '../../shared/i18n/describe';
import type { Db } from '../store/db';
import { protocolLine, reportContext, type ReportContext } from './context';
import { DocBuilder, type ReportDoc } from './doc';
import { experimentFacts } from './facts';
import { datasetSection, protocolSection, reproducibilitySection } from './sections-context';
import { architectureSection, featuresSection } from './sections-model';
import { classificationSection, confusionSection, curvesSection } from './sections-evaluation';
import { analysisSection, trainingSection } from './sections-training';

export function experimentReport(db: Db, experimentId: number, lang: Lang): ReportDoc {
  const facts = experimentFacts(db, experimentId);
  if (!facts) throw new ApiError('not_found', `No experiment #${experimentId} in this workspace (see: ser-studio experiments).`);
  const c = reportContext(lang, facts);
  const b = new DocBuilder();
  const title = c.tr('report.title');
  b.heading(1, title);
  intro(b, c);
  architectureSection(b, c);
  featuresSection(b, c);
  trainingSection(b, c);
  classificationSection(b, c);
  confusionSection(b, c);
  curvesSection(b, c);
  analysisSection(b, c);
  datasetSection(b, c);
  protocolSection(b, c);
  reproducibilitySection(b, c);
  return {
    title,
    header: c.tr('report.header', { id: experimentId }),
    pageLabel: c.tr('report.page', { page: '{page}', pages: '{pages}' }),
    lang,
    blocks: b.blocks,
  };
}

/** Which run this is and how it was evaluated; then, before any number, why a number may not mean much. */
function intro(b: DocBuilder, c: ReportContext): void {
  const { tr, facts } = c;
  const d = facts.detail;
  const folds = d.foldsSummary ? { k: d.foldsSummary.k, completed: d.foldsSummary.completed } : d.folds;
  b.paragraph(
    [
      tr('report.intro', { id: d.id, dataset: d.dataset, date: formatDateTime(c.lang, d.startedAt) }),
      facts.parent && d.fold !== null ? tr('report.introFold', { fold: d.fold + 1, parent: facts.parent.id }) : '',
      tr('report.intro.protocol', { protocol: protocolLine(c) }),
      tr('report.intro.status', { status: outcomeTextIn(c.lang, d.status, folds) }),
      d.name ? tr('report.intro.name', { name: d.name }) : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
  if (d.notes) b.paragraph(tr('report.notes', { notes: d.notes }));
  if (d.leaky) {
    const split = d.split;
    b.callout(
      'warning',
      tr('report.leaky.title'),
      tr('report.leaky.text', {
        share: facts.leakage !== null ? c.pct(facts.leakage, 1) : '—',
        rows: tr('common.rows', { count: split?.valRows ?? 0 }),
        clips: tr('common.clips', { count: split?.valClips ?? 0 }),
      }),
    );
  }
  if (d.status === 'running') {
    b.callout('note', tr('report.running.title'), tr('report.running.text', { epochs: tr('report.epochsRecorded', { count: recordedEpochs(c) }) }));
  } else if (d.status !== 'completed') {
    const text = [
      tr('report.unfinished.text', { status: statusText(c.lang, d.status), epochs: tr('report.epochsRecorded', { count: recordedEpochs(c) }) }),
      folds && folds.completed < folds.k ? tr('report.unfinished.folds', { outcome: outcomeTextIn(c.lang, d.status, folds) }) : '',
      d.error ? tr('report.unfinished.error', { error: d.error.replace(/\.$/, '') }) : '',
    ];
    b.callout('warning', tr('report.unfinished.title'), text.filter(Boolean).join(' '));
  }
}

function recordedEpochs(c: ReportContext): number {
  const { detail, folds } = c.facts;
  return folds.length ? folds.reduce((a, f) => a + f.detail.epochsLog.length, 0) : detail.epochsLog.length;
}
