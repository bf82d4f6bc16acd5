// The line pieces of chart.js, registered only by the pages that draw training curves.
import { LineController, LineElement, PointElement, Filler, type ChartConfiguration } from 'chart.js';
import { Chart } from './charts';

Chart.register(LineController, LineElement, PointElement, Filler);

export type LineConfig = ChartConfiguration<'line', (number | null)[], number>;
export { Chart };

export const TRAIN_COLOUR = '#3657d6';
export const VAL_COLOUR = '#e8892b';

export interface Series {
  label: string;
  data: number[];
  colour: string;
  dashed?: boolean;
}

/** One colour per fold when several curves share a chart. */
export const FALLBACK_SERIES_COLOURS = ['#3657d6', '#e8892b', '#2d9c8c', '#c2477a', '#7b5ea7', '#a07a1e', '#4d9a5b', '#d94841'];
