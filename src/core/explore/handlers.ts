/**
 * The explorer's contract calls. A projection whose vectors are all cached is computed in the engine at once;
 * otherwise the missing ones are extracted in a job whose progress goes to every caller waiting for it (two
 * windows, or a page opened again, share one extraction), and which is cancelled when the last of them leaves.
 */
import type { OutputOf, ParsedInputOf, ProgressEvent } from '../../shared/contract';
import { ApiError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import { featureConfigHash } from '../features/config';
import { startExploreJob, type ExploreJob } from './job';
import { cachedProjection, exploreRequest } from './project';

interface Extraction {
  job: ExploreJob;
  /** Callers' request ids that receive its progress; it is cancelled when the last one cancels. */
  requestIds: Set<string>;
}

interface Waiter {
  extraction: Extraction;
  /** Ends this caller's wait with 'cancelled' (the extraction itself may go on for another caller). */
  stop: () => void;
}

export interface ExplorerHandlers {
  'explorer:project': (input: ParsedInputOf<'explorer:project'>) => Promise<OutputOf<'explorer:project'>>;
  'explorer:cancel': (input: ParsedInputOf<'explorer:cancel'>) => Promise<OutputOf<'explorer:cancel'>>;
}

export function createExplorerHandlers(ws: Workspace, emit: (event: ProgressEvent) => void): ExplorerHandlers {
  /** Running extractions by dataset and feature configuration. */
  const extractions = new Map<string, Extraction>();
  const byRequest = new Map<string, Waiter>();
  return {
    'explorer:project': async ({ id, features, blocks, requestId }) => {
      const started = performance.now();
      const request = exploreRequest(id, features, blocks);
      const cached = cachedProjection(ws.db, request, { started });
      if (cached) return cached;
      if (requestId && byRequest.has(requestId)) throw new ApiError('duplicate_request', `A projection with request id ${requestId} is already running.`);
      // The job extracts whole vectors of the configuration; the blocks only select their columns afterwards.
      const key = `${id}/${featureConfigHash(request.features)}`;
      let extraction = extractions.get(key);
      if (!extraction) {
        const requestIds = new Set<string>();
        const job = startExploreJob(ws.dir, request, (p) => {
          for (const r of requestIds) emit({ kind: 'explore', requestId: r, ...p });
        });
        const created: Extraction = { job, requestIds };
        extraction = created;
        extractions.set(key, created);
        void job.result.catch(() => undefined).finally(() => extractions.get(key) === created && extractions.delete(key));
      }
      let stopped: Promise<never> | undefined;
      if (requestId) {
        const waiting = extraction;
        waiting.requestIds.add(requestId);
        stopped = new Promise<never>((_, reject) => {
          byRequest.set(requestId, { extraction: waiting, stop: () => reject(new ApiError('cancelled', 'The feature extraction was cancelled; what was extracted is kept in the cache.')) });
        });
        stopped.catch(() => undefined);
      }
      try {
        const summary = await (stopped ? Promise.race([extraction.job.result, stopped]) : extraction.job.result);
        return cachedProjection(ws.db, request, { known: summary.failed, extracted: summary.extracted, missing: 'list', started })!;
      } finally {
        if (requestId) {
          extraction.requestIds.delete(requestId);
          byRequest.delete(requestId);
        }
      }
    },
    'explorer:cancel': async ({ requestId }) => {
      const waiter = byRequest.get(requestId);
      if (!waiter) return { cancelled: false };
      const { extraction } = waiter;
      extraction.requestIds.delete(requestId);
      byRequest.delete(requestId);
      waiter.stop();
      // Another window may still wait for the same extraction: it goes on until nobody does.
      if (extraction.requestIds.size === 0) extraction.job.cancel();
      return { cancelled: true };
    },
  };
}
