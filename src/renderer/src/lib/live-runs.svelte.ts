// Runs started from this window, kept while it is open so the live view survives navigating away and back.
import type { ApiClient } from './types';
import type { TrainRequest } from './experiment-types';
import { newRequestId } from './api';
import { finishRun, initialRunState, reduceProgress, type RunState } from './run-state';

export interface RunMeta {
  datasetName: string;
  /** The protocol as planned (the engine's own wording replaces it once epochs arrive). */
  plannedProtocol: string;
  folds: number;
  leaky: boolean;
  startedAt: string;
}

export class LiveRun {
  state = $state<RunState>(initialRunState());

  constructor(
    readonly requestId: string,
    readonly request: TrainRequest,
    readonly meta: RunMeta,
    private readonly api: ApiClient,
  ) {}

  async cancel(): Promise<void> {
    if (this.state.phase === 'finished') return;
    this.state = { ...this.state, cancelling: true };
    await this.api.call('experiments:cancel', { requestId: this.requestId });
  }
}

const runs = new Map<string, LiveRun>();

export function liveRun(requestId: string): LiveRun | undefined {
  return runs.get(requestId);
}

/** The live run that produced a recorded experiment (fold children included), if this window started it. */
export function liveRunForExperiment(experimentId: number): LiveRun | undefined {
  for (const run of runs.values()) {
    if (run.state.experimentIds.includes(experimentId) || run.state.result?.experimentId === experimentId) return run;
  }
  return undefined;
}

/** Subscribes before calling start, so no early progress event is missed. */
export async function startRun(api: ApiClient, request: TrainRequest, meta: RunMeta): Promise<LiveRun> {
  const requestId = newRequestId('train');
  const run = new LiveRun(requestId, request, meta, api);
  const unsubscribe = api.onProgress((event) => {
    if (!('requestId' in event) || event.requestId !== requestId) return;
    if (event.kind === 'train') run.state = reduceProgress(run.state, event.progress);
    else if (event.kind === 'train-end') {
      run.state = finishRun(run.state, event);
      unsubscribe();
    }
  });
  runs.set(requestId, run);
  try {
    await api.call('experiments:start', { request, requestId });
  } catch (err) {
    unsubscribe();
    runs.delete(requestId);
    throw err;
  }
  return run;
}
