// Domain types shared by every process. zod schemas are the single source of truth;
// TypeScript types are inferred from them so a field cannot exist in one and not the other.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors';

export const NamingSchema = z.enum(['folder', 'ravdess']);
export type Naming = z.infer<typeof NamingSchema>;

export const ImportIssueSchema = z.object({
  file: z.string(),
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});
export type ImportIssue = z.infer<typeof ImportIssueSchema>;

export const DuplicateGroupSchema = z.object({
  sha256: z.string(),
  files: z.array(z.string()).min(2),
});
export type DuplicateGroup = z.infer<typeof DuplicateGroupSchema>;

export const DatasetSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  source: z.string(),
  sourceKind: z.enum(['folder', 'csv']),
  naming: NamingSchema,
  clips: z.number().int(),
  classes: z.record(z.string(), z.number().int()),
  speakers: z.number().int(),
  durationSec: z.number(),
  errors: z.number().int(),
  duplicates: z.number().int(),
  contentHash: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

/** What `import` reports: the summary the CLI prints with --json. */
export const ImportReportSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  clips: z.number().int(),
  classes: z.record(z.string(), z.number().int()),
  speakers: z.number().int(),
  durationSec: z.number(),
  errors: z.array(ImportIssueSchema),
  duplicates: z.array(DuplicateGroupSchema),
  added: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const HistogramSchema = z.object({
  edges: z.array(z.number()),
  counts: z.array(z.number().int()),
});
export type Histogram = z.infer<typeof HistogramSchema>;

/**
 * Per speaker, how many of the dataset's classes they have clips of: per-speaker normalisation only means something
 * when each speaker's clips span the classes (acted corpora). Speakers in the detail's order; clips without a
 * speaker are counted apart.
 */
export const SpeakerCoverageSchema = z.object({
  /** Classes of the dataset. */
  classes: z.number().int().nonnegative(),
  speakers: z.array(z.object({ speaker: z.string().min(1), covered: z.number().int().nonnegative(), share: z.number().min(0).max(1) })),
  /** Mean share over the speakers. */
  mean: z.number().min(0).max(1),
  /** Clips with no speaker. */
  unassigned: z.number().int().nonnegative(),
});
export type SpeakerCoverage = z.infer<typeof SpeakerCoverageSchema>;

export const DatasetDetailSchema = DatasetSummarySchema.extend({
  perSpeaker: z.array(z.object({ speaker: z.string(), clips: z.number().int(), classes: z.record(z.string(), z.number().int()) })),
  /** Null when no clip has a speaker. */
  speakerCoverage: SpeakerCoverageSchema.nullable(),
  durationHistogram: HistogramSchema,
  sampleRates: z.record(z.string(), z.number().int()),
  errorList: z.array(ImportIssueSchema),
  duplicateGroups: z.array(DuplicateGroupSchema),
});
export type DatasetDetail = z.infer<typeof DatasetDetailSchema>;

export const ClipSchema = z.object({
  id: z.number().int(),
  path: z.string(),
  label: z.string(),
  speaker: z.string().nullable(),
  container: z.string(),
  codec: z.string(),
  sampleRate: z.number().int(),
  channels: z.number().int(),
  durationSec: z.number(),
  sha256: z.string(),
});
export type Clip = z.infer<typeof ClipSchema>;

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  workspace: z.string(),
  schemaVersion: z.number().int(),
  transport: z.enum(['electron', 'web']),
  canPickFolder: z.boolean(),
  /** The tfjs backend `auto` trains with here ("tensorflow (tfjs-node 4.22.0)", "wasm (…)"), for the About box. */
  tfjsBackend: z.string().optional(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;
