import { fork } from 'node:child_process';
import type { TrainProgress, TrainRequest, TrainResult } from '../../shared/experiment';
import type { ErrorCode } from '../../shared/errors';
import { openWorkspace } from '../workspace/workspace';
import { resolveEntry } from './entry';
import type { JobMessage, JobRequest } from './job-protocol';

export interface TrainingJob {
  pid: number | undefined;
  result: Promise<TrainResult>;
  /** Asks the job to stop after the current batch; it records the run as cancelled. */
  cancel(): void;
  /** Ends the process at once (a second Ctrl-C); the run is then recorded as interrupted. */
  kill(): void;
}

export class JobError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Starts a training run in a child process of its own. */
export function startTrainingJob(workspace: string, request: TrainRequest, onProgress: (p: TrainProgress) => void = () => {}): TrainingJob {
  const entry = resolveEntry(import.meta.url, 'job-process', './job-process.ts');
  const child = fork(entry.file, [], {
    execArgv: entry.viaTsx ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Its own process group: a terminal's Ctrl-C reaches the host only, which asks the job to cancel (the run
    // is then recorded as cancelled); otherwise the job and its workers die of the SIGINT and it reads
    // 'interrupted'. A host that goes away disconnects the channel, and the job cancels itself.
    detached: process.platform !== 'win32',
  });
  const result = new Promise<TrainResult>((resolve, reject) => {
    let settled = false;
    child.on('message', (m: JobMessage) => {
      if (m.kind === 'progress') onProgress(m.progress);
      else if (m.kind === 'result') {
        settled = true;
        resolve(m.result);
      } else if (m.kind === 'error') {
        settled = true;
        reject(new JobError(m.error.code, m.error.message));
      }
    });
    child.on('exit', (code, signal) => {
      if (settled) return;
      // The job died without a word (killed, out of memory, crashed): its experiment is left 'running'.
      // Opening the workspace marks runs of dead processes interrupted.
      try {
        openWorkspace(workspace).close();
      } catch {
        /* the workspace itself may be the problem; the next open marks it */
      }
      reject(new JobError('job_crashed', `The training process ended unexpectedly (${signal ?? `exit code ${code}`}); the run is recorded as interrupted.`));
    });
    child.on('error', (err) => {
      if (!settled) reject(new JobError('job_failed', err.message));
    });
  });
  const send = (m: JobRequest) => {
    if (child.connected) child.send(m);
  };
  send({ kind: 'train', workspace, request });
  return {
    pid: child.pid,
    result,
    cancel: () => send({ kind: 'cancel' }),
    kill: () => child.kill('SIGKILL'),
  };
}
