// The one API the renderer can call. Both transports (Electron preload + IPC, and the
// web bridge of `ser-studio serve`) are built from this map and validate every input with it.
import { z } from 'zod';
import {
  AppInfoSchema,
  ClipSchema,
  DatasetDetailSchema,
  DatasetSummarySchema,
  ImportReportSchema,
  NamingSchema,
} from './domain';
import {
  ErrorInfoSchema,
  ExperimentDetailSchema,
  ExperimentSummarySchema,
  SeedQueueSchema,
  TrainProgressSchema,
  TrainRequestSchema,
  TrainResultSchema,
} from './experiment';
import { ERROR_CODES, type ErrorCode } from './errors';
import { JobInfoSchema } from './jobs';
import {
  ClassifyEndSchema,
  ClassifyProgressSchema,
  ClassifyRequestSchema,
  ClassifyRunDetailSchema,
  ClassifyRunSummarySchema,
  PredictionPageSchema,
} from './classify';
import { CLASSIFY_EXPORT_FORMATS, PREDICTION_OUTCOMES, PREDICTION_PAGE, PREDICTION_SORTS } from './classify-params';
import { LANGS } from './i18n/types';
import { REPORT_FORMATS } from './report-params';
import { ExploreOptionsSchema, ExploreProgressSchema, ProjectionSchema } from './explore';
import { SettingsPatchSchema, SettingsSchema } from './settings';
import { CLIP_SORTS, MAX_CLIP_SECONDS, SORT_ORDERS } from './dataset-params';
import { LIMITS } from './params';

const Id = z.number().int().positive();
/** Correlates progress events with the call that caused them (chosen by the caller). */
const RequestId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const Label = z.string().min(1).max(200);
const Seed = z.number().int().min(LIMITS.seed.min).max(LIMITS.seed.max);

/**
 * What the window may classify with: a model of this workspace (a cross-validation's through its 0-based fold).
 * The engine also takes a model folder from anywhere (`classify --model DIR`); the window has no use for it.
 */
const ClassifyStartRequestSchema = ClassifyRequestSchema.extend({
  model: z.object({ experimentId: Id, fold: z.number().int().min(0).optional() }).strict(),
}).strict();

/** A written report's file: `path` is relative to the workspace's reports folder, which is all the routes serve. */
const ReportFileSchema = z.object({
  name: z.string(),
  path: z.string(),
  bytes: z.number().int(),
  kind: z.enum(['markdown', 'pdf', 'image']),
});
const ReportOptions = { lang: z.enum(LANGS).default('en'), format: z.enum(REPORT_FORMATS).default('both') };

export const contract = {
  'app:info': {
    input: z.object({}).strict(),
    output: AppInfoSchema,
  },
  'datasets:list': {
    input: z.object({}).strict(),
    output: z.array(DatasetSummarySchema),
  },
  'datasets:get': {
    input: z.object({ id: Id }).strict(),
    output: DatasetDetailSchema,
  },
  'datasets:clips': {
    input: z
      .object({
        id: Id,
        label: z.string().max(200).optional(),
        speaker: z.string().max(200).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
        sort: z.enum(CLIP_SORTS).default('label'),
        order: z.enum(SORT_ORDERS).default('asc'),
      })
      .strict(),
    output: z.object({ total: z.number().int(), clips: z.array(ClipSchema) }),
  },
  'datasets:import': {
    input: z
      .object({
        source: z.string().min(1).max(4096),
        name: z.string().trim().min(1).max(200),
        naming: NamingSchema.default('folder'),
        /** Another source under an existing name replaces that dataset's clips only when this says so (dataset_exists otherwise). */
        replace: z.boolean().default(false),
        /** Longest file taken as a clip, in seconds (longer ones are listed with too_long). */
        maxDurationSec: z.number().min(MAX_CLIP_SECONDS.min).max(MAX_CLIP_SECONDS.max).optional(),
        requestId: RequestId.optional(),
      })
      .strict(),
    output: ImportReportSchema,
  },
  'datasets:delete': {
    input: z.object({ id: Id }).strict(),
    output: z.object({ deleted: z.boolean() }),
  },
  'experiments:list': {
    input: z.object({ datasetId: Id.optional() }).strict(),
    output: z.array(ExperimentSummarySchema),
  },
  'experiments:get': {
    input: z.object({ id: Id }).strict(),
    output: ExperimentDetailSchema,
  },
  /** Starts a training run in a job process; progress and the end arrive as 'train' events with this requestId. */
  'experiments:start': {
    input: z.object({ request: TrainRequestSchema, requestId: RequestId }).strict(),
    output: z.object({ requestId: z.string() }),
  },
  /**
   * Asks a running job (or a seed queue, as a whole) to stop after the current batch; it is recorded as cancelled.
   * By the request id that started it, or by the experiment it records (a fold's id cancels its cross-validation),
   * so any window can cancel any run this engine trains.
   */
  'experiments:cancel': {
    input: z.union([z.object({ requestId: RequestId }).strict(), z.object({ experimentId: Id }).strict()]),
    output: z.object({ cancelled: z.boolean() }),
  },
  /**
   * Repeats a recorded run's configuration once per seed, one training job after another (a queue cancelled as a
   * whole by experiments:cancel with this requestId). The queue's snapshot arrives as 'train-queue' events; each
   * run's progress as 'train' / 'train-end' events with the run's own request id (listed in the snapshot).
   */
  'experiments:repeat': {
    input: z.object({ experimentId: Id, seeds: z.array(Seed).min(1).max(100), requestId: RequestId }).strict(),
    output: SeedQueueSchema,
  },
  /** A seed queue of this session, as it is now (for a page opened or reloaded after it started). */
  'experiments:queue': {
    input: z.object({ requestId: RequestId }).strict(),
    output: SeedQueueSchema,
  },
  /** Names and annotates a run: undefined leaves a field as it is; null or blank text clears it. */
  'experiments:annotate': {
    input: z
      .object({ id: Id, name: z.string().max(200).nullable().optional(), notes: z.string().max(20_000).nullable().optional() })
      .strict(),
    output: z.object({ id: z.number().int(), name: z.string().nullable(), notes: z.string().nullable() }),
  },
  /**
   * Deletes a run with its folds, its model folders, the classification runs made with it and the reports written of
   * them; refused while it (or a classification with its model) is running. `dryRun` only lists what would go.
   */
  'experiments:delete': {
    input: z.object({ id: Id, dryRun: z.boolean().default(false) }).strict(),
    output: z.object({
      deleted: z.boolean(),
      experiments: z.array(z.number().int()),
      modelDirs: z.array(z.string()),
      classifyRuns: z.array(z.number().int()),
      reportDirs: z.array(z.string()),
    }),
  },
  /** Starts a batch classification in a job process; progress and the end arrive as 'classify' / 'classify-end' events. */
  'classify:start': {
    input: z.object({ request: ClassifyStartRequestSchema, requestId: RequestId }).strict(),
    output: z.object({ requestId: z.string() }),
  },
  /** Stops extracting; what was classified so far is recorded and the run is marked cancelled (by request or run id). */
  'classify:cancel': {
    input: z.union([z.object({ requestId: RequestId }).strict(), z.object({ runId: Id }).strict()]),
    output: z.object({ cancelled: z.boolean() }),
  },
  /**
   * The engine's training runs and classifications running now (oldest first), then those that ended lately
   * (newest first): the run each records, its stage. Every change also arrives as a 'jobs' event.
   */
  'jobs:list': {
    input: z.object({}).strict(),
    output: z.array(JobInfoSchema),
  },
  /** Every recorded classify run, newest first. */
  'classify:list': {
    input: z.object({}).strict(),
    output: z.array(ClassifyRunSummarySchema),
  },
  /** One run without its per-file rows (see classify:predictions). */
  'classify:get': {
    input: z.object({ id: Id }).strict(),
    output: ClassifyRunDetailSchema,
  },
  /** A page of a run's per-file rows, filtered and sorted by the engine (a run may hold tens of thousands). */
  'classify:predictions': {
    input: z
      .object({
        id: Id,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(PREDICTION_PAGE.max).default(PREDICTION_PAGE.default),
        outcome: z.enum(PREDICTION_OUTCOMES).default('all'),
        predicted: Label.optional(),
        trueLabel: Label.optional(),
        minConfidence: z.number().min(0).max(1).optional(),
        sort: z.enum(PREDICTION_SORTS).default('input'),
        order: z.enum(['asc', 'desc']).default('asc'),
      })
      .strict(),
    output: PredictionPageSchema,
  },
  /** The run as the CLI's --out writes it (CSV predictions or the whole JSON), with a file name to save it under. */
  'classify:export': {
    input: z.object({ id: Id, format: z.enum(CLASSIFY_EXPORT_FORMATS) }).strict(),
    output: z.object({ name: z.string(), mime: z.string(), content: z.string() }),
  },
  /**
   * Writes an experiment's or a classify run's report into <workspace>/reports/<experiment-7-ru>/ (in a job
   * process) and lists its files; the window downloads them by `path` (ApiClient.reportFileUrl).
   */
  'reports:export': {
    input: z.union([
      z.object({ experimentId: Id, ...ReportOptions }).strict(),
      z.object({ classifyRunId: Id, ...ReportOptions }).strict(),
    ]),
    output: z.object({ folder: z.string(), dir: z.string(), files: z.array(ReportFileSchema), ms: z.number() }),
  },
  /** Opens the OS folder picker, titled for a dataset or a workspace folder (Electron only; the web bridge answers null). */
  'dialog:pickFolder': {
    input: z.object({ purpose: z.enum(['dataset', 'workspace']).default('dataset') }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
  /**
   * A dataset's standardised feature vectors on their first two principal components. Vectors missing from the
   * feature cache are extracted first, in a job whose progress arrives as 'explore' events with this requestId.
   */
  'explorer:project': {
    input: z.object({ id: Id, ...ExploreOptionsSchema, requestId: RequestId.optional() }).strict(),
    output: ProjectionSchema,
  },
  /** Stops waiting for that extraction (it stops when no window waits for it; what was extracted stays cached). */
  'explorer:cancel': {
    input: z.object({ requestId: RequestId }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  /** The user's settings (language, recent workspaces), remembered per user in the application-data folder. */
  'settings:get': {
    input: z.object({}).strict(),
    output: SettingsSchema,
  },
  /** Changes settings; every window hears of it as a 'settings' event. */
  'settings:set': {
    input: SettingsPatchSchema,
    output: SettingsSchema,
  },
  /** Switches the desktop app to another workspace folder (created if new); the web bridge serves one workspace and refuses. */
  'workspaces:open': {
    // An absolute folder (the picker's, the recent list's; `~/` is the home folder): a relative one would be
    // resolved against wherever the app was started. No NUL byte, which no file system allows.
    input: z
      .object({
        dir: z
          .string()
          .trim()
          .min(1)
          .max(4096)
          .refine((d) => !d.includes('\0'), 'a folder name cannot contain a NUL byte')
          .refine((d) => /^(\/|~([\\/]|$)|[A-Za-z]:[\\/]|\\\\)/.test(d), 'an absolute folder path'),
      })
      .strict(),
    output: z.object({ workspace: z.string() }),
  },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type InputOf<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInputOf<C extends Channel> = z.output<Contract[C]['input']>;
export type OutputOf<C extends Channel> = z.output<Contract[C]['output']>;
export const channels = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Progress events pushed from the engine to the UI (typed stream). */
export const ProgressEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('import'),
    requestId: z.string(),
    phase: z.enum(['scan', 'probe', 'store', 'done']),
    done: z.number().int(),
    total: z.number().int(),
    file: z.string().optional(),
  }),
  z.object({ kind: z.literal('train'), requestId: z.string(), progress: TrainProgressSchema }),
  z.object({
    kind: z.literal('train-end'),
    requestId: z.string(),
    result: TrainResultSchema.optional(),
    error: ErrorInfoSchema.optional(),
  }),
  z.object({ kind: z.literal('train-queue'), requestId: z.string(), queue: SeedQueueSchema }),
  /** The jobs list (as jobs:list answers it) after each change: a job started, recorded its run, changed stage or ended. */
  z.object({ kind: z.literal('jobs'), jobs: z.array(JobInfoSchema) }),
  z.object({ kind: z.literal('classify'), requestId: z.string(), progress: ClassifyProgressSchema }),
  z.object({
    kind: z.literal('classify-end'),
    requestId: z.string(),
    result: ClassifyEndSchema.optional(),
    error: ErrorInfoSchema.optional(),
  }),
  z.object({ kind: z.literal('explore'), requestId: z.string(), ...ExploreProgressSchema.shape }),
  // From the desktop shell: settings changed (the View menu, another window); a menu command for the windows.
  z.object({ kind: z.literal('settings'), settings: SettingsSchema }),
  z.object({ kind: z.literal('menu'), command: z.literal('import-folder'), path: z.string() }),
]);
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

/** Errors cross every transport as data with a code the UI can act on. */
export const ApiErrorSchema = z.object({
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiErrorShape = z.infer<typeof ApiErrorSchema>;
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiErrorShape };

/** The typed client surface: what `window.api` (preload) and the web client both implement. */
export interface ApiClient {
  call<C extends Channel>(channel: C, input: InputOf<C>): Promise<OutputOf<C>>;
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** URL the renderer may put in an <audio> element for a clip of an imported dataset. */
  clipAudioUrl(clipId: number): string;
  /** The same for a file a classify run classified (run id and the file's index in the run). */
  predictionAudioUrl(runId: number, idx: number): string;
  /** URL of a written report's file (`path` as reports:export lists it), for a download link or to open it. */
  reportFileUrl(path: string): string;
  readonly transport: 'electron' | 'web';
}
