// Child-process entry for long jobs (training): runs off the caller's thread, streams progress,
// honours cancel, and always leaves the workspace consistent (the experiment row says how it ended).
import { runExperiment } from '../experiments/run';
import { openWorkspace } from '../workspace/workspace';
import { errorInfo } from '../../shared/errors';
import type { JobMessage, JobRequest } from './job-protocol';

const controller = new AbortController();
const send = (m: JobMessage) => new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));

process.on('message', async (msg: JobRequest) => {
  if (msg.kind === 'cancel') {
    controller.abort();
    return;
  }
  if (msg.kind !== 'train') return;
  let ws;
  try {
    ws = openWorkspace(msg.workspace);
    const result = await runExperiment(ws, msg.request, { signal: controller.signal, onProgress: (progress) => void send({ kind: 'progress', progress }) });
    await send({ kind: 'result', result });
  } catch (err) {
    await send({ kind: 'error', error: errorInfo(err, 'train_failed') });
  } finally {
    ws?.close();
    process.disconnect?.();
  }
});
// A parent that goes away takes its job with it.
process.on('disconnect', () => controller.abort());
