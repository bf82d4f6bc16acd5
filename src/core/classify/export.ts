/**
 * What leaves SER Studio after a classification: the predictions as CSV or the whole result as JSON, and a
 * model as a folder (export-model) that another workspace or machine classifies with.
 *
 * CSV: one row per audio file, in input order: file,label_pred,confidence,p_<class>... (the model's label
 * order), then label_true when the true labels are known, then error,error_message. A file that could not
 * be classified keeps its row with an empty prediction and its error code and sentence. Files skipped as
 * not audio are not rows (they are in the JSON's `skipped` and the terminal summary).
 * JSON: the ClassifyResult (src/shared/classify.ts): model, counts, every prediction, skipped files,
 * evaluation, corpus relation, notices, timings.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MODEL_FILES } from '../../shared/classify-params';
import type { ClassifyResult, ModelIdentity, ModelRef } from '../../shared/classify';
import { ApiError } from '../../shared/errors';
import type { Workspace } from '../workspace/workspace';
import { resolveModel } from './model';

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function predictionsCsv(r: ClassifyResult): string {
  const withTruth = r.evaluation !== null;
  const header = ['file', 'label_pred', 'confidence', ...r.labels.map((l) => `p_${l}`), ...(withTruth ? ['label_true'] : []), 'error', 'error_message'];
  const lines = [header.map(csvCell).join(',')];
  for (const p of r.predictions) {
    const probs = r.labels.map((_, i) => p.probabilities?.[i] ?? null);
    lines.push(
      [p.file, p.labelPred, p.confidence, ...probs, ...(withTruth ? [p.labelTrue] : []), p.error?.code ?? null, p.error?.message ?? null].map(csvCell).join(','),
    );
  }
  return lines.join('\n') + '\n';
}

export function resultJson(r: ClassifyResult): string {
  return JSON.stringify(r, null, 1) + '\n';
}

export type ExportFormat = 'csv' | 'json';

/** The format a file name asks for (.csv or .json), or null. */
export function exportFormatOf(file: string): ExportFormat | null {
  const ext = path.extname(file).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.json' ? 'json' : null;
}

export async function writeClassifyExport(file: string, r: ClassifyResult): Promise<void> {
  const format = exportFormatOf(file);
  if (!format) throw new ApiError('bad_option', `${file}: the export must end in .csv (predictions) or .json (everything)`);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, format === 'csv' ? predictionsCsv(r) : resultJson(r));
}

export interface ModelExport {
  dir: string;
  files: string[];
  identity: ModelIdentity;
  notices: string[];
}

/**
 * Writes a workspace model as a folder (model.json, weights.bin, ser-model.json) after checking it: the
 * bytes copied are the ones whose hashes were checked. Refuses a folder that already holds a model.
 */
export async function exportModel(ws: Workspace, ref: ModelRef, outDir: string): Promise<ModelExport> {
  const model = await resolveModel(ws, ref);
  const dir = path.resolve(outDir);
  const present = await readdir(dir).catch(() => [] as string[]);
  const clash = Object.values(MODEL_FILES).filter((f) => present.includes(f));
  if (clash.length) throw new ApiError('bad_option', `${outDir} already holds a model (${clash.join(', ')}); choose an empty or new folder.`);
  await mkdir(dir, { recursive: true });
  const files = [
    [MODEL_FILES.modelJson, model.bytes.modelJson],
    [MODEL_FILES.weights, model.bytes.weights],
    [MODEL_FILES.card, model.bytes.card],
  ] as const;
  for (const [name, bytes] of files) await writeFile(path.join(dir, name), bytes);
  return { dir, files: files.map(([name]) => path.join(dir, name)), identity: model.identity, notices: model.notices };
}
