/**
 * A report written in a child process of its own (PDF layout and chart drawing take seconds of CPU that would
 * otherwise stall the engine's other calls and the progress stream).
 */
import type { Lang } from '../../shared/i18n';
import type { ReportFormat, ReportTarget } from '../../shared/report-params';
import { startJob } from '../jobs/job-host';
import type { ExportedReport } from './export';

export interface ReportJobRequest {
  target: ReportTarget;
  lang: Lang;
  format: ReportFormat;
}

export function runReportJob(workspace: string, target: ReportTarget, lang: Lang, format: ReportFormat): Promise<ExportedReport> {
  const kind = { callerUrl: import.meta.url, name: 'report-job', source: './report-job.ts', what: 'report' };
  return startJob<ReportJobRequest, never, ExportedReport>(kind, workspace, { target, lang, format }).result;
}
