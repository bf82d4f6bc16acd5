// The look of every chart SER Studio draws, in the window (chart.js on a DOM canvas) and in reports
// (chart.js on @napi-rs/canvas in Node). Plain data and functions over chart.js types only: no DOM, no Node.
import type { Chart } from 'chart.js';

export const CHART_THEME = {
  fontSize: 11,
  text: '#5b6474',
  grid: '#e6e9ef',
  tooltipBackground: '#1f2533',
} as const;

/** The window's system font stack; reports pass the font they embed instead. */
export const UI_FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** A training curve and its validation twin. */
export const TRAIN_COLOUR = '#3657d6';
export const VAL_COLOUR = '#e8892b';

/** One colour per fold when several curves share a chart. */
export const FALLBACK_SERIES_COLOURS = ['#3657d6', '#e8892b', '#2d9c8c', '#c2477a', '#7b5ea7', '#a07a1e', '#4d9a5b', '#d94841'];

export function seriesColour(i: number): string {
  return FALLBACK_SERIES_COLOURS[i % FALLBACK_SERIES_COLOURS.length];
}

/** Sets chart.js's global defaults to the theme (once per process, after registering the pieces used). */
export function applyChartTheme(defaults: (typeof Chart)['defaults'], opts: { fontFamily: string; fontSize?: number }): void {
  defaults.font.family = opts.fontFamily;
  defaults.font.size = opts.fontSize ?? CHART_THEME.fontSize;
  defaults.color = CHART_THEME.text;
  defaults.borderColor = CHART_THEME.grid;
  defaults.animation = false;
  defaults.maintainAspectRatio = false;
  // Tooltips exist only where they were registered (the window; a printed chart has none).
  const tooltip = defaults.plugins.tooltip as typeof defaults.plugins.tooltip | undefined;
  if (tooltip) {
    tooltip.backgroundColor = CHART_THEME.tooltipBackground;
    tooltip.padding = 8;
    tooltip.cornerRadius = 4;
  }
  defaults.plugins.legend.labels.boxWidth = 10;
  defaults.plugins.legend.labels.boxHeight = 10;
}
