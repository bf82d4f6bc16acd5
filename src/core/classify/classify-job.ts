// Child-process entry for a classification (started by job.ts): runs off the caller's thread, streams
// progress, honours cancel, and always leaves the workspace consistent (the run's row says how it ended).
import { errorInfo } from '../../shared/errors';
import { openWorkspace } from '../workspace/workspace';
import { classifyFiles } from './classify';
import type { ClassifyJobMessage, ClassifyJobRequest } from './job';

const controller = new AbortController();
const send = (m: ClassifyJobMessage) => new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));

process.on('message', async (msg: ClassifyJobRequest) => {
  if (msg.kind === 'cancel') {
    controller.abort();
    return;
  }
  if (msg.kind !== 'classify') return;
  let ws;
  try {
    ws = openWorkspace(msg.workspace);
    const result = await classifyFiles(ws, msg.request, { signal: controller.signal, onProgress: (progress) => void send({ kind: 'progress', progress }) });
    await send({ kind: 'result', result });
  } catch (err) {
    await send({ kind: 'error', error: errorInfo(err, 'classify_failed') });
  } finally {
    ws?.close();
    process.disconnect?.();
  }
});
// A host that goes away takes its job with it (the run is recorded as cancelled).
process.on('disconnect', () => controller.abort());
