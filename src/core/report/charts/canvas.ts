/**
 * chart.js drawing in Node on @napi-rs/canvas with the window's theme (src/shared/charts) and the report's
 * embedded font: a chart is rendered once, synchronously, at a print-friendly pixel density.
 */
import { createCanvas, GlobalFonts, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  type ChartConfiguration,
  type ChartType,
  type Plugin,
} from 'chart.js';
import { applyChartTheme } from '../../../shared/charts/theme';
import { REPORT_FONT_FAMILY, reportFonts } from '../fonts';
import { rgbPng } from './png';

/** Print size: the window's 11 px text, a little larger, since an image shrinks onto an A4 page. */
export const PRINT_FONT_SIZE = 13;

let ready = false;

export function setupCharts(): void {
  if (ready) return;
  const fonts = reportFonts();
  GlobalFonts.registerFromPath(fonts.sans, REPORT_FONT_FAMILY);
  GlobalFonts.registerFromPath(fonts.sansBold, REPORT_FONT_FAMILY);
  Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend);
  applyChartTheme(Chart.defaults, { fontFamily: REPORT_FONT_FAMILY, fontSize: PRINT_FONT_SIZE });
  ready = true;
}

/** Paper, not a transparent window background. */
const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

export function newCanvas(width: number, height: number, scale: number): { canvas: Canvas; ctx: SKRSContext2D } {
  setupCharts();
  const canvas = createCanvas(Math.round(width * scale), Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  return { canvas, ctx };
}

/** Draws `config` into a (width × height) CSS-pixel box of `ctx` at (x, y). */
export function drawChart<T extends ChartType, D, L>(
  ctx: SKRSContext2D,
  box: { x: number; y: number; width: number; height: number },
  scale: number,
  config: ChartConfiguration<T, D, L>,
): void {
  setupCharts();
  const { canvas } = newCanvas(box.width, box.height, 1);
  const chart = new Chart(canvas as unknown as HTMLCanvasElement, {
    ...config,
    options: { ...config.options, responsive: false, animation: false, devicePixelRatio: scale },
    plugins: [...(config.plugins ?? []), whiteBackground as Plugin<T>],
  } as ChartConfiguration<T, D, L>);
  ctx.drawImage(canvas, box.x, box.y, box.width, box.height);
  chart.destroy();
}

export interface Png {
  png: Uint8Array;
  width: number;
  height: number;
}

export function toPng(canvas: Canvas): Png {
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  return { png: rgbPng(canvas.width, canvas.height, pixels), width: canvas.width, height: canvas.height };
}
