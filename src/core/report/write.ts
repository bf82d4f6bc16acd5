/** Writes a report into a folder: report.md with its PNG charts, and/or report.pdf. */
import fs from 'node:fs';
import path from 'node:path';
import type { ReportDoc } from './doc';
import { renderMarkdown } from './markdown';
import { renderPdf } from './pdf';
import type { ReportFormat } from '../../shared/report-params';

export { REPORT_FORMATS, type ReportFormat } from '../../shared/report-params';

export interface WrittenReport {
  dir: string;
  markdown: string | null;
  pdf: string | null;
  /** The chart images (written with either format: the Markdown links them, and they are useful on their own). */
  images: string[];
}

export async function writeReport(doc: ReportDoc, outDir: string, format: ReportFormat): Promise<WrittenReport> {
  const dir = path.resolve(outDir);
  fs.mkdirSync(dir, { recursive: true });
  const { markdown, images } = renderMarkdown(doc, dir);
  let mdPath: string | null = null;
  let pdfPath: string | null = null;
  if (format !== 'pdf') fs.writeFileSync((mdPath = path.join(dir, 'report.md')), markdown);
  if (format !== 'md') fs.writeFileSync((pdfPath = path.join(dir, 'report.pdf')), await renderPdf(doc));
  return { dir, markdown: mdPath, pdf: pdfPath, images };
}
