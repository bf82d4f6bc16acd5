import { SplitSpecSchema, TrainRequestSchema, type SeedQueue, type SplitSpec, type TrainConfig, type TrainProgress, type TrainResult } from '../../shared/experiment';
import { formatMeanSd, foldsText, outcomeText } from '../../shared/outcome';
import { scoreSetText, type ScoreSet } from '../../shared/protocol';
import {
  ACTIVATIONS,
  AUG_NAMES,
  BACKEND_CHOICES,
  DEFAULT_FEATURE_PRESET,
  FEATURE_PRESET_INFO,
  FEATURE_PRESETS,
  LIMITS,
  MLP_DEFAULTS,
  NORMALIZE_CHOICES,
  ON_ERROR_CHOICES,
  SPLIT_KINDS,
  TRAIN_DEFAULTS,
  inRange,
  isKFold,
  rangeText,
} from '../../shared/params';
import { featureDims, presetOf, resolveFeatureConfig } from '../../core/features/config';
import { coverageWarning, coverageWarningText } from '../../shared/speaker-coverage';
import { datasetCoverage } from '../../core/dataset/coverage';
import { findDataset } from '../../core/dataset/queries';
import { consecutiveSeeds, seedsText } from '../../shared/run-config';
import { seedSummary, type ScoreSpread } from '../../shared/seed-groups';
import { TrainQueue } from '../../core/jobs/train-queue';
import { startTrainingJob } from '../../core/jobs/job-host';
import { resolveWorkspaceDir } from '../../core/workspace/location';
import { openWorkspace } from '../../core/workspace/workspace';
import { formatZod } from '../../core/api/service';
import { jsonOption, parseCommandArgs, UsageError, workspaceOption } from '../args';
import { awaitJob, progressBar } from '../output';

const D = TRAIN_DEFAULTS;
export const trainUsage =
  `ser-studio train --dataset NAME [--split stratified|speaker|kfold:K|speaker-kfold:K] [--val ${D.valFraction} (k-fold: given, each fold's early stopping uses this share of its training clips and the held-out fold is the test)] ` +
  `[--test ${D.testFraction} (hold this share of clips out first as a test part early stopping never sees; it gives the headline; hold-out splits)] [--seed ${D.seed}] ` +
  `[--augment ${AUG_NAMES.join(',')}|none] [--copies ${D.copies}] [--epochs ${D.epochs}] [--patience ${D.patience} (0: no early stopping)] ` +
  `[--batch ${D.batchSize}] [--lr ${D.learningRate}] [--hidden ${MLP_DEFAULTS.hidden.join(',')}] [--activation ${ACTIVATIONS.join('|')}] ` +
  `[--dropout ${MLP_DEFAULTS.dropout}] [--backend ${BACKEND_CHOICES.join('|')}] [--workers N] [--leaky] ` +
  `[--on-error ${ON_ERROR_CHOICES.join('|')} (${D.onError})] [--max-duration SECONDS (${D.maxDurationSec})] ` +
  `[--features ${FEATURE_PRESETS.join('|')} (${DEFAULT_FEATURE_PRESET}; ${FEATURE_PRESETS.map((p) => `${p}: ${FEATURE_PRESET_INFO[p].dimension} values`).join(', ')})] ` +
  `[--normalize ${NORMALIZE_CHOICES.join('|')} (${D.normalize}; speaker: z-score each speaker's clips by their own mean and sd first)] ` +
  `[--seeds 42,0,1 | --repeat N (seeds from --seed on)] [--workspace W] [--json]`;

/** Most runs one `--seeds` / `--repeat` asks for. */
const MAX_SEEDS = 100;

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got '${v}')`);
  return n;
}

/** The seeds of `--seeds 42,0,1` or `--repeat N` (N seeds from `start` on); null for a single run. */
export function parseSeeds(seeds: string | undefined, repeat: string | undefined, start: number | undefined): number[] | null {
  if (seeds !== undefined && repeat !== undefined) throw new UsageError('use either --seeds or --repeat, not both');
  if (seeds !== undefined) {
    if (start !== undefined) throw new UsageError('--seeds lists every seed; leave out --seed');
    const list = seeds.split(',').map((t) => t.trim());
    const values = list.map(Number);
    if (!list.length || list.some((t) => t === '') || !values.every((v) => inRange(v, LIMITS.seed)))
      throw new UsageError(`--seeds must be a comma-separated list of seeds, each ${rangeText(LIMITS.seed)} (got '${seeds}')`);
    if (new Set(values).size !== values.length) throw new UsageError(`--seeds lists a seed twice (got '${seeds}')`);
    if (values.length > MAX_SEEDS) throw new UsageError(`--seeds takes at most ${MAX_SEEDS} seeds`);
    return values;
  }
  if (repeat !== undefined) {
    const n = Number(repeat);
    if (!Number.isInteger(n) || n < 1 || n > MAX_SEEDS) throw new UsageError(`--repeat must be a whole number from 1 to ${MAX_SEEDS} (got '${repeat}')`);
    const first = start ?? D.seed;
    const list = consecutiveSeeds(first, n);
    if (list.length < n) throw new UsageError(`--repeat ${n} from seed ${first} runs past the largest seed (${LIMITS.seed.max})`);
    return list;
  }
  return null;
}

/**
 * The --split value: stratified | speaker | kfold:K | speaker-kfold:K. With k-fold, a --val given carves that share of
 * each fold's training clips for early stopping, and the held-out fold becomes the test.
 */
export function parseSplitSpec(text: string, val?: number): SplitSpec {
  const valFraction = val ?? D.valFraction;
  const m = /^([a-z-]+)(?::(\d+))?$/.exec(text.trim());
  const kind = m?.[1] as (typeof SPLIT_KINDS)[number] | undefined;
  if (!m || !kind || !SPLIT_KINDS.includes(kind)) throw new UsageError(`--split must be stratified, speaker, kfold:K or speaker-kfold:K (got '${text}')`);
  if (isKFold(kind) && !m[2]) throw new UsageError(`--split ${kind} needs a fold count, e.g. ${kind}:5`);
  if (!isKFold(kind) && m[2]) throw new UsageError(`--split ${kind} takes no fold count`);
  const parsed = SplitSpecSchema.safeParse(isKFold(kind) ? { kind, k: Number(m[2]), ...(val !== undefined ? { valFraction: val } : {}) } : { kind, valFraction });
  if (!parsed.success) throw new UsageError(`--split ${text}: ${formatZod(parsed.error)}`);
  return parsed.data;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    dataset: { type: 'string', short: 'd' },
    split: { type: 'string', default: TRAIN_DEFAULTS.split },
    val: { type: 'string' },
    test: { type: 'string' },
    seed: { type: 'string' },
    augment: { type: 'string' },
    copies: { type: 'string' },
    epochs: { type: 'string' },
    patience: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    hidden: { type: 'string' },
    activation: { type: 'string' },
    dropout: { type: 'string' },
    backend: { type: 'string' },
    workers: { type: 'string' },
    leaky: { type: 'boolean', default: false },
    'on-error': { type: 'string' },
    'max-duration': { type: 'string' },
    normalize: { type: 'string' },
    features: { type: 'string' },
    seeds: { type: 'string' },
    repeat: { type: 'string' },
    ...workspaceOption,
    ...jsonOption,
  });
  if (!values.dataset) throw new UsageError(`--dataset is required\nusage: ${trainUsage}`);
  const seeds = parseSeeds(values.seeds, values.repeat, num('seed', values.seed));
  const split = parseSplitSpec(values.split!, num('val', values.val));
  const augment =
    values.augment === undefined ? [...AUG_NAMES] : values.augment === 'none' ? [] : values.augment.split(',').map((s) => s.trim());
  const onError = values['on-error'];
  if (onError !== undefined && !(ON_ERROR_CHOICES as readonly string[]).includes(onError)) {
    throw new UsageError(`--on-error must be ${ON_ERROR_CHOICES.join(' or ')} (got '${onError}')`);
  }
  const normalize = values.normalize;
  if (normalize !== undefined && !(NORMALIZE_CHOICES as readonly string[]).includes(normalize)) {
    throw new UsageError(`--normalize must be ${NORMALIZE_CHOICES.join(' or ')} (got '${normalize}')`);
  }
  const preset = values.features;
  if (preset !== undefined && !(FEATURE_PRESETS as readonly string[]).includes(preset)) {
    throw new UsageError(`--features must be ${FEATURE_PRESETS.join(' or ')} (got '${preset}')`);
  }
  const parsed = TrainRequestSchema.safeParse({
    dataset: /^\d+$/.test(values.dataset) ? Number(values.dataset) : values.dataset,
    split,
    seed: num('seed', values.seed),
    augment,
    copies: num('copies', values.copies),
    epochs: num('epochs', values.epochs),
    patience: num('patience', values.patience),
    batchSize: num('batch', values.batch),
    learningRate: num('lr', values.lr),
    hidden: values.hidden === undefined ? undefined : values.hidden.split(/[\s,]+/).filter(Boolean).map((h) => num('hidden', h)),
    activation: values.activation,
    dropout: num('dropout', values.dropout),
    backend: values.backend,
    workers: num('workers', values.workers),
    leaky: values.leaky,
    onError,
    maxDurationSec: num('max-duration', values['max-duration']),
    normalize,
    testFraction: num('test', values.test),
    ...(preset !== undefined && preset !== DEFAULT_FEATURE_PRESET ? { features: { preset } } : {}),
  });
  if (!parsed.success) throw new UsageError(formatZod(parsed.error));

  const workspace = resolveWorkspaceDir(values.workspace);
  const ws = openWorkspace(workspace); // fail fast (and migrate) before starting the job
  try {
    // Per-speaker normalisation on speakers whose clips do not span the classes subtracts the emotion: say so first.
    const dataset = parsed.data.normalize === 'speaker' ? findDataset(ws.db, parsed.data.dataset) : undefined;
    const warning = dataset ? coverageWarning(datasetCoverage(ws.db, dataset.id)) : null;
    if (warning) process.stderr.write(coverageWarningText(warning) + '\n');
  } finally {
    ws.close();
  }
  const bar = progressBar();
  const log = (line: string) => {
    if (!values.json && process.stderr.isTTY) bar.done();
    if (!values.json) process.stderr.write(line + '\n');
  };
  const showProgress = (prefix: string) => (p: TrainProgress) => {
    if (p.phase === 'features') bar.update(p.done, p.total, `${prefix}features (${p.cached} cached)`);
    else if (p.phase === 'epoch') {
      const fold = p.fold === null ? '' : `fold ${p.fold + 1} `;
      const line = `${prefix}${fold}epoch ${p.epoch}/${p.maxEpochs}  loss ${p.loss.toFixed(4)} acc ${p.acc.toFixed(4)}  val_loss ${p.valLoss.toFixed(4)} val_acc ${p.valAcc.toFixed(4)}  ${Math.round(p.ms)} ms`;
      if (process.stderr.isTTY) bar.update(p.epoch, p.maxEpochs, line);
      else if (!values.json) process.stderr.write(line + '\n');
    } else if (p.phase === 'started') log(`${prefix}recorded as experiment #${p.experimentId} (${p.plan.clips} clips${p.plan.copies ? ` + ${p.plan.copies} augmented copies` : ''})`);
    else log(prefix + p.message);
  };
  if (seeds) return trainSeeds(workspace, parsed.data, seeds, { json: values.json ?? false, bar, log, showProgress });
  const normalizeLine = featuresText(parsed.data);
  const job = startTrainingJob(workspace, parsed.data, showProgress(''));
  const result = await awaitJob(job, 'Stopping after the current batch', log);
  bar.done();
  if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
  else process.stdout.write(formatResult(result, normalizeLine) + '\n');
  return result.status === 'completed' ? 0 : 130;
}

interface SeedOutput {
  json: boolean;
  bar: ReturnType<typeof progressBar>;
  log: (line: string) => void;
  showProgress: (prefix: string) => (p: TrainProgress) => void;
}

/**
 * `--seeds` / `--repeat`: the same configuration once per seed, one run after another (the engine's seed queue),
 * each result printed as it ends, then mean ± sd over the completed runs. Ctrl-C stops the whole queue.
 */
async function trainSeeds(workspace: string, request: TrainConfig, seeds: number[], out: SeedOutput): Promise<number> {
  const queue = new TrainQueue({
    requestId: 'cli',
    requests: seeds.map((seed) => ({ ...request, seed })),
    start: (r, onProgress) => startTrainingJob(workspace, r, onProgress),
    onProgress: (runId, p) => {
      const i = Number(runId.split('.').pop()) - 1;
      out.showProgress(`seed ${seeds[i]} (${i + 1}/${seeds.length}) `)(p);
    },
    onRunEnd: (runId, end) => {
      out.bar.done();
      const i = Number(runId.split('.').pop()) - 1;
      if (end.error) out.log(`seed ${seeds[i]}: ${end.error.message}`);
      else if (end.result && !out.json) process.stdout.write(formatResult(end.result, featuresText(request)) + '\n\n');
    },
  });
  const { queue: done, results } = await awaitJob(
    { result: queue.result, cancel: () => queue.cancel(), kill: () => queue.kill() },
    'Stopping the current run after its batch; no further seed will start',
    out.log,
  );
  out.bar.done();
  const summary = seedQueueSummary(done);
  if (out.json) process.stdout.write(JSON.stringify({ runs: results, summary }) + '\n');
  else process.stdout.write(formatSeedSummary(summary, request.testFraction > 0 ? 'test' : 'validation') + '\n');
  if (done.cancelled) return 130;
  return done.runs.every((r) => r.status === 'completed') ? 0 : 1;
}

/** What `--seeds` prints last (and `--json` as `summary`): the seeds, how each run ended, mean ± sd and range over the completed ones. */
export function seedQueueSummary(queue: SeedQueue) {
  const completed = queue.runs.filter((r) => r.status === 'completed');
  return {
    seeds: queue.runs.map((r) => r.seed),
    runs: queue.runs.map((r) => ({ seed: r.seed, experimentId: r.experimentId, status: r.status })),
    completed: completed.length,
    ...seedSummary(completed),
  };
}

/** `set` names the clips the runs' numbers come from (every run of a queue has the same config, hence the same set). */
export function formatSeedSummary(s: ReturnType<typeof seedQueueSummary>, set?: ScoreSet): string {
  const score = (v: number) => v.toFixed(3);
  const line = (name: string, m: ScoreSpread | null) =>
    m ? `${name} ${formatMeanSd(m, score)}${m.n > 1 ? ` (range ${score(m.min)}–${score(m.max)})` : ''}` : `${name} —`;
  const notDone = s.runs.filter((r) => r.status !== 'completed');
  return [
    `${s.seeds.length} seeds (${seedsText(s.seeds)}): ${s.completed} completed${notDone.length ? `; ${notDone.map((r) => `seed ${r.seed} ${r.status}`).join(', ')}` : ''}`,
    `  over ${s.completed} seed${s.completed === 1 ? '' : 's'}${set ? `, ${scoreSetText(set)}` : ''}: ${[line('accuracy', s.accuracy), line('macro F1', s.macroF1), line('weighted F1', s.weightedF1)].join(', ')}`,
    s.completed === 1 ? '  (one completed run: no sd)' : '',
    `  experiments: ${s.runs.map((r) => (r.experimentId === null ? `seed ${r.seed} not recorded` : `#${r.experimentId}`)).join(', ')}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The run's vector and scaling, as its output says them: 'extended (370 values); per-speaker + global standardisation'. */
export function featuresText(cfg: Pick<TrainConfig, 'features' | 'normalize'>): string {
  const config = resolveFeatureConfig(cfg.features);
  return `${presetOf(config)} (${featureDims(config)} values); ${normalizationText(cfg.normalize)}`;
}

/** How the run scaled its features, as its output and pages say it. */
export function normalizationText(normalize: TrainConfig['normalize'] | undefined): string {
  return normalize === 'speaker' ? 'per-speaker + global standardisation' : 'global standardisation (fitted on the training rows)';
}

export function formatResult(r: TrainResult, normalization?: string): string {
  const weights = r.weights ? `weights of epoch ${r.weights.epoch} (${r.weights.rule === 'final' ? 'final; no early stopping' : 'lowest validation loss'})` : 'no epoch completed';
  const timings = `features ${((r.timings.featuresMs ?? 0) / 1000).toFixed(1)} s, training ${(r.timings.trainMs / 1000).toFixed(1)} s (${r.timings.msPerEpoch.toFixed(0)} ms/epoch)`;
  const lines = [
    `Experiment ${r.experimentId}: ${outcomeText(r.status, r.folds ?? null)}${r.leaky ? '  [LEAKY: augmented copies reach validation; numbers are inflated]' : ''}`,
    `  protocol: ${r.protocol}`,
    ...(normalization ? [`  features: ${normalization}`] : []),
    r.folds ? `  backend: ${r.backend}; ${r.epochs} epochs over the folds; ${timings}` : `  backend: ${r.backend}; ${r.epochs} epochs, ${weights}; ${timings}`,
    `  rows: train ${r.split.trainRows} (${r.split.trainClips} clips), validation ${r.split.valRows} (${r.split.valClips} clips)` +
      (r.split.testClips !== undefined ? `, test ${r.split.testRows ?? r.split.testClips} (${r.split.testClips} clips)` : ''),
  ];
  const scores = (s: { accuracy: number; macroF1: number; weightedF1: number }) =>
    `accuracy ${s.accuracy.toFixed(4)}, macro F1 ${s.macroF1.toFixed(4)}, weighted F1 ${s.weightedF1.toFixed(4)}`;
  const score = (v: number) => v.toFixed(3);
  if (r.folds) {
    const f = r.folds;
    lines.push(
      `  ${scoreSetText(r.scoreSet)}: accuracy ${formatMeanSd(f.accuracy, score)}, macro F1 ${formatMeanSd(f.macroF1, score)} ${foldsText(f)}; pooled accuracy ${score(f.pooledAccuracy)}`,
    );
  } else if (r.accuracy !== null && r.macroF1 !== null && r.weightedF1 !== null) {
    // the headline first, named by its set; beside a test headline, the validation clips' numbers
    lines.push(`  ${scoreSetText(r.scoreSet)}: ${scores({ accuracy: r.accuracy, macroF1: r.macroF1, weightedF1: r.weightedF1 })}`);
    if (r.validation) lines.push(`  ${scoreSetText('validation')}: ${scores(r.validation)}`);
  } else {
    lines.push('  no scores: the run stopped before a model was evaluated');
  }
  lines.push(...skippedLines(r.skipped));
  const labels = Object.keys(r.perClass);
  if (labels.length) {
    const w = Math.max(9, ...labels.map((l) => l.length));
    lines.push('', `  ${'class'.padEnd(w)}  precision  recall  f1-score  support   (${r.scoreSet === 'test' ? 'test' : 'validation'} clips)`);
    for (const l of labels) {
      const m = r.perClass[l];
      lines.push(`  ${l.padEnd(w)}  ${m.precision.toFixed(3).padStart(9)}  ${m.recall.toFixed(3).padStart(6)}  ${m.f1.toFixed(3).padStart(8)}  ${String(m.support).padStart(7)}`);
    }
  }
  return lines.join('\n');
}

/** The clips a run left out, one line each with its code (nothing when it used every clip). */
export function skippedLines(skipped: TrainResult['skipped'] | undefined): string[] {
  if (!skipped?.length) return [];
  const byCode = new Map<string, number>();
  for (const s of skipped) byCode.set(s.code, (byCode.get(s.code) ?? 0) + 1);
  const counts = [...byCode].map(([code, n]) => `${code} ${n}`).join(', ');
  return [`  left out: ${skipped.length} clip${skipped.length === 1 ? '' : 's'} (${counts}); the numbers above are without them:`, ...skipped.map((s) => `    [${s.code}] ${s.message}`)];
}
