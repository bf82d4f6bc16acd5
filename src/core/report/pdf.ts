/**
 * A ReportDoc as an A4 PDF (pdfkit): selectable text in the embedded DejaVu fonts (Cyrillic included), tables
 * with right-aligned numbers, code in DejaVu Sans Mono, the chart images, a running header and page numbers.
 * A table row, an image, a callout, a list item or a heading with the start of its section is never split
 * across pages.
 */
import PDFDocument from 'pdfkit';
import type { Block, ReportDoc } from './doc';
import { reportFonts } from './fonts';
import { COLOURS, FONT, PAGE, ensureSpace, type Layout } from './pdf-layout';
import { drawTable } from './pdf-table';

function heading(l: Layout, b: Extract<Block, { kind: 'heading' }>): void {
  const { doc } = l;
  const size = b.level === 1 ? 17 : b.level === 2 ? 13 : 11;
  const before = b.level === 1 ? 0 : b.level === 2 ? 14 : 8;
  doc.font('bold').fontSize(size);
  const h = doc.heightOfString(b.text, { width: l.width });
  // Keep a heading with the first lines of what it introduces.
  if (doc.y > l.top) doc.y += before;
  ensureSpace(l, h + 48);
  doc.fillColor(COLOURS.text).text(b.text, l.left, doc.y, { width: l.width });
  if (b.level === 2) {
    doc.moveTo(l.left, doc.y + 1).lineTo(l.left + l.width, doc.y + 1).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
  }
  doc.y += b.level === 1 ? 8 : 5;
}

function paragraph(l: Layout, text: string): void {
  const { doc } = l;
  doc.font('sans').fontSize(FONT.body).fillColor(COLOURS.text);
  ensureSpace(l, Math.min(doc.heightOfString(text, { width: l.width, lineGap: 2 }), 3 * 14));
  doc.text(text, l.left, doc.y, { width: l.width, lineGap: 2 });
  doc.y += 5;
}

function bullets(l: Layout, items: string[]): void {
  const { doc } = l;
  const indent = 14;
  doc.font('sans').fontSize(FONT.body).fillColor(COLOURS.text);
  for (const item of items) {
    const h = doc.heightOfString(item, { width: l.width - indent, lineGap: 2 });
    ensureSpace(l, h);
    const y = doc.y;
    doc.text('•', l.left + 3, y, { lineBreak: false });
    doc.text(item, l.left + indent, y, { width: l.width - indent, lineGap: 2 });
    doc.y += 2;
  }
  doc.y += 4;
}

function code(l: Layout, text: string): void {
  const { doc } = l;
  const pad = 7;
  const lineGap = 1.2;
  doc.font('mono').fontSize(FONT.code);
  const lines = text.split('\n');
  const lineHeight = (line: string) => doc.heightOfString(line || ' ', { width: l.width - 2 * pad, lineGap });
  // Split between lines only, and only when the whole block cannot fit on a fresh page.
  const fresh = l.bottom - l.top - 2 * pad;
  let i = 0;
  while (i < lines.length) {
    const room = l.bottom - doc.y - 2 * pad;
    const rest = lines.slice(i).reduce((a, line) => a + lineHeight(line), 0);
    if (doc.y > l.top && (room < lineHeight(lines[i]) || (rest > room && rest <= fresh))) {
      doc.addPage();
      doc.y = l.top;
      continue;
    }
    let h = 0;
    let j = i;
    while (j < lines.length && (j === i || h + lineHeight(lines[j]) <= room)) h += lineHeight(lines[j++]);
    const y = doc.y;
    doc.rect(l.left, y, l.width, h + 2 * pad).fill(COLOURS.codeBackground);
    doc.fillColor(COLOURS.text).font('mono').fontSize(FONT.code);
    doc.text(lines.slice(i, j).join('\n'), l.left + pad, y + pad, { width: l.width - 2 * pad, lineGap });
    doc.y = y + h + 2 * pad + 8;
    i = j;
  }
}

function image(l: Layout, b: Extract<Block, { kind: 'image' }>): void {
  const { doc } = l;
  // Square-ish images (the confusion matrix) at 80% of the text width, wide ones (curves) at full width.
  const maxWidth = b.width / b.height < 1.6 ? l.width * 0.8 : l.width;
  let width = maxWidth;
  let height = (width * b.height) / b.width;
  const maxHeight = l.bottom - l.top - 10;
  if (height > maxHeight) {
    height = maxHeight;
    width = (height * b.width) / b.height;
  }
  ensureSpace(l, height + 6);
  const y = doc.y;
  doc.image(Buffer.from(b.png), l.left + (l.width - width) / 2, y, { width, height });
  doc.y = y + height + 8;
}

function callout(l: Layout, b: Extract<Block, { kind: 'callout' }>): void {
  const { doc } = l;
  const c = b.tone === 'warning' ? COLOURS.warning : COLOURS.note;
  const pad = 9;
  const bar = 4;
  const inner = l.width - 2 * pad - bar;
  doc.font('bold').fontSize(10.5);
  const titleH = doc.heightOfString(b.title, { width: inner });
  doc.font('sans').fontSize(9.5);
  const textH = doc.heightOfString(b.text, { width: inner, lineGap: 1.5 });
  const h = pad + titleH + 4 + textH + pad;
  ensureSpace(l, h + 4);
  const y = doc.y;
  doc.rect(l.left, y, l.width, h).fillAndStroke(c.fill, c.border);
  doc.rect(l.left, y, bar, h).fill(c.border);
  doc.fillColor(c.title).font('bold').fontSize(10.5).text(b.title, l.left + bar + pad, y + pad, { width: inner });
  doc.fillColor(COLOURS.text).font('sans').fontSize(9.5).text(b.text, l.left + bar + pad, y + pad + titleH + 4, { width: inner, lineGap: 1.5 });
  doc.y = y + h + 10;
}

function drawBlock(l: Layout, b: Block): void {
  switch (b.kind) {
    case 'heading':
      return heading(l, b);
    case 'paragraph':
      return paragraph(l, b.text);
    case 'bullets':
      return bullets(l, b.items);
    case 'table':
      drawTable(l, b);
      l.doc.y += 8;
      return;
    case 'code':
      return code(l, b.text);
    case 'image':
      return image(l, b);
    case 'callout':
      return callout(l, b);
  }
}

/** The header line and page number of every page, once the page count is known. */
function decoratePages(l: Layout, doc: ReportDoc): void {
  const pdf = l.doc;
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // Writing inside the margins must not start a new page.
    const margins = { ...pdf.page.margins };
    pdf.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    const headerY = PAGE.margins.top - 30;
    pdf.font('sans').fontSize(FONT.small).fillColor(COLOURS.muted);
    pdf.text(doc.header, l.left, headerY, { width: l.width / 2, lineBreak: false });
    pdf.text(doc.title, l.left + l.width / 2, headerY, { width: l.width / 2, align: 'right', lineBreak: false, ellipsis: true });
    pdf.moveTo(l.left, headerY + 12).lineTo(l.left + l.width, headerY + 12).lineWidth(0.5).strokeColor(COLOURS.rule).stroke();
    const label = doc.pageLabel.replace('{page}', String(i - range.start + 1)).replace('{pages}', String(range.count));
    pdf.text(label, l.left, pdf.page.height - PAGE.margins.bottom + 22, { width: l.width, align: 'center', lineBreak: false });
    pdf.page.margins = margins;
  }
}

export function renderPdf(doc: ReportDoc): Promise<Buffer> {
  const fonts = reportFonts();
  const pdf = new PDFDocument({
    size: 'A4',
    margins: PAGE.margins,
    bufferPages: true,
    font: fonts.sans,
    lang: doc.lang,
    displayTitle: true,
    info: { Title: doc.title, Subject: doc.header, Creator: 'SER Studio', Producer: 'SER Studio (pdfkit)' },
  });
  pdf.registerFont('sans', fonts.sans);
  pdf.registerFont('bold', fonts.sansBold);
  pdf.registerFont('mono', fonts.mono);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const layout: Layout = {
    doc: pdf,
    left: PAGE.margins.left,
    width: pdf.page.width - PAGE.margins.left - PAGE.margins.right,
    top: PAGE.margins.top,
    bottom: pdf.page.height - PAGE.margins.bottom,
  };
  pdf.y = layout.top;
  for (const b of doc.blocks) drawBlock(layout, b);
  decoratePages(layout, doc);
  pdf.end();
  return done;
}
