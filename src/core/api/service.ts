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
import { ApiError, errorInfo, toApiError, type ErrorCode } from '../../shared/errors';
import { describeIssues, inputShapeProblem } from '../../shared/input-limits';
import { importDataset } from '../dataset/import';
import { datasetDetail, deleteDataset, findDataset, listClips, listDatasets } from '../dataset/queries';
import type { Workspace } from '../workspace/workspace';
import { experimentDetail, listExperiments } from '../experiments/queries';
import { startTrainingJob, type TrainingJob } from '../jobs/job-host';
import { annotateExperiment, deleteExperiment, planExperimentDelete } from '../experiments/manage';
import { SeedQueues } from './seed-queues';
import { RunningJobs } from './running-jobs';
import { startClassifyJob, type ClassifyJob } from '../classify/job';
import { classifyRunDetail, classifyRunResult, listClassifyRuns, predictionsPage } from '../classify/runs';
import { predictionsCsv, resultJson } from '../classify/export';
import { ClassifyRunStore } from '../store/classify-runs';
import { ExperimentStore } from '../store/experiments';
import { runReportJob } from '../report/job';
import type { ExportedReport } from '../report/export';
import { reportFolderName, type ReportTarget } from '../../shared/report-params';
import { APP_NAME, APP_VERSION } from '../version';
import { createExplorerHandlers } from '../explore/handlers';
import { memorySettings, type SettingsAccess } from '../settings/store';
import { probeBackend } from '../train/backend-probe';

export type Handlers = { [C in Channel]: (input: ParsedInputOf<C>) => Promise<OutputOf<C>> };

export interface ServiceOptions {
  transport: 'electron' | 'web';
  emit: (event: ProgressEvent) => void;
  /** Provided by a transport that can show a native folder picker (titled for a dataset or a workspace folder). */
  pickFolder?: (purpose: 'dataset' | 'workspace') => Promise<string | null>;
  /** Where the user's settings live (the settings file; kept in memory when absent). */
  settings?: SettingsAccess;
}

/** The engine behind the contract: every transport calls exactly these handlers. */
export function createHandlers(ws: Workspace, opts: ServiceOptions): Handlers {
  const jobs = new Map<string, TrainingJob>();
  const classifyJobs = new Map<string, ClassifyJob>();
  // Every window sees what runs now and can cancel it: the registry follows the stream this engine emits.
  const running = new RunningJobs(opts.emit, (queueId) => seedQueues.cancel(queueId));
  const emit = (event: ProgressEvent) => {
    opts.emit(event);
    running.observe(event);
  };
  const explorer = createExplorerHandlers(ws, opts.emit);
  const settings = opts.settings ?? memorySettings();
  /** The last report write of each folder, so a second export of the same report waits for the first. */
  const reportWrites = new Map<string, Promise<ExportedReport>>();
  const requireDataset = (id: number) => {
    if (!findDataset(ws.db, id)) throw new ApiError('not_found', `No dataset with id ${id} in this workspace.`);
  };
  // A job names its record before its process starts: an unknown one is not_found at once, not a process forked to say so.
  const requireExperiment = (id: number) => {
    if (!new ExperimentStore(ws.db).get(id)) throw new ApiError('not_found', `No experiment with id ${id} in this workspace.`);
  };
  const requireClassifyRun = (id: number) => {
    if (!new ClassifyRunStore(ws.db).get(id)) throw new ApiError('not_found', `No classify run #${id} in this workspace.`);
  };
  const seedQueues = new SeedQueues(ws, emit);
  const requireFreeRequestId = (requestId: string) => {
    if (jobs.has(requestId) || classifyJobs.has(requestId) || seedQueues.has(requestId)) throw new ApiError('duplicate_request', `A job with request id ${requestId} is already running.`);
  };
  const runResult = (id: number) => {
    const r = classifyRunResult(ws.db, id);
    if (!r) throw new ApiError('not_found', `No classify run #${id} in this workspace.`);
    return r;
  };
  return {
    'app:info': async () => ({
      name: APP_NAME,
      version: APP_VERSION,
      workspace: ws.dir,
      schemaVersion: ws.schemaVersion,
      transport: opts.transport,
      canPickFolder: Boolean(opts.pickFolder),
      tfjsBackend: probeBackend(),
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
    'datasets:import': async ({ source, name, naming, replace, maxDurationSec, requestId }) =>
      importDataset(ws.db, {
        source,
        name,
        naming,
        replace,
        maxDurationSec,
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
      requireFreeRequestId(requestId);
      if (!findDataset(ws.db, request.dataset)) throw new ApiError('not_found', `No dataset ${typeof request.dataset === 'number' ? `with id ${request.dataset}` : `named '${request.dataset.slice(0, 200)}'`} in this workspace.`);
      const job = startTrainingJob(ws.dir, request, (progress) => emit({ kind: 'train', requestId, progress }));
      jobs.set(requestId, job);
      running.add(requestId, 'train', findDataset(ws.db, request.dataset)?.name ?? String(request.dataset), () => job.cancel());
      job.result.then(
        (result) => emit({ kind: 'train-end', requestId, result }),
        (err: unknown) => emit({ kind: 'train-end', requestId, error: errorInfo(err, 'train_failed') }),
      ).finally(() => jobs.delete(requestId));
      return { requestId };
    },
    'experiments:cancel': async (input) => {
      if ('experimentId' in input) return { cancelled: running.cancelExperiment(input.experimentId) };
      const job = jobs.get(input.requestId);
      job?.cancel();
      return { cancelled: Boolean(job) || seedQueues.cancel(input.requestId) };
    },
    'experiments:repeat': async ({ experimentId, seeds, requestId }) => {
      requireFreeRequestId(requestId);
      return seedQueues.repeat(experimentId, seeds, requestId);
    },
    'experiments:queue': async ({ requestId }) => seedQueues.get(requestId),
    'experiments:annotate': async (input) => annotateExperiment(ws, input),
    'experiments:delete': async ({ id, dryRun }) =>
      dryRun ? { deleted: false, ...planExperimentDelete(ws, id) } : { deleted: true, ...deleteExperiment(ws, id) },
    'classify:start': async ({ request, requestId }) => {
      requireFreeRequestId(requestId);
      requireExperiment(request.model.experimentId);
      const job = startClassifyJob(ws.dir, request, (progress) => emit({ kind: 'classify', requestId, progress }));
      classifyJobs.set(requestId, job);
      running.add(requestId, 'classify', `experiment #${request.model.experimentId}${request.model.fold !== undefined ? ` fold ${request.model.fold + 1}` : ''}`, () => job.cancel());
      job.result
        .then(
          (r) => emit({ kind: 'classify-end', requestId, result: { runId: r.runId, status: r.status, counts: r.counts } }),
          (err: unknown) => emit({ kind: 'classify-end', requestId, error: errorInfo(err, 'classify_failed') }),
        )
        .finally(() => classifyJobs.delete(requestId));
      return { requestId };
    },
    'classify:cancel': async (input) => {
      if ('runId' in input) return { cancelled: running.cancelClassifyRun(input.runId) };
      const job = classifyJobs.get(input.requestId);
      job?.cancel();
      return { cancelled: Boolean(job) };
    },
    'jobs:list': async () => running.list(),
    'classify:list': async () => listClassifyRuns(ws.db),
    'classify:get': async ({ id }) => {
      const d = classifyRunDetail(ws.db, id);
      if (!d) throw new ApiError('not_found', `No classify run #${id} in this workspace.`);
      return d;
    },
    'classify:predictions': async ({ id, ...q }) => {
      if (!new ClassifyRunStore(ws.db).get(id)) throw new ApiError('not_found', `No classify run #${id} in this workspace.`);
      return predictionsPage(ws.db, { runId: id, ...q });
    },
    'classify:export': async ({ id, format }) => {
      const r = runResult(id);
      return format === 'csv'
        ? { name: `classify-${id}-predictions.csv`, mime: 'text/csv', content: predictionsCsv(r) }
        : { name: `classify-${id}.json`, mime: 'application/json', content: resultJson(r) };
    },
    'reports:export': async (input) => {
      const target: ReportTarget = 'experimentId' in input ? { experimentId: input.experimentId } : { classifyRunId: input.classifyRunId };
      if ('experimentId' in target) requireExperiment(target.experimentId);
      else requireClassifyRun(target.classifyRunId);
      // Writes of one folder run one after the other (each empties the folder first).
      const folder = reportFolderName(target, input.lang);
      const before = reportWrites.get(folder)?.catch(() => undefined) ?? Promise.resolve();
      const write = before.then(() => runReportJob(ws.dir, target, input.lang, input.format));
      reportWrites.set(folder, write);
      void write.finally(() => reportWrites.get(folder) === write && reportWrites.delete(folder)).catch(() => undefined);
      return write;
    },
    'dialog:pickFolder': async ({ purpose }) => ({ path: opts.pickFolder ? await opts.pickFolder(purpose) : null }),
    ...explorer,
    'settings:get': () => settings.get(),
    'settings:set': async (patch) => {
      const next = await settings.set(patch);
      opts.emit({ kind: 'settings', settings: next });
      return next;
    },
    // The desktop shell switches workspaces itself (it restarts the engine on the new one); an engine serves one.
    'workspaces:open': async () => {
      throw new ApiError('forbidden', `This ${opts.transport === 'web' ? 'server' : 'engine'} serves one workspace (${ws.dir}); start \`ser-studio serve --workspace DIR\` for another.`);
    },
  };
}

/** Validates a raw request against the contract, runs it, and wraps the outcome in an envelope. */
export async function dispatch(handlers: Handlers, channel: string, rawInput: unknown): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: `Unknown call '${channel.slice(0, 200)}'.` } };
  const tooLarge = inputShapeProblem(rawInput);
  if (tooLarge) return { ok: false, error: { code: 'invalid_input', message: `Invalid input for ${channel}: ${tooLarge}.` } };
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
  return describeIssues(err.issues);
}

export { toApiError };
