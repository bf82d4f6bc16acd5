/**
 * predicted_classes.png: the window's bar chart of predicted classes (src/shared/charts/bar.ts, colours by
 * class) as an image. 1600 × 600 px, wide enough for a dozen class names on one line.
 */
import { classCountsConfig } from '../../../shared/charts/bar';
import { drawChart, newCanvas, toPng, type Png } from './canvas';

export interface ClassCountsChart {
  labels: string[];
  counts: number[];
  yTitle: string;
  locale: string;
}

const WIDTH = 800;
const HEIGHT = 300;
const SCALE = 2;
const PAD = 12;

export function classCountsPng(c: ClassCountsChart): Png {
  const { canvas, ctx } = newCanvas(WIDTH, HEIGHT, SCALE);
  drawChart(ctx, { x: PAD, y: PAD, width: WIDTH - 2 * PAD, height: HEIGHT - 2 * PAD }, SCALE, classCountsConfig({ labels: c.labels, counts: c.counts, yTitle: c.yTitle, locale: c.locale }));
  return toPng(canvas);
}
