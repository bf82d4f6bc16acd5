// The engine's running jobs as every window sees them (the sidebar's indicator, Cancel from any page).
import { z } from 'zod';
import { EXPERIMENT_STATUSES } from './outcome';

export const JOB_KINDS = ['train', 'classify'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Where a job is: training starts, extracts features, trains; a classification reads, extracts, infers. */
export const JOB_STAGES = ['starting', 'features', 'training', 'reading', 'inference'] as const;
export type JobStage = (typeof JOB_STAGES)[number];

export const JobInfoSchema = z.object({
  /** The id its progress events carry. */
  requestId: z.string(),
  kind: z.enum(JOB_KINDS),
  /** The run it records, once recorded: a training's experiment (a cross-validation's parent), a classification's run. */
  experimentId: z.number().int().nullable(),
  classifyRunId: z.number().int().nullable(),
  /** The seed queue a training belongs to (cancelling it cancels the queue as a whole). */
  queueId: z.string().nullable(),
  /** What the window calls it: the dataset trained on, the model classifying. */
  title: z.string(),
  stage: z.enum(JOB_STAGES),
  startedAt: z.string(),
  /** Null while it runs; how it ended otherwise (jobs that ended lately are listed too, for a page opened by request id). */
  ended: z.enum(EXPERIMENT_STATUSES).exclude(['running']).nullable(),
});
export type JobInfo = z.infer<typeof JobInfoSchema>;
