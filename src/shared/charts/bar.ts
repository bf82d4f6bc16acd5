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
