import { errorInfo } from '../../shared/errors';
import { FEATURE_BLOCKS, resolveFeatureConfig, type FeatureBlock } from '../../core/features/config';
import { runFeatureTask, type FeatureTask, type FeatureTaskOutput } from '../../core/jobs/feature-task';
import { defaultPoolSize, runPool, type TaskResult } from '../../core/jobs/pool';
import { parseCommandArgs, UsageError } from '../args';

export const featuresUsage =
  'ser-studio features [--blocks] [--sr 22050] [--only mfcc,chroma,mel,contrast,tonnetz] [--n-mfcc 13] [--workers N] FILE...';

/** One JSON object per input file, in input order, streamed as soon as it (and those before it) are done. */
export async function featuresCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    blocks: { type: 'boolean', default: false },
    sr: { type: 'string', default: '22050' },
    only: { type: 'string' },
    'n-mfcc': { type: 'string', default: '13' },
    workers: { type: 'string' },
  });
  if (!positionals.length) throw new UsageError(`expected at least one audio file\nusage: ${featuresUsage}`);
  let config;
  try {
    config = resolveFeatureConfig({
      sampleRate: Number(values.sr),
      nMfcc: Number(values['n-mfcc']),
      blocks: values.only ? (values.only.split(',').map((s) => s.trim()) as FeatureBlock[]) : [...FEATURE_BLOCKS],
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const workers = values.workers ? Number(values.workers) : Math.min(defaultPoolSize(), positionals.length);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError('--workers must be a positive integer');

  const tasks = positionals.map((path): FeatureTask => ({ path, config, variants: [{ augId: '' }], returnBlocks: values.blocks }));
  let failures = 0;
  const emit = (r: TaskResult<FeatureTask, FeatureTaskOutput>) => {
    if (!r.ok) failures++;
    process.stdout.write(JSON.stringify(r.ok ? lineFor(r.input.path, r.output) : { file: r.input.path, error: r.error }) + '\n');
  };

  if (workers === 1) {
    for (const task of tasks) {
      try {
        emit({ input: task, ok: true, output: await runFeatureTask(task) });
      } catch (err) {
        emit({ input: task, ok: false, error: errorInfo(err, 'extract_failed') });
      }
    }
  } else {
    // Results arrive out of order; hold the few that overtake so the output keeps the input's order.
    const index = new Map(tasks.map((t, i) => [t, i]));
    const held = new Map<number, TaskResult<FeatureTask, FeatureTaskOutput>>();
    let next = 0;
    for await (const r of runPool<FeatureTask, FeatureTaskOutput>(
      { callerUrl: import.meta.url, name: 'feature-worker', source: '../../core/jobs/feature-worker.ts' },
      tasks,
      { size: workers },
    )) {
      held.set(index.get(r.input)!, r);
      while (held.has(next)) {
        emit(held.get(next)!);
        held.delete(next++);
      }
    }
  }
  return failures ? 1 : 0;
}

function lineFor(file: string, out: FeatureTaskOutput) {
  const item = out.items[0];
  return {
    file,
    vector: Array.from(item.vector),
    tuning: item.tuning,
    sampleRate: out.sampleRate,
    nSamples: out.nSamples,
    nFrames: item.nFrames,
    ...(item.blocks ? { blocks: item.blocks } : {}),
  };
}
