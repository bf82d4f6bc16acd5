// The report stage: a neutral document model, the experiment report built on it, and its two renderers.
export type { Block, ReportDoc } from './doc';
export { DocBuilder } from './doc';
export { experimentReport } from './experiment-report';
export { markdownText, renderMarkdown } from './markdown';
export { renderPdf } from './pdf';
export { REPORT_FORMATS, writeReport, type ReportFormat, type WrittenReport } from './write';
