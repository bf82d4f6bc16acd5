/** What the reference report leaves out: the dataset, the evaluation protocol in words, and what re-runs it. */
import { fixed, formatDateTime, formatDuration, formatInteger } from '../../shared/i18n';
import { isSpeakerSplit } from '../../shared/params';
import { protocolLine, type ReportContext } from './context';
import type { DocBuilder } from './doc';

export function datasetSection(b: DocBuilder, c: ReportContext): void {
  const { tr, facts } = c;
  const ds = facts.dataset;
  b.heading(2, tr('report.section.dataset'));
  if (!ds) {
    b.paragraph(tr('report.dataset.missing', { id: facts.detail.datasetId }));
    return;
  }
  if (ds.contentHash !== facts.detail.datasetHash) b.callout('note', tr('report.section.dataset'), tr('report.dataset.changed'));
  const edges = ds.durationHistogram.edges;
  b.bullets([
    tr('report.dataset.name', { name: ds.name, source: ds.source }),
    tr('report.dataset.clips', { clips: formatInteger(c.lang, ds.clips) }),
    tr('report.dataset.classes', { classes: Object.keys(ds.classes).length }),
    ds.speakers > 0 ? tr('report.dataset.speakers', { speakers: ds.speakers }) : tr('report.dataset.noSpeakers'),
    edges.length > 1 &&
      tr('report.dataset.duration', {
        total: formatDuration(c.lang, ds.durationSec),
        min: formatDuration(c.lang, edges[0]),
        max: formatDuration(c.lang, edges[edges.length - 1]),
      }),
  ]);
  const classes = Object.entries(ds.classes);
  b.table(
    [tr('report.dataset.class'), tr('report.dataset.count'), tr('report.dataset.share')],
    classes.map(([label, n]) => [label, String(n), `${fixed((100 * n) / (ds.clips || 1), 1)}%`]),
    ['left', 'right', 'right'],
  );
}

export function protocolSection(b: DocBuilder, c: ReportContext): void {
  const { tr, facts } = c;
  const d = facts.detail;
  const kind = facts.protocol?.kind;
  b.heading(2, tr('report.section.protocol'));
  const line = protocolLine(c);
  b.paragraph(line.charAt(0).toUpperCase() + line.slice(1));
  const split = d.split;
  if (split && !c.isCrossValidation) {
    const clips = (n: number) => tr('common.clips', { count: n });
    const rows = (n: number) => tr('common.rows', { count: n });
    b.bullets([
      split.trainRows !== split.trainClips
        ? tr('report.protocol.train', { clips: clips(split.trainClips), rows: rows(split.trainRows) })
        : tr('report.protocol.trainPlain', { clips: clips(split.trainClips) }),
      split.valRows !== split.valClips
        ? tr('report.protocol.valRows', { rows: rows(split.valRows), clips: clips(split.valClips) })
        : tr('report.protocol.val', { clips: clips(split.valClips) }),
      split.testClips !== undefined && tr('report.protocol.test', { clips: clips(split.testClips) }),
      d.leaky && facts.leakage !== null && tr('report.protocol.leakage', { share: c.pct(facts.leakage, 1) }),
    ]);
  }
  // which clips the numbers come from: a test part early stopping never saw, or the validation clips that chose the epoch
  if (d.accuracy !== null) {
    b.paragraph(tr(d.scoreSet !== 'test' ? 'report.scoreSet.validation' : c.isCrossValidation || d.fold !== null ? 'report.scoreSet.testFolds' : 'report.scoreSet.test'));
  }
  if (!d.leaky) {
    b.paragraph(tr('report.protocol.honest'));
    if (kind && isSpeakerSplit(kind)) b.paragraph(tr('report.protocol.speakerNote'));
    if (c.isCrossValidation) b.paragraph(tr('report.protocol.kfoldNote'));
  }
}

export function reproducibilitySection(b: DocBuilder, c: ReportContext): void {
  const { tr, facts } = c;
  const d = facts.detail;
  b.heading(2, tr('report.section.reproducibility'));
  const t = d.timings;
  const ms = (v: number) => formatDuration(c.lang, v / 1000);
  const rows: [string, string][] = [
    [tr('report.repro.experiment'), `#${d.id}`],
    [tr('report.repro.started'), formatDateTime(c.lang, d.startedAt)],
    ...(d.finishedAt ? [[tr('report.repro.finished'), formatDateTime(c.lang, d.finishedAt)] as [string, string]] : []),
    [tr('report.repro.seed'), String(d.seed)],
    [tr('report.repro.backend'), d.backend ?? '—'],
    ...Object.entries(d.versions).map(([name, v]): [string, string] => [tr('report.repro.version', { name }), v]),
    [tr('report.repro.datasetHash'), d.datasetHash],
    [tr('report.repro.featureHash'), d.featureConfigHash],
  ];
  if (t) {
    const value =
      t.featuresMs !== undefined
        ? tr('report.repro.timingsValue', { features: ms(t.featuresMs), train: ms(t.trainMs), perEpoch: ms(t.msPerEpoch) })
        : tr('report.repro.timingsTrain', { train: ms(t.trainMs), perEpoch: ms(t.msPerEpoch) });
    rows.push([tr('report.repro.timings'), value]);
  }
  b.table([tr('report.repro.key'), tr('report.repro.value')], rows);
  b.paragraph(tr('report.repro.config'));
  b.code(compactJson(d.config));
}

/** One line per setting: `"split": {"kind":"speaker","valFraction":0.2}`. */
export function compactJson(value: Record<string, unknown>): string {
  const lines = Object.entries(value).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return lines.length ? `{\n${lines.join(',\n')}\n}` : '{}';
}
