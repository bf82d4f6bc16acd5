import { AUG_NAMES, parseSplitSpec, TrainRequestSchema, type TrainProgress, type TrainResult } from '../../shared/experiment';
import { startTrainingJob } from '../../core/jobs/job-host';
import { resolveWorkspaceDir } from '../../core/workspace/location';
import { openWorkspace } from '../../core/workspace/workspace';
import { formatZod } from '../../core/api/service';
import { jsonOption, parseCommandArgs, UsageError, workspaceOption } from '../args';
import { progressBar } from '../output';

export const trainUsage =
  'ser-studio train --dataset NAME [--split stratified|speaker|kfold:K|speaker-kfold:K] [--val 0.2] [--seed 42] ' +
  '[--augment noise,pitch,stretch,shift,gain|none] [--copies 5] [--epochs 100] [--patience 10] [--batch 32] [--lr 0.001] ' +
  '[--backend auto|tensorflow|wasm|cpu] [--workers N] [--leaky] [--workspace W] [--json]';

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got '${v}')`);
  return n;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    dataset: { type: 'string', short: 'd' },
    split: { type: 'string', default: 'stratified' },
    val: { type: 'string' },
    seed: { type: 'string' },
    augment: { type: 'string' },
    copies: { type: 'string' },
    epochs: { type: 'string' },
    patience: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    backend: { type: 'string' },
    workers: { type: 'string' },
    leaky: { type: 'boolean', default: false },
    ...workspaceOption,
    ...jsonOption,
  });
  if (!values.dataset) throw new UsageError(`--dataset is required\nusage: ${trainUsage}`);
  let split;
  try {
    split = parseSplitSpec(values.split!, num('val', values.val) ?? 0.2);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
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
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      log('Stopping after the current batch (Ctrl-C again to kill)...');
      job.cancel();
    } else job.kill();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await job.result;
    bar.done();
    if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stdout.write(formatResult(result) + '\n');
    return result.status === 'completed' ? 0 : 130;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export function formatResult(r: TrainResult): string {
  const lines = [
    `Experiment ${r.experimentId}: ${r.status}${r.leaky ? '  [LEAKY: augmented copies reach validation; numbers are inflated]' : ''}`,
    `  protocol: ${r.protocol}`,
    `  backend: ${r.backend}; ${r.epochs} epochs (best ${r.bestEpoch}); features ${(r.timings.featuresMs / 1000).toFixed(1)} s, training ${(r.timings.trainMs / 1000).toFixed(1)} s (${r.timings.msPerEpoch.toFixed(0)} ms/epoch)`,
    `  rows: train ${r.split.trainRows} (${r.split.trainClips} clips), validation ${r.split.valRows} (${r.split.valClips} clips)`,
  ];
  if (r.folds) {
    const f = r.folds;
    lines.push(`  accuracy ${f.accuracy.mean.toFixed(3)} ± ${f.accuracy.sd.toFixed(3)}, macro F1 ${f.macroF1.mean.toFixed(3)} ± ${f.macroF1.sd.toFixed(3)} over ${f.k} folds`);
  } else {
    lines.push(`  accuracy ${r.accuracy.toFixed(4)}, macro F1 ${r.macroF1.toFixed(4)}, weighted F1 ${r.weightedF1.toFixed(4)}`);
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
