// Training runs this window follows live: the ones it started, and any other this engine runs (started in another
// window, before a reload, by a seed queue), joined from the jobs list. A joined run's state comes from its row
// (stage, progress, plan) and its stored epochs, then from the progress events, which every window receives.
import type { ApiClient } from './types';
import type { TrainRequest } from './experiment-types';
import type { JobInfo } from './jobs.svelte';
import { newRequestId } from './api';
import type { ProtocolOutline } from '../../../shared/protocol';
import { finishRun, initialRunState, joinRun, reduceProgress, refillCurves, type RunState } from './run-state';

export interface RunMeta {
  datasetName: string;
  /** The dataset's id, for "New run" (unknown until a joined run's record is read). */
  datasetId?: number | null;
  /** The protocol as planned (the recorded one, with its held-out speakers, replaces it once the run is recorded). */
  plannedOutline: ProtocolOutline | null;
  folds: number;
  leaky: boolean;
  startedAt: string;
}

export class LiveRun {
  state = $state<RunState>(initialRunState());
  meta = $state<RunMeta>() as RunMeta;
  /** The recorded protocol (with the held-out speakers of a speaker split), as data and in the engine's words. */
  recorded = $state<{ protocol: string; protocolOutline: ProtocolOutline | null } | null>(null);
  private joined = false;

  constructor(
    readonly requestId: string,
    meta: RunMeta,
    private readonly api: ApiClient,
  ) {
    this.meta = meta;
  }

  /** Stops the run after its current batch (by the experiment it records once known: any window's run). */
  async cancel(): Promise<void> {
    if (this.state.phase === 'finished') return;
    this.state = { ...this.state, cancelling: true };
    const id = this.state.experimentId;
    try {
      await this.api.call('experiments:cancel', id !== null ? { experimentId: id } : { requestId: this.requestId });
    } catch (err) {
      this.state = { ...this.state, cancelling: false };
      throw err;
    }
  }

  /** Reads the recorded run (once its id is known): protocol, plan, progress and the epochs stored so far. */
  async join(): Promise<void> {
    const id = this.state.experimentId;
    if (id === null || this.joined) return;
    this.joined = true;
    const d = await this.api.call('experiments:get', { id });
    this.recorded = { protocol: d.protocol, protocolOutline: d.protocolOutline };
    this.meta = {
      ...this.meta,
      datasetName: d.dataset,
      datasetId: d.datasetId,
      leaky: d.leaky,
      folds: d.progress?.plan.folds ?? this.meta.folds,
      startedAt: d.startedAt,
    };
    this.state = joinRun(this.state, d);
    if (d.children.length === 0) {
      this.state = refillCurves(this.state, -1, d.epochsLog);
      return;
    }
    // A cross-validation: the folds trained so far, the current one's curve refilled.
    for (const child of d.children) {
      if (child.fold === null) continue;
      const c = await this.api.call('experiments:get', { id: child.id });
      this.state = refillCurves({ ...this.state, experimentIds: addId(this.state.experimentIds, child.id) }, child.fold, c.epochsLog);
    }
  }

  /** Subscribes to this run's events until it ends. */
  listen(): () => void {
    const off = this.api.onProgress((event) => {
      if (!('requestId' in event) || event.requestId !== this.requestId) return;
      if (event.kind === 'train') {
        const before = this.state.experimentId;
        this.state = reduceProgress(this.state, event.progress);
        // Recorded: read the record (the protocol with its held-out speakers; what a joined run missed).
        if (before === null && this.state.experimentId !== null) void this.join().catch(() => {});
      } else if (event.kind === 'train-end') {
        this.state = finishRun(this.state, event);
        off();
      }
    });
    return off;
  }
}

const addId = (ids: number[], id: number) => (ids.includes(id) ? ids : [...ids, id]);

const runs = $state<LiveRun[]>([]);

export function liveRun(requestId: string): LiveRun | undefined {
  return runs.find((r) => r.requestId === requestId);
}

/** The live run that records experiment `experimentId` (its top-level run or one of its folds), if followed here. */
export function liveRunForExperiment(experimentId: number): LiveRun | undefined {
  return runs.find(
    (run) => run.state.experimentId === experimentId || run.state.experimentIds.includes(experimentId) || run.state.result?.experimentId === experimentId,
  );
}

/** Subscribes before calling start, so no early progress event is missed. */
export async function startRun(api: ApiClient, request: TrainRequest, meta: RunMeta): Promise<LiveRun> {
  const requestId = newRequestId('train');
  const run = new LiveRun(requestId, { datasetId: typeof request.dataset === 'number' ? request.dataset : null, ...meta }, api);
  const off = run.listen();
  runs.push(run);
  try {
    await api.call('experiments:start', { request, requestId });
  } catch (err) {
    off();
    runs.splice(runs.findIndex((r) => r.requestId === requestId), 1);
    throw err;
  }
  return liveRun(requestId) ?? run;
}

/**
 * Follows a training job this window did not start (or no longer remembers: a reload): from now on its events
 * update the run, and its record fills in what happened before.
 */
export function followJob(api: ApiClient, job: JobInfo): LiveRun {
  const known = liveRun(job.requestId);
  if (known) return known;
  const run = new LiveRun(job.requestId, { datasetName: job.title, datasetId: null, plannedOutline: null, folds: 1, leaky: false, startedAt: job.startedAt }, api);
  if (job.experimentId !== null) run.state = { ...run.state, experimentId: job.experimentId };
  run.listen();
  runs.push(run);
  const followed = liveRun(job.requestId) ?? run;
  void followed.join().catch(() => {});
  return followed;
}
