/**
 * A classification in a child process of its own, as training runs (jobs/job-host.ts): typed progress, cancel
 * (what was classified so far is recorded and the run is marked cancelled), kill. classifyFiles stays callable
 * in-process too.
 */
import type { ClassifyProgress, ClassifyRequest, ClassifyResult } from '../../shared/classify';
import { startJob, type Job } from '../jobs/job-host';

export type ClassifyJob = Job<ClassifyProgress, ClassifyResult>;

export function startClassifyJob(workspace: string, request: ClassifyRequest, onProgress: (p: ClassifyProgress) => void = () => {}): ClassifyJob {
  return startJob({ callerUrl: import.meta.url, name: 'classify-job', source: './classify-job.ts', what: 'classification' }, workspace, request, onProgress);
}
