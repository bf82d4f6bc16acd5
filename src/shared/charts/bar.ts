// A bar per class (how many files were predicted as each), configured once for the window and the reports.
import type { ChartConfiguration } from 'chart.js';
import { labelColour } from './palette';

export type ClassBarConfig = ChartConfiguration<'bar', number[], string>;

export interface ClassCountsOptions {
  /** Classes in the order the bars are drawn (the model's label order). */
  labels: readonly string[];
  counts: readonly number[];
  /** The y axis title, in the reader's language ("files"). */
  yTitle: string;
  /** Tooltip line of a bar (the window only; a printed chart has no tooltips). */
  tooltip?: (count: number, total: number) => string;
  /** BCP 47 locale of tick numbers. */
  locale?: string;
}

export function classCountsConfig(o: ClassCountsOptions): ClassBarConfig {
  const total = o.counts.reduce((a, b) => a + b, 0);
  return {
    type: 'bar',
    data: {
      labels: [...o.labels],
      datasets: [
        {
          label: o.yTitle,
          data: [...o.counts],
          backgroundColor: o.labels.map(labelColour),
          borderRadius: 3,
          maxBarThickness: 46,
        },
      ],
    },
    options: {
      ...(o.locale ? { locale: o.locale } : {}),
      plugins: {
        legend: { display: false },
        ...(o.tooltip ? { tooltip: { callbacks: { label: (item) => o.tooltip!(item.parsed.y ?? 0, total) } } } : {}),
      },
      scales: {
        x: { grid: { display: false } },
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: o.yTitle } },
      },
    },
  };
}

export interface GroupedBarSeries {
  label: string;
  data: readonly number[];
  colour: string;
}

export interface GroupedBarOptions {
  /** The categories along x (classes), each with one bar per series. */
  categories: readonly string[];
  series: readonly GroupedBarSeries[];
  yTitle: string;
  /** A 0..1 score: the axis ends at 1. */
  unit?: boolean;
  /** Tooltip line of a bar (the window only). */
  tooltip?: (series: number, category: number) => string;
  locale?: string;
}

/** Bars grouped by category, one colour per series (runs side by side per class). */
export function groupedBarConfig(o: GroupedBarOptions): ClassBarConfig {
  return {
    type: 'bar',
    data: {
      labels: [...o.categories],
      datasets: o.series.map((s) => ({ label: s.label, data: [...s.data], backgroundColor: s.colour, borderRadius: 2, maxBarThickness: 28 })),
    },
    options: {
      ...(o.locale ? { locale: o.locale } : {}),
      plugins: {
        legend: { display: true, position: 'bottom', align: 'end' },
        ...(o.tooltip ? { tooltip: { callbacks: { label: (item) => o.tooltip!(item.datasetIndex, item.dataIndex) } } } : {}),
      },
      scales: {
        x: { grid: { display: false } },
        y: { beginAtZero: true, ...(o.unit ? { max: 1 } : {}), title: { display: true, text: o.yTitle } },
      },
    },
  };
}
