import { ZodError } from 'zod';
import {
  contract,
  isChannel,
  type Channel,
  type Envelope,
  type OutputOf,
  type ParsedInputOf,
  type ProgressEvent,
} from '../../shared/contract';
import { ApiError, errorInfo, type ErrorCode } from '../../shared/errors';
import { importDataset } from '../dataset/import';
import { datasetDetail, deleteDataset, findDataset, listClips, listDatasets } from '../dataset/queries';
import type { Workspace } from '../workspace/workspace';
import { experimentDetail, listExperiments } from '../experiments/queries';
import { startTrainingJob, type TrainingJob } from '../jobs/job-host';
import { APP_NAME, APP_VERSION } from '../version';

export type Handlers = { [C in Channel]: (input: ParsedInputOf<C>) => Promise<OutputOf<C>> };

export interface ServiceOptions {
  transport: 'electron' | 'web';
  emit: (event: ProgressEvent) => void;
  /** Provided by a transport that can show a native folder picker. */
  pickFolder?: () => Promise<string | null>;
}

/** The engine behind the contract: every transport calls exactly these handlers. */
export function createHandlers(ws: Workspace, opts: ServiceOptions): Handlers {
  const jobs = new Map<string, TrainingJob>();
  const requireDataset = (id: number) => {
    if (!findDataset(ws.db, id)) throw new ApiError('not_found', `No dataset with id ${id} in this workspace.`);
  };
  return {
    'app:info': async () => ({
      name: APP_NAME,
      version: APP_VERSION,
      workspace: ws.dir,
      schemaVersion: ws.schemaVersion,
      transport: opts.transport,
      canPickFolder: Boolean(opts.pickFolder),
    }),
    'datasets:list': async () => listDatasets(ws.db),
    'datasets:get': async ({ id }) => {
      requireDataset(id);
      return datasetDetail(ws.db, id);
    },
    'datasets:clips': async (q) => {
      requireDataset(q.id);
      return listClips(ws.db, q);
    },
    'datasets:import': async ({ source, name, naming, requestId }) =>
      importDataset(ws.db, {
        source,
        name,
        naming,
        onProgress: (p) => requestId && opts.emit({ kind: 'import', requestId, ...p }),
      }),
    'datasets:delete': async ({ id }) => ({ deleted: deleteDataset(ws.db, id) }),
    'experiments:list': async ({ datasetId }) => listExperiments(ws.db, datasetId),
    'experiments:get': async ({ id }) => {
      const d = experimentDetail(ws.db, id);
      if (!d) throw new ApiError('not_found', `No experiment with id ${id} in this workspace.`);
      return d;
    },
    'experiments:start': async ({ request, requestId }) => {
      if (jobs.has(requestId)) throw new ApiError('duplicate_request', `A job with request id ${requestId} is already running.`);
      const job = startTrainingJob(ws.dir, request, (progress) => opts.emit({ kind: 'train', requestId, progress }));
      jobs.set(requestId, job);
      job.result.then(
        (result) => opts.emit({ kind: 'train-end', requestId, result }),
        (err: unknown) => opts.emit({ kind: 'train-end', requestId, error: errorInfo(err, 'train_failed') }),
      ).finally(() => jobs.delete(requestId));
      return { requestId };
    },
    'experiments:cancel': async ({ requestId }) => {
      const job = jobs.get(requestId);
      job?.cancel();
      return { cancelled: Boolean(job) };
    },
    'dialog:pickFolder': async () => ({ path: opts.pickFolder ? await opts.pickFolder() : null }),
  };
}

/** Validates a raw request against the contract, runs it, and wraps the outcome in an envelope. */
export async function dispatch(handlers: Handlers, channel: string, rawInput: unknown): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: `Unknown call '${channel}'.` } };
  const parsed = contract[channel].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'invalid_input', message: `Invalid input for ${channel}: ${formatZod(parsed.error)}` },
    };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}

export function formatZod(err: ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
}

export function toApiError(err: unknown): { code: ErrorCode; message: string; details?: unknown } {
  if (err instanceof ApiError) return { code: err.code, message: err.message, details: err.details };
  return errorInfo(err, 'internal');
}
