// This process only reads arguments and hands files to the workers: it imports no DSP code (start-up counts here).
import { DEFAULT_FEATURE_PRESET, FEATURE_PRESETS } from '../../shared/params';
import { FEATURE_BLOCKS, isPresetName, presetConfig, resolveFeatureConfig, type FeatureBlock, type FeatureConfig } from '../../core/features/config';
import { FILE_BUDGET_UNKNOWN_MS } from '../../core/jobs/task-budget';
import type { FeatureTask, FeatureTaskOutput } from '../../core/jobs/feature-task';
import { defaultPoolSize, runPool, type TaskResult } from '../../core/jobs/pool';
import { parseCommandArgs, UsageError } from '../args';

/** Up to this many files, `features` favours start-up over per-clip speed: worker threads, WASM in V8's baseline tier. */
const FEW_FILES = 4;

export const featuresUsage =
  `ser-studio features [--preset ${FEATURE_PRESETS.join('|')} (default ${DEFAULT_FEATURE_PRESET})] ` +
  '[--blocks] [--sr 22050] [--only mfcc,chroma,mel,contrast,tonnetz] [--n-mfcc 13] [--workers N] FILE...';

/** One JSON object per input file, in input order, streamed as soon as it (and those before it) are done. */
export async function featuresCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    blocks: { type: 'boolean', default: false },
    sr: { type: 'string', default: '22050' },
    only: { type: 'string' },
    'n-mfcc': { type: 'string', default: '13' },
    workers: { type: 'string' },
    preset: { type: 'string', default: DEFAULT_FEATURE_PRESET },
  });
  if (!positionals.length) throw new UsageError(`expected at least one audio file\nusage: ${featuresUsage}`);
  const preset = values.preset;
  if (!isPresetName(preset)) throw new UsageError(`unknown feature preset: ${preset} (one of ${FEATURE_PRESETS.join(', ')})`);
  let config: FeatureConfig;
  if (preset !== DEFAULT_FEATURE_PRESET) {
    // a preset other than the reference fixes its blocks, MFCC count and rate: the options that change them do not apply
    const p = { config: presetConfig(preset) };
    const fixed = [
      values.blocks && '--blocks',
      values.only !== undefined && '--only',
      Number(values.sr) !== p.config.sampleRate && '--sr',
      Number(values['n-mfcc']) !== p.config.nMfcc && '--n-mfcc',
    ].filter(Boolean);
    if (fixed.length) throw new UsageError(`${fixed.join(', ')}: the ${preset} preset is fixed (${p.config.sampleRate} Hz, ${p.config.nMfcc} MFCC, every block); these options shape ${DEFAULT_FEATURE_PRESET} only`);
    config = { ...p.config, blocks: [...p.config.blocks] };
  } else {
    try {
      config = resolveFeatureConfig({
        sampleRate: Number(values.sr),
        nMfcc: Number(values['n-mfcc']),
        blocks: values.only ? (values.only.split(',').map((s) => s.trim()) as FeatureBlock[]) : [...FEATURE_BLOCKS],
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const workers = values.workers ? Number(values.workers) : Math.min(defaultPoolSize(), positionals.length);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError('--workers must be a positive integer');

  // A few files: the workers compile the WASM kernels with V8's baseline tier (kernels.ts), which starts sooner, and
  // they are threads of this process, which start ~70 ms sooner than a child process (a second Node boot); a thread
  // still has its time budget (it is terminated) and a codec still runs in its own guarded thread (decode-guard.ts).
  // Many files: the optimising tier, which runs faster from the first clips on, in processes, which scale with cores.
  const few = positionals.length <= FEW_FILES;
  if (few) process.env.SER_WASM_BASELINE ??= '1';
  const tasks = positionals.map((path): FeatureTask => ({ path, config, preset, variants: [{ augId: '' }], returnBlocks: values.blocks }));
  let failures = 0;
  const emit = (r: TaskResult<FeatureTask, FeatureTaskOutput>) => {
    if (!r.ok) failures++;
    // an error of the pool itself (a time budget, a crashed worker) does not name the file; the decoder's do
    const error = r.ok || r.error.message.startsWith(r.input.path) ? (r.ok ? null : r.error) : { ...r.error, message: `${r.input.path}: ${r.error.message}` };
    process.stdout.write(JSON.stringify(r.ok ? lineFor(r.input.path, preset, r.output) : { file: r.input.path, error }) + '\n');
  };

  // Every file in a worker (one worker with --workers 1), each with a time budget: a file that crashes the decoder or
  // hangs it gives an error line and the others still succeed. Results arrive out of order; the few that overtake
  // are held so the output keeps the input's order.
  const index = new Map(tasks.map((t, i) => [t, i]));
  const held = new Map<number, TaskResult<FeatureTask, FeatureTaskOutput>>();
  let next = 0;
  for await (const r of runPool<FeatureTask, FeatureTaskOutput>(
    { callerUrl: import.meta.url, name: 'feature-worker', source: '../../core/jobs/feature-worker.ts' },
    tasks,
    { size: workers, taskTimeoutMs: FILE_BUDGET_UNKNOWN_MS, isolation: few ? 'thread' : 'process' },
  )) {
    held.set(index.get(r.input)!, r);
    while (held.has(next)) {
      emit(held.get(next)!);
      held.delete(next++);
    }
  }
  return failures ? 1 : 0;
}

function lineFor(file: string, preset: string, out: FeatureTaskOutput) {
  const item = out.items[0];
  return {
    file,
    preset,
    dimension: item.vector.length,
    vector: Array.from(item.vector),
    tuning: item.tuning,
    sampleRate: out.sampleRate,
    nSamples: out.nSamples,
    nFrames: item.nFrames,
    ...(item.blocks ? { blocks: item.blocks } : {}),
  };
}
