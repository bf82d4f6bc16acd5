// What the engine runs now, as every window sees it: training runs and classifications started here, in another
// window or by a seed queue. Read once (jobs:list), then kept by the 'jobs' events; the sidebar's indicator, the
// pages of a running run (to follow and cancel it) and the lists (to refresh) read it.
import type { ApiClient } from './types';
import type { JobInfo } from '../../../shared/jobs';
import { isRunEvent } from './jobs';

export type { JobInfo };
export { isRunEvent, jobHref, jobStageText } from './jobs';

export const jobs = $state<{ list: JobInfo[]; loaded: boolean }>({ list: [], loaded: false });

/** Keeps `jobs` current for this window; returns the unsubscribe. */
export function watchJobs(api: ApiClient): () => void {
  let heard = false;
  const off = api.onProgress((event) => {
    if (event.kind !== 'jobs') return;
    heard = true;
    jobs.list = event.jobs;
    jobs.loaded = true;
  });
  api.call('jobs:list', {}).then(
    (list) => {
      // An event that arrived meanwhile is newer than this answer.
      if (heard) return;
      jobs.list = list;
      jobs.loaded = true;
    },
    () => {},
  );
  return off;
}

export const runningJobs = (): JobInfo[] => jobs.list.filter((j) => !j.ended);

/** The job that trains experiment `id` (a cross-validation's parent) now, if this engine runs it. */
export function jobOfExperiment(id: number): JobInfo | undefined {
  return jobs.list.find((j) => !j.ended && j.kind === 'train' && j.experimentId === id);
}

export function jobOfRequest(requestId: string): JobInfo | undefined {
  return jobs.list.find((j) => j.requestId === requestId);
}

/**
 * Calls `reload` when runs change (any window's), at most once per `delayMs`: what the lists of runs and datasets
 * use to stay current without polling. Returns the unsubscribe.
 */
export function onRunEvents(api: ApiClient, reload: () => void, delayMs = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const off = api.onProgress((event) => {
    if (!isRunEvent(event) || timer) return;
    timer = setTimeout(() => {
      timer = null;
      reload();
    }, delayMs);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}
