// Line charts of training curves (loss and accuracy per epoch), configured once for the window and reports.
import type { ChartConfiguration } from 'chart.js';
import { TRAIN_COLOUR, VAL_COLOUR, seriesColour } from './theme';

export type LineConfig = ChartConfiguration<'line', (number | null)[], number>;

export interface Series {
  label: string;
  data: number[];
  colour: string;
  dashed?: boolean;
}

/** A training curve and its validation twin, dashed. */
export function trainValSeries(labels: { train: string; val: string }, train: number[], val: number[]): Series[] {
  return [
    { label: labels.train, data: train, colour: TRAIN_COLOUR },
    { label: labels.val, data: val, colour: VAL_COLOUR, dashed: true },
  ];
}

/** One validation curve per fold (fold order), padded with NaN to the longest fold. */
export function foldSeries(logs: readonly { valLoss: number | null; valAcc: number | null }[][], key: 'valLoss' | 'valAcc', label: (fold: number) => string): { xs: number[]; series: Series[] } {
  const longest = Math.max(0, ...logs.map((l) => l.length));
  const xs = Array.from({ length: longest }, (_, i) => i + 1);
  return {
    xs,
    series: logs.map((log, i) => ({ label: label(i), colour: seriesColour(i), data: xs.map((x) => log[x - 1]?.[key] ?? Number.NaN) })),
  };
}

export function lineDatasets(list: readonly Series[], opts: { lineWidth?: number } = {}): LineConfig['data']['datasets'] {
  return list.map((s) => ({
    label: s.label,
    data: [...s.data],
    borderColor: s.colour,
    backgroundColor: s.colour,
    borderWidth: opts.lineWidth ?? 2,
    borderDash: s.dashed ? [5, 4] : undefined,
    pointRadius: s.data.length > 40 ? 0 : 2.5,
    pointHoverRadius: 4,
    tension: 0.25,
  }));
}

export interface LineChartOptions {
  xs: readonly number[];
  series: readonly Series[];
  /** Axis titles, in the reader's language. */
  xTitle: string;
  yTitle: string;
  /** A 0..1 score drawn on a 0..100 % axis. */
  percent?: boolean;
  /** Tick and tooltip text of a percent axis (default "80%"). */
  formatPercent?: (v: number, digits: number) => string;
  /** Tooltip title of an x value (default "epoch N"). */
  tooltipTitle?: (x: string) => string;
  /** BCP 47 locale of tick numbers ("0,4" in Russian); chart.js's default otherwise. */
  locale?: string;
}

const defaultPercent = (v: number, digits: number): string => `${(v * 100).toFixed(digits)}%`;

export function lineChartConfig(o: LineChartOptions): LineConfig {
  const pct = o.formatPercent ?? defaultPercent;
  return {
    type: 'line',
    data: { labels: [...o.xs], datasets: lineDatasets(o.series) },
    options: {
      ...(o.locale ? { locale: o.locale } : {}),
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { position: 'bottom', align: 'end', labels: { usePointStyle: true, pointStyle: 'line', boxWidth: 22 } },
        tooltip: {
          callbacks: {
            title: (items) => (o.tooltipTitle ?? ((x) => `epoch ${x}`))(items[0]?.label ?? ''),
            label: (item) => `${item.dataset.label}: ${o.percent ? pct(item.parsed.y ?? 0, 1) : (item.parsed.y ?? 0).toFixed(4)}`,
          },
        },
      },
      scales: {
        x: { title: { display: true, text: o.xTitle }, grid: { display: false }, ticks: { maxTicksLimit: 12 } },
        y: {
          title: { display: true, text: o.yTitle },
          beginAtZero: true,
          ...(o.percent ? { max: 1, ticks: { callback: (v: string | number) => pct(Number(v), 0) } } : {}),
        },
      },
    },
  };
}
