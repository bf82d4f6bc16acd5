/** The PDF's page geometry, type sizes and colours, and the one page-break rule every block follows. */

type Pdf = PDFKit.PDFDocument;

export const PAGE = { margins: { top: 66, bottom: 60, left: 56, right: 56 } } as const;

export const FONT = { body: 10, small: 8, code: 7.4, table: 8.8 } as const;

export const COLOURS = {
  text: '#1f2533',
  muted: '#5b6474',
  rule: '#d9dee7',
  codeBackground: '#f4f6f9',
  tableHeader: '#eef1f6',
  zebra: '#f8f9fb',
  warning: { fill: '#fff6e6', border: '#f0c36d', title: '#8a5300' },
  note: { fill: '#eef3fd', border: '#c8d1ee', title: '#24438f' },
} as const;

export interface Layout {
  doc: Pdf;
  left: number;
  width: number;
  /** y of the page's top and bottom margins. */
  top: number;
  bottom: number;
}

/** Moves to a new page unless `height` fits below the cursor. */
export function ensureSpace(l: Layout, height: number): void {
  if (l.doc.y + height > l.bottom) {
    l.doc.addPage();
    l.doc.y = l.top;
  }
}
