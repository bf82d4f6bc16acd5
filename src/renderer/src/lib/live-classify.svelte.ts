// Classifications started from this window, kept while it is open: leaving a running run's page and coming back
// (or opening the list) shows its progress from here, and its page reloads the recorded run when it ends.
import type { ApiClient } from './types';
import type { ClassifyStartRequest } from './classify-types';
import { newRequestId } from './api';
import { finishClassify, initialClassifyState, reduceClassify, type ClassifyState } from './classify';

export class LiveClassify {
  state = $state<ClassifyState>(initialClassifyState());

  constructor(
    readonly requestId: string,
    readonly request: ClassifyStartRequest,
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

/**
 * Subscribes before calling start, so no early event is missed; resolves once the engine has recorded the run
 * (its id is known) or the job ended before that (a refused model or source: the state carries the error).
 */
export async function startClassify(api: ApiClient, request: ClassifyStartRequest): Promise<LiveClassify> {
  const requestId = newRequestId('classify');
  const run = new LiveClassify(requestId, request, api);
  let settle: () => void = () => {};
  const recorded = new Promise<void>((resolve) => (settle = resolve));
  const unsubscribe = api.onProgress((event) => {
    if (!('requestId' in event) || event.requestId !== requestId) return;
    if (event.kind === 'classify') {
      run.state = reduceClassify(run.state, event.progress);
      if (run.state.runId !== null) settle();
    } else if (event.kind === 'classify-end') {
      run.state = finishClassify(run.state, event);
      unsubscribe();
      settle();
    }
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
