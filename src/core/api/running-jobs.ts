/**
 * The engine's jobs as every window sees them: which training runs and classifications run now, the run each
 * records (known from its 'started' event), its stage, and how to cancel it, by request id or by the recorded
 * run's id (any page of a running run, in any window, can cancel it). The list follows the progress stream the
 * service emits, so a seed queue's runs are tracked as they start too; each change is broadcast as a 'jobs' event.
 */
import type { ProgressEvent } from '../../shared/contract';
import type { JobInfo, JobKind, JobStage } from '../../shared/jobs';
import type { ExperimentStatus } from '../../shared/outcome';

/** How many ended jobs stay listed (a page opened by request id after its run ended finds the run). */
const KEEP_ENDED = 20;

interface Entry {
  info: JobInfo;
  /** Every experiment id its events named (a cross-validation's parent and folds). */
  ids: Set<number>;
  cancel: () => void;
}

export class RunningJobs {
  private readonly entries = new Map<string, Entry>();
  /** A seed queue's run request id -> the queue's, with what the queue knows of it. */
  private readonly queued = new Map<string, { queueId: string; title: string }>();

  constructor(
    private readonly emit: (event: ProgressEvent) => void,
    /** Cancels a seed queue as a whole (its runs are cancelled through it). */
    private readonly cancelQueue: (queueId: string) => boolean,
  ) {}

  /** A job the service just started. */
  add(requestId: string, kind: JobKind, title: string, cancel: () => void): void {
    this.entries.set(requestId, { info: blank(requestId, kind, title, null), ids: new Set(), cancel });
    this.changed();
  }

  /** Follows the progress stream: runs recorded, stages reached, jobs ended, seed queues' runs. */
  observe(event: ProgressEvent): void {
    switch (event.kind) {
      case 'train-queue':
        for (const run of event.queue.runs) {
          const title = `seed ${run.seed}${event.queue.sourceId ? ` of #${event.queue.sourceId}` : ''}`;
          this.queued.set(run.requestId, { queueId: event.queue.requestId, title });
        }
        if (event.queue.done) for (const run of event.queue.runs) this.queued.delete(run.requestId);
        return;
      case 'train': {
        const entry = this.entries.get(event.requestId) ?? this.adopt(event.requestId);
        if (!entry || entry.info.ended) return;
        const p = event.progress;
        if (p.phase === 'started') {
          entry.ids.add(p.experimentId);
          entry.info.experimentId = p.experimentId;
          this.changed();
        } else if (p.phase === 'features') this.stage(entry, 'features');
        else if (p.phase === 'epoch') {
          entry.ids.add(p.experimentId);
          this.stage(entry, 'training');
        }
        return;
      }
      case 'classify': {
        const entry = this.entries.get(event.requestId);
        if (!entry || entry.info.ended) return;
        const p = event.progress;
        if (p.phase === 'started') {
          entry.info.classifyRunId = p.runId;
          this.changed();
        } else if (p.phase === 'reading' || p.phase === 'features' || p.phase === 'inference') this.stage(entry, p.phase);
        return;
      }
      case 'train-end':
      case 'classify-end': {
        const status = event.result?.status;
        return this.end(event.requestId, status && status !== 'running' ? status : event.error?.code === 'job_crashed' ? 'interrupted' : 'failed');
      }
    }
  }

  /** Running jobs first (oldest first), then the ones that ended lately (newest first). */
  list(): JobInfo[] {
    const all = [...this.entries.values()].map((e) => ({ ...e.info }));
    return [...all.filter((j) => !j.ended), ...all.filter((j) => j.ended).reverse()];
  }

  has(requestId: string): boolean {
    const e = this.entries.get(requestId);
    return Boolean(e && !e.info.ended);
  }

  /** Cancels the running job that records experiment `id` (a fold's id cancels its cross-validation). */
  cancelExperiment(id: number): boolean {
    const entry = [...this.entries.values()].find((e) => !e.info.ended && e.info.kind === 'train' && e.ids.has(id));
    entry?.cancel();
    return Boolean(entry);
  }

  cancelClassifyRun(runId: number): boolean {
    const entry = [...this.entries.values()].find((e) => !e.info.ended && e.info.kind === 'classify' && e.info.classifyRunId === runId);
    entry?.cancel();
    return Boolean(entry);
  }

  /** A seed queue's run, met by its first event. */
  private adopt(requestId: string): Entry | undefined {
    const q = this.queued.get(requestId);
    if (!q) return undefined;
    const entry: Entry = { info: blank(requestId, 'train', q.title, q.queueId), ids: new Set(), cancel: () => void this.cancelQueue(q.queueId) };
    this.entries.set(requestId, entry);
    return entry;
  }

  private stage(entry: Entry, stage: JobStage): void {
    if (entry.info.stage === stage) return;
    entry.info.stage = stage;
    this.changed();
  }

  private end(requestId: string, status: Exclude<ExperimentStatus, 'running'>): void {
    const entry = this.entries.get(requestId);
    if (!entry || entry.info.ended) return;
    entry.info.ended = status;
    // Ended jobs move to the end of the map (newest last) and the oldest go.
    this.entries.delete(requestId);
    this.entries.set(requestId, entry);
    const ended = [...this.entries].filter(([, e]) => e.info.ended);
    for (const [id] of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.entries.delete(id);
    this.changed();
  }

  private changed(): void {
    this.emit({ kind: 'jobs', jobs: this.list() });
  }
}

function blank(requestId: string, kind: JobKind, title: string, queueId: string | null): JobInfo {
  return { requestId, kind, experimentId: null, classifyRunId: null, queueId, title, stage: 'starting', startedAt: new Date().toISOString(), ended: null };
}
