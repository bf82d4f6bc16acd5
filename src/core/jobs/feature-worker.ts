// Pool entry (a worker thread or a child process): runs FeatureTasks one at a time, in order, and answers each
// with its result or a coded error (pool-worker.ts).
import { errorInfo } from '../../shared/errors';
import { runFeatureTask, type FeatureTask, type FeatureTaskOutput } from './feature-task';
import { servePoolTasks } from './pool-worker';
import { tuneV8ForFeatureWork } from './v8-tiering';

tuneV8ForFeatureWork();

servePoolTasks<FeatureTask, FeatureTaskOutput>(
  runFeatureTask,
  (err) => errorInfo(err, 'extract_failed'),
  // the vectors are transferred instead of copied
  (output) => output.items.map((i) => i.vector.buffer as ArrayBuffer),
);
