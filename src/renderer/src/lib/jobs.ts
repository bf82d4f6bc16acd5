// The engine's jobs in words and links (pure: the state that holds them is jobs.svelte.ts).
import type { ProgressEvent } from './types';
import type { JobInfo } from '../../../shared/jobs';
import { t, type MessageKey } from './i18n';

/** Where the window shows a job: the run's page once recorded, a training's live page before that. */
export function jobHref(job: JobInfo): string {
  if (job.kind === 'classify') return job.classifyRunId !== null ? `#/classify/${job.classifyRunId}` : '#/classify';
  return job.experimentId !== null ? `#/experiments/${job.experimentId}` : `#/experiments/live/${job.requestId}`;
}

/** "extracting features", "training"... */
export function jobStageText(job: JobInfo): string {
  const key: Record<JobInfo['stage'], MessageKey> = {
    starting: 'ui.stage.queued',
    features: 'ui.stage.features',
    training: 'ui.stage.training',
    reading: 'ui.stage.reading',
    inference: 'ui.stage.inference',
  };
  return t(key[job.stage]);
}

/** Whether an event changes what a list shows: a run started, was recorded, changed stage or ended; an import ended. */
export function isRunEvent(event: ProgressEvent): boolean {
  return event.kind === 'jobs' || (event.kind === 'import' && event.phase === 'done');
}

