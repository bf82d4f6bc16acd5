import { SplitSpecSchema, TrainRequestSchema, type SplitSpec, type TrainProgress, type TrainResult } from '../../shared/experiment';
import { formatMeanSd, foldsText, outcomeText } from '../../shared/outcome';
import { ACTIVATIONS, AUG_NAMES, BACKEND_CHOICES, MLP_DEFAULTS, SPLIT_KINDS, TRAIN_DEFAULTS, isKFold } from '../../shared/params';
import { startTrainingJob } from '../../core/jobs/job-host';
import { resolveWorkspaceDir } from '../../core/workspace/location';
import { openWorkspace } from '../../core/workspace/workspace';
import { formatZod } from '../../core/api/service';
import { jsonOption, parseCommandArgs, UsageError, workspaceOption } from '../args';
import { awaitJob, progressBar } from '../output';

const D = TRAIN_DEFAULTS;
export const trainUsage =
  `ser-studio train --dataset NAME [--split stratified|speaker|kfold:K|speaker-kfold:K] [--val ${D.valFraction}] [--seed ${D.seed}] ` +
  `[--augment ${AUG_NAMES.join(',')}|none] [--copies ${D.copies}] [--epochs ${D.epochs}] [--patience ${D.patience} (0: no early stopping)] ` +
  `[--batch ${D.batchSize}] [--lr ${D.learningRate}] [--hidden ${MLP_DEFAULTS.hidden.join(',')}] [--activation ${ACTIVATIONS.join('|')}] ` +
  `[--dropout ${MLP_DEFAULTS.dropout}] [--backend ${BACKEND_CHOICES.join('|')}] [--workers N] [--leaky] [--workspace W] [--json]`;

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got '${v}')`);
  return n;
}

/** The --split value: stratified | speaker | kfold:K | speaker-kfold:K. */
export function parseSplitSpec(text: string, valFraction: number = D.valFraction): SplitSpec {
  const m = /^([a-z-]+)(?::(\d+))?$/.exec(text.trim());
  const kind = m?.[1] as (typeof SPLIT_KINDS)[number] | undefined;
  if (!m || !kind || !SPLIT_KINDS.includes(kind)) throw new UsageError(`--split must be stratified, speaker, kfold:K or speaker-kfold:K (got '${text}')`);
  if (isKFold(kind) && !m[2]) throw new UsageError(`--split ${kind} needs a fold count, e.g. ${kind}:5`);
  if (!isKFold(kind) && m[2]) throw new UsageError(`--split ${kind} takes no fold count`);
  const parsed = SplitSpecSchema.safeParse(isKFold(kind) ? { kind, k: Number(m[2]) } : { kind, valFraction });
  if (!parsed.success) throw new UsageError(`--split ${text}: ${formatZod(parsed.error)}`);
  return parsed.data;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    dataset: { type: 'string', short: 'd' },
    split: { type: 'string', default: TRAIN_DEFAULTS.split },
    val: { type: 'string' },
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
    ...workspaceOption,
    ...jsonOption,
  });
  if (!values.dataset) throw new UsageError(`--dataset is required\nusage: ${trainUsage}`);
  const split = parseSplitSpec(values.split!, num('val', values.val));
  const augment =
    values.augment === undefined ? [...AUG_NAMES] : values.augment === 'none' ? [] : values.augment.split(',').map((s) => s.trim());
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
  });
  if (!parsed.success) throw new UsageError(formatZod(parsed.error));

  const workspace = resolveWorkspaceDir(values.workspace);
  openWorkspace(workspace).close(); // fail fast (and migrate) before starting the job
  const bar = progressBar();
  const log = (line: string) => {
    if (!values.json && process.stderr.isTTY) bar.done();
    if (!values.json) process.stderr.write(line + '\n');
  };
  const job = startTrainingJob(workspace, parsed.data, (p: TrainProgress) => {
    if (p.phase === 'features') bar.update(p.done, p.total, `features (${p.cached} cached)`);
    else if (p.phase === 'epoch') {
      const fold = p.fold === null ? '' : `fold ${p.fold + 1} `;
      const line = `${fold}epoch ${p.epoch}/${p.maxEpochs}  loss ${p.loss.toFixed(4)} acc ${p.acc.toFixed(4)}  val_loss ${p.valLoss.toFixed(4)} val_acc ${p.valAcc.toFixed(4)}  ${Math.round(p.ms)} ms`;
      if (process.stderr.isTTY) bar.update(p.epoch, p.maxEpochs, line);
      else if (!values.json) process.stderr.write(line + '\n');
    } else log(p.message);
  });
  const result = await awaitJob(job, 'Stopping after the current batch', log);
  bar.done();
  if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
  else process.stdout.write(formatResult(result) + '\n');
  return result.status === 'completed' ? 0 : 130;
}

export function formatResult(r: TrainResult): string {
  const weights = r.weights ? `weights of epoch ${r.weights.epoch} (${r.weights.rule === 'final' ? 'final; no early stopping' : 'lowest validation loss'})` : 'no epoch completed';
  const timings = `features ${((r.timings.featuresMs ?? 0) / 1000).toFixed(1)} s, training ${(r.timings.trainMs / 1000).toFixed(1)} s (${r.timings.msPerEpoch.toFixed(0)} ms/epoch)`;
  const lines = [
    `Experiment ${r.experimentId}: ${outcomeText(r.status, r.folds ?? null)}${r.leaky ? '  [LEAKY: augmented copies reach validation; numbers are inflated]' : ''}`,
    `  protocol: ${r.protocol}`,
    r.folds ? `  backend: ${r.backend}; ${r.epochs} epochs over the folds; ${timings}` : `  backend: ${r.backend}; ${r.epochs} epochs, ${weights}; ${timings}`,
    `  rows: train ${r.split.trainRows} (${r.split.trainClips} clips), validation ${r.split.valRows} (${r.split.valClips} clips)`,
  ];
  const score = (v: number) => v.toFixed(3);
  if (r.folds) {
    const f = r.folds;
    lines.push(`  accuracy ${formatMeanSd(f.accuracy, score)}, macro F1 ${formatMeanSd(f.macroF1, score)} ${foldsText(f)}; pooled accuracy ${score(f.pooledAccuracy)}`);
  } else if (r.accuracy !== null && r.macroF1 !== null && r.weightedF1 !== null) {
    lines.push(`  accuracy ${r.accuracy.toFixed(4)}, macro F1 ${r.macroF1.toFixed(4)}, weighted F1 ${r.weightedF1.toFixed(4)}`);
  } else {
    lines.push('  no scores: the run stopped before a model was evaluated');
  }
  const labels = Object.keys(r.perClass);
  if (labels.length) {
    const w = Math.max(9, ...labels.map((l) => l.length));
    lines.push('', `  ${'class'.padEnd(w)}  precision  recall  f1-score  support`);
    for (const l of labels) {
      const m = r.perClass[l];
      lines.push(`  ${l.padEnd(w)}  ${m.precision.toFixed(3).padStart(9)}  ${m.recall.toFixed(3).padStart(6)}  ${m.f1.toFixed(3).padStart(8)}  ${String(m.support).padStart(7)}`);
    }
  }
  return lines.join('\n');
}
