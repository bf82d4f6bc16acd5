// Classifications started from this window, kept while it is open: leaving a running run's page and coming back
// (or opening the list) shows its progress from here, and its page reloads the recorded run when it ends.
import type { ApiClient } from './types';
import type { ClassifyStartRequest } from './classify-types';
import { newRequestId } from './api';
import type { JobInfo } from './jobs.svelte';
import { finishClassify, initialClassifyState, reduceClassify, type ClassifyState } from './classify';

export class LiveClassify {
  state = $state<ClassifyState>(initialClassifyState());

  constructor(
    readonly requestId: string,
    /** What this window asked for (null for a run joined from the jobs list). */
    readonly request: ClassifyStartRequest | null,
    private readonly api: ApiClient,
  ) {}

  async cancel(): Promise<void> {
    if (this.state.phase === 'finished') return;
    this.state = { ...this.state, cancelling: true };
    await this.api.call('classify:cancel', { requestId: this.requestId });
  }
}

const runs = $state<LiveClassify[]>([]);

/** The live classification that records run `runId`, if this window started it. */
export function liveClassifyForRun(runId: number): LiveClassify | undefined {
  return runs.find((r) => r.state.runId === runId);
}

/** Listens to a run's events until it ends. */
function listen(api: ApiClient, run: LiveClassify, onEvent: () => void = () => {}): () => void {
  const unsubscribe = api.onProgress((event) => {
    if (!('requestId' in event) || event.requestId !== run.requestId) return;
    if (event.kind === 'classify') run.state = reduceClassify(run.state, event.progress);
    else if (event.kind === 'classify-end') {
      run.state = finishClassify(run.state, event);
      unsubscribe();
    } else return;
    onEvent();
  });
  return unsubscribe;
}

/**
 * Follows a classification this window did not start (another window's, or before a reload) from its next event
 * on: its page shows progress and Cancel, and re-reads the recorded run when it ends.
 */
export function followClassifyJob(api: ApiClient, job: JobInfo): LiveClassify {
  const known = runs.find((r) => r.requestId === job.requestId);
  if (known) return known;
  const run = new LiveClassify(job.requestId, null, api);
  run.state = { ...run.state, runId: job.classifyRunId };
  listen(api, run);
  runs.push(run);
  return runs.find((r) => r.requestId === job.requestId) ?? run;
}

/**
 * Subscribes before calling start, so no early event is missed; resolves once the engine has recorded the run
 * (its id is known) or the job ended before that (a refused model or source: the state carries the error).
 */
export async function startClassify(api: ApiClient, request: ClassifyStartRequest): Promise<LiveClassify> {
  const requestId = newRequestId('classify');
  const run = new LiveClassify(requestId, request, api);
  let settle: () => void = () => {};
  const recorded = new Promise<void>((resolve) => (settle = resolve));
  const unsubscribe = listen(api, run, () => {
    if (run.state.runId !== null || run.state.phase === 'finished') settle();
  });
  runs.push(run);
  try {
    await api.call('classify:start', { request, requestId });
  } catch (err) {
    unsubscribe();
    runs.splice(runs.indexOf(run), 1);
    throw err;
  }
  await recorded;
  return runs.find((r) => r.requestId === requestId) ?? run;
}
