// Child-process entry for writing a report (started by job.ts's runReportJob).
import { serveJob } from '../jobs/job-child';
import type { ExportedReport } from './export';
import { exportReport } from './export';
import type { ReportJobRequest } from './job';

serveJob<ReportJobRequest, never, ExportedReport>((ws, r) => exportReport(ws.db, ws.dir, r.target, r.lang, r.format), 'internal');
