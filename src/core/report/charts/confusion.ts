/**
 * confusion_matrix.png: the window's confusion matrix as an image. Rows are the true class, columns the
 * predicted one; each cell shows its count, shaded by its share of the true class (blue on the diagonal, red
 * off it, as confusionShade says), with row and column totals. 1600 × 1200 px.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { CONFUSION_COLOURS, confusionShade, confusionStats } from '../../../shared/charts/confusion';
import { CHART_THEME } from '../../../shared/charts/theme';
import { REPORT_FONT_FAMILY } from '../fonts';
import { PRINT_FONT_SIZE, newCanvas, toPng, type Png } from './canvas';

export interface ConfusionChart {
  labels: string[];
  matrix: number[][];
  text: { corner: string; predicted: string; total: string; legend: (correct: number, total: number) => string; correct: string; confused: string };
}

const WIDTH = 640;
const HEIGHT = 480;
const SCALE = 2.5;
const PAD = 12;
const SPACING = 2;
const FAINT = '#8a93a3';
const STRONG = '#1f2533';

const font = (size: number, bold = false): string => `${bold ? 'bold ' : ''}${size}px "${REPORT_FONT_FAMILY}"`;

function roundRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

export function confusionPng(c: ConfusionChart): Png {
  const { canvas, ctx } = newCanvas(WIDTH, HEIGHT, SCALE);
  const n = c.labels.length;
  const stats = confusionStats(c.matrix);
  const size = PRINT_FONT_SIZE;

  ctx.font = font(size);
  const labelWidth = Math.max(40, ...c.labels.map((l) => ctx.measureText(l).width));
  // "true ↓ / predicted →" on two lines above the row labels.
  const corner = c.text.corner.split(' / ');
  ctx.font = font(size * 0.85);
  const cornerWidth = Math.max(...corner.map((line) => ctx.measureText(line).width));
  const rowLabelW = Math.max(labelWidth, cornerWidth) + 12;
  const colLabelH = Math.min(160, labelWidth + 10);
  const axisH = 22;
  const totalW = 64;
  const totalH = 30;
  const legendH = 34;
  const top = PAD + axisH + colLabelH;
  const cellW = Math.min(110, (WIDTH - 2 * PAD - rowLabelW - totalW) / Math.max(1, n));
  const cellH = Math.min(cellW * 0.85, (HEIGHT - top - totalH - legendH - PAD) / Math.max(1, n));
  const gridW = cellW * n;
  const left = PAD + rowLabelW + Math.max(0, (WIDTH - 2 * PAD - rowLabelW - totalW - gridW) / 2);
  const countSize = Math.max(10, Math.min(size * 1.35, cellH * 0.42));

  // Corner: how to read the grid.
  ctx.fillStyle = FAINT;
  ctx.font = font(size * 0.85);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  corner.forEach((line, k) => ctx.fillText(line, left - 10, top - 4 - (corner.length - 1 - k) * size * 1.15));

  // "PREDICTED" over the columns, then each column's label, rotated to read upwards.
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(c.text.predicted.toUpperCase(), left + gridW / 2, PAD);
  ctx.fillStyle = CHART_THEME.text;
  ctx.font = font(size);
  c.labels.forEach((label, j) => {
    ctx.save();
    ctx.translate(left + j * cellW + cellW / 2, top - 6);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(label, 0, 0, colLabelH - 6);
    ctx.restore();
  });
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(c.text.total, left + gridW + totalW / 2, top - 6);

  // The cells.
  c.labels.forEach((label, i) => {
    const y = top + i * cellH;
    ctx.fillStyle = CHART_THEME.text;
    ctx.font = font(size);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(label, left - 10, y + cellH / 2, rowLabelW - 6);
    for (let j = 0; j < n; j++) {
      const count = c.matrix[i]?.[j] ?? 0;
      const x = left + j * cellW;
      const shade = confusionShade(count, stats.rowTotals[i], i === j);
      roundRect(ctx, x + SPACING / 2, y + SPACING / 2, cellW - SPACING, cellH - SPACING, 4);
      // rgba over the white page, as the window's cells sit on a white card.
      ctx.fillStyle = shade ? shade.fill : CONFUSION_COLOURS.empty;
      ctx.fill();
      if (!count && i === j) {
        ctx.save();
        ctx.setLineDash([3, 3]);
        ctx.strokeStyle = CONFUSION_COLOURS.emptyDiagonalOutline;
        ctx.lineWidth = 1;
        ctx.stroke();
        ctx.restore();
      }
      ctx.fillStyle = !count ? CONFUSION_COLOURS.zeroText : shade?.lightText ? '#ffffff' : STRONG;
      ctx.font = font(countSize, count > 0);
      ctx.textAlign = 'center';
      ctx.fillText(String(count), x + cellW / 2, y + cellH / 2);
    }
    ctx.fillStyle = CHART_THEME.text;
    ctx.font = font(size);
    ctx.fillText(String(stats.rowTotals[i]), left + gridW + totalW / 2, y + cellH / 2);
  });

  // Column totals and the grand total.
  const yTotals = top + n * cellH + totalH / 2;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  ctx.fillText(c.text.total, left - 10, yTotals);
  ctx.textAlign = 'center';
  stats.colTotals.forEach((total, j) => ctx.fillText(String(total), left + j * cellW + cellW / 2, yTotals));
  ctx.fillStyle = STRONG;
  ctx.font = font(size, true);
  ctx.fillText(String(stats.total), left + gridW + totalW / 2, yTotals);

  // Legend: what the colours mean.
  const legendY = HEIGHT - PAD - legendH / 2 + 6;
  const [cr, cg, cb] = CONFUSION_COLOURS.correct;
  const [er, eg, eb] = CONFUSION_COLOURS.confused;
  const parts: { text: string; swatch?: string }[] = [
    { text: `${c.text.legend(stats.correct, stats.total)} · ` },
    { text: c.text.correct, swatch: `rgba(${cr}, ${cg}, ${cb}, 0.7)` },
    { text: c.text.confused, swatch: `rgba(${er}, ${eg}, ${eb}, 0.7)` },
  ];
  ctx.font = font(size * 0.9);
  const sw = 10;
  const widths = parts.map((p) => ctx.measureText(p.text).width + (p.swatch ? sw + 6 : 0) + 10);
  let x = Math.max(PAD, WIDTH / 2 - widths.reduce((a, b) => a + b, 0) / 2);
  ctx.textAlign = 'left';
  parts.forEach((p, k) => {
    if (p.swatch) {
      ctx.fillStyle = p.swatch;
      roundRect(ctx, x, legendY - sw / 2, sw, sw, 2);
      ctx.fill();
      x += sw + 6;
    }
    ctx.fillStyle = FAINT;
    ctx.fillText(p.text, x, legendY);
    x += widths[k] - (p.swatch ? sw + 6 : 0);
  });
  return toPng(canvas);
}
