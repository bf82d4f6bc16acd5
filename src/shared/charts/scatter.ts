// A scatter plot of groups of points (the feature explorer's PCA projection, coloured by class or by speaker),
// configured once as data: the window adds its hover and click handlers; a report could draw the same config.
import type { ChartConfiguration, PointStyle } from 'chart.js';

export interface ScatterPoint {
  x: number;
  y: number;
}

export interface ScatterGroup<P extends ScatterPoint = ScatterPoint> {
  /** Legend text: a class or a speaker. */
  label: string;
  colour: string;
  pointStyle: PointStyle;
  points: P[];
  hidden?: boolean;
}

export type ScatterConfig<P extends ScatterPoint = ScatterPoint> = ChartConfiguration<'scatter', P[], unknown>;

export interface ScatterOptions<P extends ScatterPoint> {
  groups: readonly ScatterGroup<P>[];
  /** Axis titles, in the reader's language ("PC1 · 29.0% of the variance"). */
  xTitle: string;
  yTitle: string;
  /** BCP 47 locale of tick numbers. */
  locale?: string;
}

/**
 * Colours for categories without a colour of their own (speakers): distinct hues, neither the classes' emotion
 * colours' near twins in a row nor too light to see on white.
 */
export const CATEGORY_COLOURS = [
  '#3657d6',
  '#e8892b',
  '#2d9c8c',
  '#c2477a',
  '#7b5ea7',
  '#8a6d1c',
  '#4d9a5b',
  '#d94841',
  '#2f8fb5',
  '#9c5c3c',
  '#5f6f8a',
  '#b8a21a',
] as const;

/** Shapes that stay apart at 4 px; the next shape after every colour has been used once. */
export const CATEGORY_SHAPES: readonly PointStyle[] = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot'];

/** The i-th category's colour and shape: 12 colours x 6 shapes before anything repeats. */
export function categoryStyle(i: number): { colour: string; pointStyle: PointStyle } {
  const n = CATEGORY_COLOURS.length;
  return { colour: CATEGORY_COLOURS[i % n], pointStyle: CATEGORY_SHAPES[Math.floor(i / n) % CATEGORY_SHAPES.length] };
}

/** Smaller points as the cloud gets denser, so clusters stay readable. */
export function scatterRadius(points: number): number {
  return points <= 150 ? 4.5 : points <= 600 ? 3.5 : points <= 3000 ? 2.5 : 1.8;
}

export function scatterConfig<P extends ScatterPoint>(o: ScatterOptions<P>): ScatterConfig<P> {
  const total = o.groups.reduce((n, g) => n + g.points.length, 0);
  const radius = scatterRadius(total);
  return {
    type: 'scatter',
    data: {
      datasets: o.groups.map((g) => ({
        label: g.label,
        data: [...g.points],
        hidden: g.hidden ?? false,
        pointStyle: g.pointStyle,
        backgroundColor: `${g.colour}b3`,
        borderColor: g.colour,
        borderWidth: 1,
        pointRadius: radius,
        pointHoverRadius: radius + 2.5,
        pointHitRadius: Math.max(3, radius),
      })),
    },
    options: {
      ...(o.locale ? { locale: o.locale } : {}),
      interaction: { mode: 'nearest', intersect: true },
      plugins: { legend: { display: false } },
      scales: {
        x: { type: 'linear', title: { display: true, text: o.xTitle }, grid: { color: '#eef0f4' } },
        y: { type: 'linear', title: { display: true, text: o.yTitle }, grid: { color: '#eef0f4' } },
      },
    },
  };
}
