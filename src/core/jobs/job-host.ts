/**
 * Long work (training, classification, writing a report) in a child process of its own: typed progress
 * messages, cancel, kill, and a result that settles exactly once. The child side is job-child.ts. A job that
 * dies without a word (killed, out of memory, crashed) leaves its run 'running'; opening the workspace then
 * marks it interrupted.
 */
import { fork } from 'node:child_process';
import type { ErrorCode } from '../../shared/errors';
import type { ErrorInfo, TrainProgress, TrainRequest, TrainResult } from '../../shared/experiment';
import { openWorkspace } from '../workspace/workspace';
import { resolveEntry } from './entry';

/** Host -> job. */
export type JobRequest<Q> = { kind: 'start'; workspace: string; request: Q } | { kind: 'cancel' };
/** Job -> host: any number of progress messages, then one result or one error. */
export type JobMessage<P, R> = { kind: 'progress'; progress: P } | { kind: 'result'; result: R } | { kind: 'error'; error: ErrorInfo };

export interface Job<P, R> {
  pid: number | undefined;
  result: Promise<R>;
  /** Asks the job to stop at its next check (after the current batch, file...); it records what it did. */
  cancel(): void;
  /** Ends the process at once (a second Ctrl-C); its run is then recorded as interrupted. */
  kill(): void;
  /** Only for typing: the progress messages this job streams. */
  readonly progressType?: P;
}

export class JobError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Which child entry runs the job, and how people call it ("the training process"). */
export interface JobKind {
  callerUrl: string;
  /** Bundle name beside the built caller (`<name>.js`) and the .ts source relative to the caller. */
  name: string;
  source: string;
  what: string;
}

export function startJob<Q, P, R>(kind: JobKind, workspace: string, request: Q, onProgress: (p: P) => void = () => {}): Job<P, R> {
  const entry = resolveEntry(kind.callerUrl, kind.name, kind.source);
  const child = fork(entry.file, [], {
    execArgv: entry.viaTsx ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Its own process group: a terminal's Ctrl-C reaches the host only, which asks the job to cancel (the run
    // is then recorded as cancelled); otherwise the job and its workers die of the SIGINT and it reads
    // 'interrupted'. A host that goes away disconnects the channel, and the job cancels itself.
    detached: process.platform !== 'win32',
  });
  const result = new Promise<R>((resolve, reject) => {
    let settled = false;
    child.on('message', (m: JobMessage<P, R>) => {
      if (m.kind === 'progress') onProgress(m.progress);
      else if (!settled) {
        settled = true;
        if (m.kind === 'result') resolve(m.result);
        else reject(new JobError(m.error.code, m.error.message));
      }
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      try {
        openWorkspace(workspace).close();
      } catch {
        /* the workspace itself may be the problem; the next open marks the run */
      }
      reject(new JobError('job_crashed', `The ${kind.what} process ended unexpectedly (${signal ?? `exit code ${code}`}); its run is recorded as interrupted.`));
    });
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      reject(new JobError('job_failed', err.message));
    });
  });
  const send = (m: JobRequest<Q>) => {
    if (child.connected) child.send(m);
  };
  send({ kind: 'start', workspace, request });
  return { pid: child.pid, result, cancel: () => send({ kind: 'cancel' }), kill: () => child.kill('SIGKILL') };
}

export type TrainingJob = Job<TrainProgress, TrainResult>;

/** A training run (runExperiment) in a child process of its own. */
export function startTrainingJob(workspace: string, request: TrainRequest, onProgress: (p: TrainProgress) => void = () => {}): TrainingJob {
  return startJob({ callerUrl: import.meta.url, name: 'job-process', source: './job-process.ts', what: 'training' }, workspace, request, onProgress);
}
