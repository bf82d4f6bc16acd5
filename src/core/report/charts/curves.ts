/**
 * training_curves.png: the window's two curve panels side by side (loss, accuracy; training solid, validation
 * dashed), or for a cross-validation each fold's validation curves. 2000 × 800 px.
 */
import { lineChartConfig, type Series } from '../../../shared/charts/line';
import { CHART_THEME } from '../../../shared/charts/theme';
import { REPORT_FONT_FAMILY } from '../fonts';
import { PRINT_FONT_SIZE, drawChart, newCanvas, toPng, type Png } from './canvas';

export interface CurvePanel {
  heading: string;
  series: Series[];
  yTitle: string;
  percent?: boolean;
}

export interface CurvesChart {
  xs: number[];
  panels: CurvePanel[];
  xTitle: string;
  formatPercent: (v: number, digits: number) => string;
  locale: string;
}

const WIDTH = 900;
const HEIGHT = 360;
const SCALE = 2000 / 900;
const PAD = 14;
const GAP = 24;
const HEADING = 26;

export function curvesPng(c: CurvesChart): Png {
  const { canvas, ctx } = newCanvas(WIDTH, HEIGHT, SCALE);
  const n = Math.max(1, c.panels.length);
  const panelWidth = (WIDTH - 2 * PAD - GAP * (n - 1)) / n;
  c.panels.forEach((panel, i) => {
    const x = PAD + i * (panelWidth + GAP);
    ctx.fillStyle = CHART_THEME.text;
    ctx.font = `bold ${PRINT_FONT_SIZE}px "${REPORT_FONT_FAMILY}"`;
    ctx.textBaseline = 'top';
    ctx.fillText(panel.heading.toUpperCase(), x + 4, PAD);
    drawChart(ctx, { x, y: PAD + HEADING, width: panelWidth, height: HEIGHT - 2 * PAD - HEADING }, SCALE, lineChartConfig({
      xs: c.xs,
      series: panel.series,
      xTitle: c.xTitle,
      yTitle: panel.yTitle,
      percent: panel.percent,
      formatPercent: c.formatPercent,
      locale: c.locale,
    }));
  });
  return toPng(canvas);
}
