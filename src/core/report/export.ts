/**
 * Reports written from the window: into <workspace>/reports/<experiment-7-ru>/, a folder that holds exactly the
 * last export of that report (so nothing stale is served), listed with what the routes serve them by (files.ts).
 * The writing itself runs in a job process (job.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Lang } from '../../shared/i18n';
import { reportFileType, reportFolderName, type ReportFormat, type ReportTarget } from '../../shared/report-params';
import type { Db } from '../store/db';
import { classifyReport } from './classify-report';
import type { ReportDoc } from './doc';
import { experimentReport } from './experiment-report';
import { reportsRoot } from './files';
import { writeReport } from './write';
import { writeDirAtomically } from '../workspace/atomic-dir';

export interface ExportedReportFile {
  name: string;
  /** Relative to the workspace's reports folder, with '/' separators: `experiment-7-ru/report.pdf`. */
  path: string;
  bytes: number;
  kind: 'markdown' | 'pdf' | 'image';
}

export interface ExportedReport {
  folder: string;
  dir: string;
  files: ExportedReportFile[];
  ms: number;
}

export function reportDoc(db: Db, target: ReportTarget, lang: Lang): ReportDoc {
  return 'experimentId' in target ? experimentReport(db, target.experimentId, lang) : classifyReport(db, target.classifyRunId, lang);
}

/** Builds the document from the workspace (the caller's open database) and writes it into its reports folder. */
export async function exportReport(db: Db, workspaceDir: string, target: ReportTarget, lang: Lang, format: ReportFormat): Promise<ExportedReport> {
  const started = performance.now();
  const doc = reportDoc(db, target, lang);
  const folder = reportFolderName(target, lang);
  const dir = path.join(reportsRoot(workspaceDir), folder);
  // Written whole in a hidden temporary sibling, then renamed over the last export: a process killed half-way
  // leaves the last complete report (or none), never half of one that the reports list would serve.
  const written = await writeDirAtomically(dir, (tmp) => writeReport(doc, tmp, format));
  const files = [written.pdf, written.markdown, ...written.images]
    .filter((f): f is string => f !== null)
    .map((f): ExportedReportFile => {
      const name = path.basename(f);
      return { name, path: `${folder}/${name}`, bytes: fs.statSync(path.join(dir, name)).size, kind: reportFileType(name)!.kind };
    });
  return { folder, dir, files, ms: Math.round(performance.now() - started) };
}
