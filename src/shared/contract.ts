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
import { ErrorInfoSchema, ExperimentDetailSchema, ExperimentSummarySchema, TrainProgressSchema, TrainRequestSchema, TrainResultSchema } from './experiment';
import { ERROR_CODES, type ErrorCode } from './errors';

const Id = z.number().int().positive();
/** Correlates progress events with the call that caused them (chosen by the caller). */
const RequestId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

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
  /** Asks a running job to stop after the current batch; it is recorded as cancelled. */
  'experiments:cancel': {
    input: z.object({ requestId: RequestId }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  /** Opens the OS folder picker (Electron only; the web bridge answers null). */
  'dialog:pickFolder': {
    input: z.object({}).strict(),
    output: z.object({ path: z.string().nullable() }),
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
  readonly transport: 'electron' | 'web';
}
