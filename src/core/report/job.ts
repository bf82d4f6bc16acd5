/**
 * A report written in a child process of its own (PDF layout and chart drawing take seconds of CPU that would
 * otherwise stall the engine's other calls and the progress stream). The host settles exactly once.
 */
import { fork } from 'node:child_process';
import type { ErrorInfo } from '../../shared/experiment';
import type { Lang } from '../../shared/i18n';
import type { ReportFormat, ReportTarget } from '../../shared/report-params';
import { resolveEntry } from '../jobs/entry';
import { JobError } from '../jobs/job-host';
import type { ExportedReport } from './export';

export type ReportJobRequest = { kind: 'report'; workspace: string; target: ReportTarget; lang: Lang; format: ReportFormat };
export type ReportJobMessage = { kind: 'result'; report: ExportedReport } | { kind: 'error'; error: ErrorInfo };

export function runReportJob(workspace: string, target: ReportTarget, lang: Lang, format: ReportFormat): Promise<ExportedReport> {
  const entry = resolveEntry(import.meta.url, 'report-job', './report-job.ts');
  const child = fork(entry.file, [], {
    execArgv: entry.viaTsx ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<ExportedReport>((resolve, reject) => {
    let settled = false;
    child.on('message', (m: ReportJobMessage) => {
      settled = true;
      if (m.kind === 'result') resolve(m.report);
      else reject(new JobError(m.error.code, m.error.message));
    });
    child.on('exit', (code, signal) => {
      if (!settled) reject(new JobError('job_crashed', `The report process ended unexpectedly (${signal ?? `exit code ${code}`}).`));
    });
    child.on('error', (err) => {
      if (!settled) reject(new JobError('job_failed', err.message));
    });
    child.send({ kind: 'report', workspace, target, lang, format } satisfies ReportJobRequest);
  });
}
