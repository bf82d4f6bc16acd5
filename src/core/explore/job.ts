/**
 * Extraction for the feature explorer in a child process of its own (jobs/job-host.ts), as training and
 * classification run: the engine stays responsive while a corpus's vectors are computed, progress streams back,
 * cancel stops after the clips in flight (what was extracted stays cached).
 */
import type { ExploreProgress } from '../../shared/explore';
import { startJob, type Job } from '../jobs/job-host';
import type { ExploreRequest, ExtractionSummary } from './project';

export type ExploreJob = Job<ExploreProgress, ExtractionSummary>;

export function startExploreJob(workspace: string, request: ExploreRequest, onProgress: (p: ExploreProgress) => void = () => {}): ExploreJob {
  return startJob({ callerUrl: import.meta.url, name: 'explore-job', source: './explore-job.ts', what: 'feature extraction' }, workspace, request, onProgress);
}
