// Names of the written reports, as plain data (no zod: the renderer, the CLI and the engine import these values).
import type { Lang } from './i18n/types';

/** What a report is written as: Markdown with its PNG charts, the PDF, or both. */
export const REPORT_FORMATS = ['md', 'pdf', 'both'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Reports exported from the window go to `<workspace>/reports/<folder>/`; only files in there are ever served back. */
export const REPORTS_DIR = 'reports';

/** The files a report folder holds, by extension, with the type they are served as. */
export const REPORT_FILE_TYPES = {
  '.md': { kind: 'markdown', mime: 'text/markdown; charset=utf-8' },
  '.pdf': { kind: 'pdf', mime: 'application/pdf' },
  '.png': { kind: 'image', mime: 'image/png' },
} as const;
export type ReportFileKind = (typeof REPORT_FILE_TYPES)[keyof typeof REPORT_FILE_TYPES]['kind'];

export function reportFileType(name: string): (typeof REPORT_FILE_TYPES)[keyof typeof REPORT_FILE_TYPES] | null {
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot).toLowerCase() : '';
  return Object.prototype.hasOwnProperty.call(REPORT_FILE_TYPES, ext) ? REPORT_FILE_TYPES[ext as keyof typeof REPORT_FILE_TYPES] : null;
}

/** What a report is about: an experiment, or a batch classification run. */
export type ReportTarget = { experimentId: number } | { classifyRunId: number };

/** The folder a report is written to inside REPORTS_DIR: `experiment-7-ru`, `classify-3-en`. */
export function reportFolderName(target: ReportTarget, lang: Lang): string {
  return 'experimentId' in target ? `experiment-${target.experimentId}-${lang}` : `classify-${target.classifyRunId}-${lang}`;
}
