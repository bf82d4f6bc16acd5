/**
 * A classification in a child process of its own, as training runs (jobs/job-host.ts): typed progress
 * messages, cancel, kill; the CLI starts it today, the web bridge and Electron can later. The engine function
 * classifyFiles stays callable in-process too.
 */
import { fork } from 'node:child_process';
import type { ClassifyProgress, ClassifyRequest, ClassifyResult } from '../../shared/classify';
import type { ErrorInfo } from '../../shared/experiment';
import { resolveEntry } from '../jobs/entry';
import { JobError } from '../jobs/job-host';
import { openWorkspace } from '../workspace/workspace';

/** Messages between the host and the classify job process (a discriminated union, checked on both sides). */
export type ClassifyJobRequest = { kind: 'classify'; workspace: string; request: ClassifyRequest } | { kind: 'cancel' };
export type ClassifyJobMessage =
  | { kind: 'progress'; progress: ClassifyProgress }
  | { kind: 'result'; result: ClassifyResult }
  | { kind: 'error'; error: ErrorInfo };

export interface ClassifyJob {
  pid: number | undefined;
  result: Promise<ClassifyResult>;
  /** Stops extracting; what was classified so far is recorded and the run is marked cancelled. */
  cancel(): void;
  /** Ends the process at once; the run is then recorded as interrupted. */
  kill(): void;
}

export function startClassifyJob(workspace: string, request: ClassifyRequest, onProgress: (p: ClassifyProgress) => void = () => {}): ClassifyJob {
  const entry = resolveEntry(import.meta.url, 'classify-job', './classify-job.ts');
  const child = fork(entry.file, [], {
    execArgv: entry.viaTsx ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Its own process group: a terminal's Ctrl-C reaches the host only, which asks the job to cancel;
    // otherwise the job and its feature workers would die of the SIGINT before hearing the cancel.
    detached: process.platform !== 'win32',
  });
  const result = new Promise<ClassifyResult>((resolve, reject) => {
    let settled = false;
    child.on('message', (m: ClassifyJobMessage) => {
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
      // Opening the workspace marks the runs of dead processes interrupted.
      try {
        openWorkspace(workspace).close();
      } catch {
        /* the next open marks it */
      }
      reject(new JobError('job_crashed', `The classification process ended unexpectedly (${signal ?? `exit code ${code}`}); the run is recorded as interrupted.`));
    });
    child.on('error', (err) => {
      if (!settled) reject(new JobError('job_failed', err.message));
    });
  });
  const send = (m: ClassifyJobRequest) => {
    if (child.connected) child.send(m);
  };
  send({ kind: 'classify', workspace, request });
  return { pid: child.pid, result, cancel: () => send({ kind: 'cancel' }), kill: () => child.kill('SIGKILL') };
}
