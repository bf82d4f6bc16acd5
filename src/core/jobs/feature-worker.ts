// Pool entry (a worker thread or a child process): runs FeatureTasks one at a time and answers each
// with its result or a coded error.
import { parentPort } from 'node:worker_threads';
import { errorInfo } from '../../shared/errors';
import { runFeatureTask, type FeatureTask } from './feature-task';
import { tuneV8ForFeatureWork } from './v8-tiering';

tuneV8ForFeatureWork();

type Reply = { id: number; ok: boolean; [k: string]: unknown };
const port: { on(event: 'message', fn: (m: { id: number; input: FeatureTask }) => void): void; postMessage(m: Reply, transfer?: ArrayBuffer[]): void } =
  parentPort ??
  (process.send
    ? { on: (event, fn) => process.on(event, fn), postMessage: (m) => void process.send!(m) }
    : (() => {
        throw new Error('feature-worker must run in a worker thread or a forked child process');
      })());

port.on('message', async ({ id, input }: { id: number; input: FeatureTask }) => {
  try {
    const output = await runFeatureTask(input);
    // Transfer the vectors instead of copying them.
    const transfer = output.items.map((i) => i.vector.buffer as ArrayBuffer);
    port.postMessage({ id, ok: true, output }, transfer);
  } catch (err) {
    port.postMessage({ id, ok: false, error: errorInfo(err, 'extract_failed') });
  }
});
