/**
 * The child side of a job (job-host.ts): waits for its one request, runs it with a signal that cancel (or the
 * host going away) aborts, streams progress, answers once with the result or a coded error, and closes the
 * workspace whatever happens.
 */
import { errorInfo, type ErrorCode } from '../../shared/errors';
import { openWorkspace, type Workspace } from '../workspace/workspace';
import type { JobMessage, JobRequest } from './job-host';

export interface JobContext<P> {
  signal: AbortSignal;
  onProgress: (p: P) => void;
}

export function serveJob<Q, P, R>(run: (ws: Workspace, request: Q, ctx: JobContext<P>) => Promise<R>, fallback: ErrorCode): void {
  const controller = new AbortController();
  const send = (m: JobMessage<P, R>) => new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));
  process.on('message', async (msg: JobRequest<Q>) => {
    if (msg.kind === 'cancel') {
      controller.abort();
      return;
    }
    if (msg.kind !== 'start') return;
    let ws: Workspace | undefined;
    try {
      ws = openWorkspace(msg.workspace);
      const result = await run(ws, msg.request, { signal: controller.signal, onProgress: (progress) => void send({ kind: 'progress', progress }) });
      await send({ kind: 'result', result });
    } catch (err) {
      await send({ kind: 'error', error: errorInfo(err, fallback) });
    } finally {
      ws?.close();
      process.disconnect?.();
    }
  });
  // A host that goes away takes its job with it (the run is recorded as cancelled).
  process.on('disconnect', () => controller.abort());
}
