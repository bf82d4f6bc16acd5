// Seed queues ("Repeat with N seeds") followed from this window: the engine's snapshot of the whole queue, and the
// running run's progress folded like a live run's, kept while the window is open (and read again after a reload).
import type { ApiClient } from './types';
import type { SeedQueue } from './experiment-types';
import { newRequestId } from './api';
import { finishRun, initialRunState, reduceProgress, type RunState } from './run-state';

export { queueFraction, queuePosition } from './seed-queue-state';

export interface QueueMeta {
  sourceId: number | null;
  /** Folds per run (a cross-validation's k), for the progress of the run training now. */
  folds: number;
}

export class FollowedQueue {
  queue = $state<SeedQueue | null>(null);
  /** The run training now, as its 'train' events tell it. */
  current = $state<RunState>(initialRunState());
  currentRequestId = $state<string | null>(null);
  cancelling = $state(false);

  constructor(
    readonly requestId: string,
    readonly meta: QueueMeta,
    private readonly api: ApiClient,
  ) {}

  async cancel(): Promise<void> {
    if (!this.queue || this.queue.done) return;
    this.cancelling = true;
    await this.api.call('experiments:cancel', { requestId: this.requestId });
  }
}

const followed = new Map<string, FollowedQueue>();

export function followedQueue(requestId: string): FollowedQueue | undefined {
  return followed.get(requestId);
}

/** Listens to a queue's snapshot and to its runs' progress; stops once the queue is done. */
function listen(api: ApiClient, q: FollowedQueue): () => void {
  const unsubscribe = api.onProgress((event) => {
    if (event.kind === 'train-queue' && event.requestId === q.requestId) {
      q.queue = event.queue;
      if (event.queue.done) {
        q.cancelling = false;
        unsubscribe();
      }
      return;
    }
    if ((event.kind === 'train' || event.kind === 'train-end') && event.requestId.startsWith(`${q.requestId}.`)) {
      if (q.currentRequestId !== event.requestId) {
        q.currentRequestId = event.requestId;
        q.current = initialRunState();
      }
      // A progress phase the fold does not know leaves the state as it was.
      q.current = (event.kind === 'train' ? reduceProgress(q.current, event.progress) : finishRun(q.current, event)) ?? q.current;
    }
  });
  return unsubscribe;
}

/** Starts "Repeat with N seeds" of a recorded run; subscribes first so no early event is missed. */
export async function startSeedQueue(api: ApiClient, sourceId: number, seeds: number[], meta: QueueMeta): Promise<FollowedQueue> {
  const requestId = newRequestId('seeds');
  const q = new FollowedQueue(requestId, meta, api);
  const unsubscribe = listen(api, q);
  followed.set(requestId, q);
  try {
    const snapshot = await api.call('experiments:repeat', { experimentId: sourceId, seeds, requestId });
    // An event may already have brought a newer snapshot.
    if (!q.queue) q.queue = snapshot;
  } catch (err) {
    unsubscribe();
    followed.delete(requestId);
    throw err;
  }
  return q;
}

/** A queue this window did not start (or before a reload): read it from the engine, then follow it. */
export async function followSeedQueue(api: ApiClient, requestId: string, meta: QueueMeta): Promise<FollowedQueue> {
  const known = followed.get(requestId);
  if (known) return known;
  const q = new FollowedQueue(requestId, meta, api);
  const snapshot = await api.call('experiments:queue', { requestId });
  q.queue = snapshot;
  if (!snapshot.done) listen(api, q);
  followed.set(requestId, q);
  return q;
}
