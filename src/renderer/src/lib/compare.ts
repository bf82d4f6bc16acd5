// The comparison page's numbers: runs side by side, runs that differ only by seed merged into one column with
// mean ± sd and their spread. Pure functions over the recorded details (tested without a window).
import { pooledConfusion } from '../../../shared/charts/confusion';
import { seriesColour } from '../../../shared/charts/theme';
import type { Series } from '../../../shared/charts/line';
import { seedGroups, seedSummary, type ScoreSpread, type SeedSummary } from '../../../shared/seed-groups';
import { seedsText } from '../../../shared/run-config';
import { configEntries, formatMeanSd } from './experiments';
import type { ExperimentDetail } from './experiment-types';
import { rangeText } from './run-table';
import { formatMs } from './format';
import { t, type MessageKey } from './i18n';

export interface CompareColumn {
  key: string;
  /** "#7", or "#7 · #9 · #12" for a seed group. */
  title: string;
  /** The run's name (a group's: its members' when they share one). */
  name: string | null;
  colour: string;
  /** One run, or a seed group's members in seed order. */
  runs: ExperimentDetail[];
  group: boolean;
  seeds: number[];
  summary: SeedSummary;
}

/** Columns in the order the runs were given; with `groupSeeds`, runs that differ only by seed share one. */
export function compareColumns(details: readonly ExperimentDetail[], groupSeeds = true): CompareColumn[] {
  const groups = groupSeeds ? seedGroups(details) : [];
  const groupOf = new Map<number, (typeof groups)[number]>();
  for (const g of groups) for (const r of g.runs) groupOf.set(r.id, g);
  const columns: CompareColumn[] = [];
  const placed = new Set<string>();
  for (const d of details) {
    const g = groupOf.get(d.id);
    if (g && placed.has(g.key)) continue;
    const runs = g ? [...g.runs].sort((a, b) => a.seed - b.seed || a.id - b.id) : [d];
    if (g) placed.add(g.key);
    const names = [...new Set(runs.map((r) => r.name).filter((n): n is string => !!n))];
    columns.push({
      key: g ? `group-${g.key}` : `run-${d.id}`,
      title: runs.map((r) => `#${r.id}`).join(' · '),
      name: names.length === 1 ? names[0] : null,
      colour: seriesColour(columns.length),
      runs,
      group: Boolean(g),
      seeds: g ? g.seeds : [d.seed],
      summary: g ? g.summary : seedSummary([d]),
    });
  }
  return columns;
}

/** A run's epochs: a cross-validation's are its folds' together. */
export function runEpochs(d: ExperimentDetail): number {
  return d.children.length ? d.children.reduce((a, c) => a + c.epochs, 0) : d.epochs;
}

export interface MetricCell {
  text: string;
  /** A group's spread ("range 61.2–66.3%"), '' otherwise. */
  hint: string;
  /** The value compared to find the best column (null when there is none). */
  value: number | null;
}

export interface MetricRow {
  key: string;
  label: string;
  cells: MetricCell[];
  /** Which column holds the best value (higher is better for scores, lower for time), null when fewer than 2 compare. */
  best: number | null;
}

const meanOf = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const seconds = (ms: number | null) => formatMs(ms);

function scoreCell(m: ScoreSpread | null, asPct: boolean): MetricCell {
  return { text: formatMeanSd(m, asPct), hint: rangeText(m, asPct), value: m?.mean ?? null };
}

function plainCell(values: number[], format: (v: number | null) => string): MetricCell {
  const mean = meanOf(values);
  const spread =
    values.length > 1 && Math.min(...values) !== Math.max(...values) ? t('ui.runs.range', { spread: `${format(Math.min(...values))}–${format(Math.max(...values))}` }) : '';
  return { text: mean === null ? '—' : values.length > 1 ? t('ui.compare.mean', { value: format(mean) }) : format(mean), hint: spread, value: mean };
}

function bestOf(cells: MetricCell[], higher: boolean): number | null {
  const scored = cells.map((c, i) => [c.value, i] as const).filter((x): x is readonly [number, number] => x[0] !== null);
  if (scored.length < 2) return null;
  const best = scored.reduce((a, b) => ((higher ? b[0] > a[0] : b[0] < a[0]) ? b : a));
  // No winner when every value ties.
  return scored.every((x) => x[0] === best[0]) ? null : best[1];
}

/** The numbers side by side: scores (mean ± sd for a group), epochs, training and feature time. */
export function metricRows(columns: readonly CompareColumn[]): MetricRow[] {
  const scored = (c: CompareColumn) => c.runs.filter((r) => r.status === 'completed' || (c.runs.length === 1 && r.accuracy !== null));
  const rows: [string, MessageKey, MetricCell[], boolean][] = [
    ['accuracy', 'ui.runs.colAccuracy', columns.map((c) => scoreCell(c.summary.accuracy, true)), true],
    ['macroF1', 'ui.runs.colMacroF1', columns.map((c) => scoreCell(c.summary.macroF1, false)), true],
    ['weightedF1', 'ui.runs.colWeightedF1', columns.map((c) => scoreCell(c.summary.weightedF1, false)), true],
    ['epochs', 'ui.runs.colEpochs', columns.map((c) => plainCell(scored(c).map(runEpochs), (v) => (v === null ? '—' : String(Math.round(v * 10) / 10)))), false],
    [
      'trainMs',
      'ui.compare.trainingTime',
      columns.map((c) => plainCell(scored(c).flatMap((r) => (r.timings ? [r.timings.trainMs] : [])), seconds)),
      false,
    ],
    [
      'featuresMs',
      'ui.compare.featureTime',
      columns.map((c) => plainCell(scored(c).flatMap((r) => (r.timings?.featuresMs !== undefined ? [r.timings.featuresMs] : [])), seconds)),
      false,
    ],
  ];
  return rows
    .filter(([, , cells]) => cells.some((c) => c.value !== null))
    .map(([key, label, cells, higher]) => ({ key, label: t(label), cells, best: key === 'epochs' || key === 'featuresMs' ? null : bestOf(cells, higher) }));
}

/** Per-class F1 of each column (a group's mean over its completed runs), on the classes of all of them. */
export function perClassF1(columns: readonly CompareColumn[]): { labels: string[]; values: (number | null)[][]; sds: (number | null)[][] } {
  const labels = [...new Set(columns.flatMap((c) => c.runs.flatMap((r) => r.perClass.map((p) => p.label))))].sort();
  const values: (number | null)[][] = [];
  const sds: (number | null)[][] = [];
  for (const c of columns) {
    const runs = c.runs.filter((r) => r.perClass.length);
    const per = labels.map((l) => runs.flatMap((r) => r.perClass.filter((p) => p.label === l).map((p) => p.f1)));
    values.push(per.map((v) => meanOf(v)));
    sds.push(per.map((v) => (v.length > 1 ? Math.sqrt(v.reduce((a, x) => a + (x - meanOf(v)!) ** 2, 0) / (v.length - 1)) : null)));
  }
  return { labels, values, sds };
}

/** Validation curves of every run with epochs of its own (a cross-validation's are per fold: left out), coloured by column. */
export function validationCurves(columns: readonly CompareColumn[]): { xs: number[]; loss: Series[]; acc: Series[]; left: ExperimentDetail[] } {
  const drawn: { run: ExperimentDetail; label: string; colour: string; dashed: boolean }[] = [];
  const left: ExperimentDetail[] = [];
  for (const c of columns) {
    c.runs.forEach((r, i) => {
      if (!r.epochsLog.length) left.push(r);
      else drawn.push({ run: r, label: c.group ? `#${r.id} (seed ${r.seed})` : `#${r.id}${r.name ? ` ${r.name}` : ''}`, colour: c.colour, dashed: i % 2 === 1 });
    });
  }
  const longest = Math.max(0, ...drawn.map((d) => d.run.epochsLog.length));
  const xs = Array.from({ length: longest }, (_, i) => i + 1);
  const series = (key: 'valLoss' | 'valAcc'): Series[] =>
    drawn.map((d) => {
      const byEpoch = new Map(d.run.epochsLog.map((e) => [e.epoch, e[key]]));
      return { label: d.label, colour: d.colour, dashed: d.dashed, data: xs.map((x) => byEpoch.get(x) ?? Number.NaN) };
    });
  return { xs, loss: series('valLoss'), acc: series('valAcc'), left };
}

/** Each column's confusion matrix: a group's runs pooled (so row-normalised shares compare across sizes). */
export function columnConfusion(c: CompareColumn): { labels: string[]; matrix: number[][] } {
  return pooledConfusion(c.runs.filter((r) => r.confusion.labels.length).map((r) => r.confusion));
}

export interface ConfigRow {
  key: string;
  values: string[];
  differs: boolean;
}

/** The configurations side by side (a group shows its seeds), and whether each setting differs between columns. */
export function configRows(columns: readonly CompareColumn[]): ConfigRow[] {
  const perColumn = columns.map((c) => {
    const entries = c.runs.map((r) => new Map(configEntries({ ...r.config, dataset: r.dataset })));
    return { c, entries };
  });
  const keys: string[] = [];
  for (const { entries } of perColumn) for (const m of entries) for (const k of m.keys()) if (!keys.includes(k)) keys.push(k);
  return keys.map((key) => {
    const values = perColumn.map(({ c, entries }) => {
      if (key === 'seed') return seedsText(c.seeds);
      const distinct = [...new Set(entries.map((m) => m.get(key) ?? '—'))];
      return distinct.join(' / ');
    });
    return { key, values, differs: new Set(values).size > 1 };
  });
}
