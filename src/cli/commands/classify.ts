import fs from 'node:fs';
import { CLASSIFY_DEFAULTS } from '../../shared/classify-params';
import { ClassifyRequestSchema, type ClassifyProgress, type ClassifyResult, type ClassifySource } from '../../shared/classify';
import { ApiError } from '../../shared/errors';
import { BACKEND_CHOICES } from '../../shared/params';
import { formatZod } from '../../core/api/service';
import { exportFormatOf, writeClassifyExport } from '../../core/classify/export';
import { startClassifyJob } from '../../core/classify/job';
import { resolveWorkspaceDir } from '../../core/workspace/location';
import { openWorkspace } from '../../core/workspace/workspace';
import { jsonOption, parseCommandArgs, UsageError, workspaceOption } from '../args';
import { awaitJob, formatDuration, progressBar, table } from '../output';

export const classifyUsage =
  'ser-studio classify (--experiment ID [--fold N] | --model DIR) <DIR|CSV|FILE...> [--out FILE.csv|FILE.json] [--workers N] ' +
  `[--backend ${BACKEND_CHOICES.join('|')}] [--batch ${CLASSIFY_DEFAULTS.batchSize}] [--workspace W] [--json]`;

/** Failed files listed one by one in the summary; beyond this, counts per reason (all are in --out FILE.json). */
const LIST_LIMIT = 50;

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number (got '${v}')`);
  return n;
}

/** One folder, one CSV manifest, or audio files. */
export function sourceOf(paths: string[]): ClassifySource {
  if (paths.length === 1) {
    const p = paths[0];
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) throw new ApiError('source_not_found', `${p}: no such file or folder`);
    if (st.isDirectory()) return { kind: 'folder', path: p };
    if (/\.(csv|tsv)$/i.test(p)) return { kind: 'manifest', path: p };
    return { kind: 'files', paths };
  }
  const dirs = paths.filter((p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory());
  if (dirs.length) throw new UsageError(`give one folder, one CSV manifest, or a list of audio files (${dirs[0]} is a folder among ${paths.length} paths)`);
  return { kind: 'files', paths };
}

export async function classifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    experiment: { type: 'string', short: 'e' },
    fold: { type: 'string' },
    model: { type: 'string', short: 'm' },
    out: { type: 'string', short: 'o' },
    workers: { type: 'string' },
    backend: { type: 'string' },
    batch: { type: 'string' },
    ...workspaceOption,
    ...jsonOption,
  });
  if ((values.experiment === undefined) === (values.model === undefined)) {
    throw new UsageError(`give the model with --experiment ID or --model DIR (one of them)\nusage: ${classifyUsage}`);
  }
  if (values.fold !== undefined && values.experiment === undefined) throw new UsageError('--fold goes with --experiment (a cross-validation)');
  if (!positionals.length) throw new UsageError(`expected a folder, a CSV manifest or audio files to classify\nusage: ${classifyUsage}`);
  if (values.out !== undefined && !exportFormatOf(values.out)) throw new UsageError(`--out must end in .csv (predictions) or .json (everything), got '${values.out}'`);
  const experimentId = positiveInt('experiment', values.experiment);
  const fold = positiveInt('fold', values.fold);
  const parsed = ClassifyRequestSchema.safeParse({
    model: experimentId !== undefined ? { experimentId, ...(fold !== undefined ? { fold: fold - 1 } : {}) } : { dir: values.model },
    source: sourceOf(positionals),
    backend: values.backend,
    workers: positiveInt('workers', values.workers),
    batchSize: positiveInt('batch', values.batch),
  });
  if (!parsed.success) throw new UsageError(formatZod(parsed.error));

  const workspace = resolveWorkspaceDir(values.workspace);
  openWorkspace(workspace).close(); // fail fast (and migrate) before starting the job
  const bar = progressBar();
  const log = (line: string) => {
    if (values.json) return;
    bar.done();
    process.stderr.write(line + '\n');
  };
  const job = startClassifyJob(workspace, parsed.data, (p: ClassifyProgress) => {
    if (p.phase === 'reading') bar.update(p.done, p.total, 'reading and hashing');
    else if (p.phase === 'features') {
      const eta = p.etaSec === null ? '' : `, ${formatDuration(p.etaSec)} left`;
      bar.update(p.done, p.total, `features${p.cached ? ` (${p.cached} cached)` : ''}, ${p.clipsPerSec.toFixed(0)} clips/s${eta}`);
    } else if (p.phase === 'inference') bar.update(p.done, p.total, 'classifying');
    else if (p.phase === 'status') log(p.message);
  });
  const result = await awaitJob(job, 'Stopping: the files done so far are classified and recorded', log);
  bar.done();
  if (values.out) await writeClassifyExport(values.out, result);
  if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
  else process.stdout.write(formatClassifyResult(result) + (values.out ? `\n\nwritten: ${values.out}` : '') + '\n');
  if (result.status === 'cancelled') return 130;
  return result.counts.failed > 0 ? 1 : 0;
}

const score = (v: number) => v.toFixed(3);

export function formatClassifyResult(r: ClassifyResult): string {
  const m = r.model;
  const where = m.experimentId !== null ? `experiment ${m.experimentId}` : `${m.path} (experiment ${m.origin.experimentId} of another workspace)`;
  const fold = m.origin.fold !== null ? `, fold ${m.origin.fold + 1}` : '';
  const c = r.counts;
  const t = r.timings;
  const lines = [
    `Classify run ${r.runId}: ${r.status}${t ? ` in ${formatDuration(t.totalMs / 1000)} (${t.clipsPerSec.toFixed(1)} files/s)` : ''}, backend ${r.backend ?? '-'}`,
    `  model: ${where}${fold}, trained on '${m.origin.dataset}' (${m.origin.protocol}); ${r.labels.length} classes: ${r.labels.join(', ')}`,
    `  files: ${c.files} audio, ${c.classified} classified, ${c.failed} failed${c.notReached ? `, ${c.notReached} not reached` : ''}; ${c.skipped} other file(s) skipped`,
  ];
  if (c.classified) lines.push(`  predicted: ${Object.entries(r.predictedCounts).map(([l, n]) => `${l} ${n}`).join(', ')}`);
  lines.push(`  ${r.corpus.message}`);
  const e = r.evaluation;
  if (e) {
    const unknown = e.unknownLabels.reduce((a, u) => a + u.files, 0);
    lines.push(
      `  true labels from the ${e.labelSource === 'folder' ? 'sub-folder names' : "manifest's label column"}: ${e.known?.files ?? 0} file(s) of the model's classes` +
        (unknown ? `, ${unknown} with labels the model does not know (counted apart)` : ''),
    );
    if (e.known) {
      const k = e.known;
      lines.push(`  accuracy ${score(k.accuracy)}, macro F1 ${score(k.macroF1)}, weighted F1 ${score(k.weightedF1)} over ${k.files} file(s)${r.corpus.relation === 'cross-corpus' ? ' (cross-corpus)' : ''}`);
      if (e.excludingTrainingClips) {
        const h = e.excludingTrainingClips;
        lines.push(`  without the model's training clips: accuracy ${score(h.accuracy)}, macro F1 ${score(h.macroF1)} over ${h.files} file(s)`);
      }
      lines.push('', indent(table([['class', 'precision', 'recall', 'f1-score', 'support'], ...k.confusion.labels.map((l) => {
        const pc = k.perClass[l];
        return [l, pc.precision.toFixed(3), pc.recall.toFixed(3), pc.f1.toFixed(3), pc.support];
      })])));
      lines.push('', '  confusion (rows: true class, columns: predicted)', indent(table([['', ...k.confusion.labels], ...k.confusion.labels.map((l, i) => [l, ...k.confusion.matrix[i]])])));
    }
    if (e.unknownLabels.length) {
      lines.push('', "  labels the model does not know (not scored):");
      for (const u of e.unknownLabels) {
        lines.push(`    ${u.label}: ${u.files} file(s), predicted as ${Object.entries(u.predicted).map(([l, n]) => `${l} ${n}`).join(', ')}`);
      }
    }
  }
  const failed = r.predictions.filter((p) => p.error);
  if (failed.length) {
    const byCode = new Map<string, number>();
    for (const p of failed) byCode.set(p.error!.code, (byCode.get(p.error!.code) ?? 0) + 1);
    lines.push('', `  failed (${failed.length}: ${[...byCode].map(([code, n]) => `${code} ${n}`).join(', ')}):`);
    for (const p of failed.slice(0, LIST_LIMIT)) lines.push(`    [${p.error!.code}] ${p.error!.message}`);
    if (failed.length > LIST_LIMIT) lines.push(`    ... and ${failed.length - LIST_LIMIT} more (all are in --out FILE.json / FILE.csv)`);
  }
  if (r.skipped.length) {
    lines.push('', `  skipped (${r.skipped.length}):`);
    for (const s of r.skipped.slice(0, LIST_LIMIT)) lines.push(`    [${s.code}] ${s.message}`);
    if (r.skipped.length > LIST_LIMIT) lines.push(`    ... and ${r.skipped.length - LIST_LIMIT} more (all are in --out FILE.json)`);
  }
  if (r.notices.length) lines.push('', ...r.notices.map((n) => `  note: ${n}`));
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
