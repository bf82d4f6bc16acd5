/**
 * Tables in the PDF: columns as wide as their content when the page allows, the widest ones wrapped when it
 * does not; numbers right-aligned; a row never split across pages, the header repeated on a new page.
 */
import type { Block } from './doc';
import { COLOURS, FONT, type Layout } from './pdf-layout';

const PAD_X = 5;
const PAD_Y = 3.5;

/** Column widths: natural widths, capped by the one limit that makes them fit (the widest wrap first), then spread to the full width. */
export function columnWidths(natural: number[], available: number): number[] {
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= available) return natural.map((w) => w + (available - total) * (w / total));
  let lo = 0;
  let hi = Math.max(...natural);
  for (let i = 0; i < 40; i++) {
    const cap = (lo + hi) / 2;
    if (natural.reduce((a, w) => a + Math.min(w, cap), 0) > available) hi = cap;
    else lo = cap;
  }
  return natural.map((w) => Math.min(w, lo));
}

export function drawTable(l: Layout, t: Extract<Block, { kind: 'table' }>): void {
  const { doc } = l;
  const size = FONT.table;
  const measure = (text: string, bold: boolean) => {
    doc.font(bold ? 'bold' : 'sans').fontSize(size);
    return doc.widthOfString(text) + 2 * PAD_X + 0.5;
  };
  const natural = t.header.map((h, c) => Math.max(measure(h, true), ...t.rows.map((r) => measure(r[c] ?? '', false))));
  const widths = columnWidths(natural, l.width);
  const align = (c: number) => t.align?.[c] ?? 'left';
  const rowHeight = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'sans').fontSize(size);
    return Math.max(...cells.map((cell, c) => doc.heightOfString(cell || ' ', { width: widths[c] - 2 * PAD_X }))) + 2 * PAD_Y;
  };
  const drawRow = (cells: string[], y: number, h: number, bold: boolean, fill: string | null) => {
    if (fill) doc.rect(l.left, y, l.width, h).fill(fill);
    doc.font(bold ? 'bold' : 'sans').fontSize(size).fillColor(COLOURS.text);
    let x = l.left;
    cells.forEach((cell, c) => {
      doc.text(cell, x + PAD_X, y + PAD_Y, { width: widths[c] - 2 * PAD_X, align: align(c) });
      x += widths[c];
    });
    doc.moveTo(l.left, y + h).lineTo(l.left + l.width, y + h).lineWidth(bold ? 0.8 : 0.4).strokeColor(COLOURS.rule).stroke();
  };
  const headerH = rowHeight(t.header, true);
  const header = () => {
    const y = doc.y;
    drawRow(t.header, y, headerH, true, COLOURS.tableHeader);
    doc.y = y + headerH;
  };
  const firstH = t.rows.length ? rowHeight(t.rows[0], false) : 0;
  if (doc.y + headerH + firstH > l.bottom) {
    doc.addPage();
    doc.y = l.top;
  }
  header();
  t.rows.forEach((row, r) => {
    const h = rowHeight(row, false);
    if (doc.y + h > l.bottom) {
      doc.addPage();
      doc.y = l.top;
      header();
    }
    const y = doc.y;
    drawRow(row, y, h, false, r % 2 ? COLOURS.zebra : null);
    doc.y = y + h;
  });
}
