/**
 * What a researcher does to a recorded run besides reading it: name and annotate it, or delete it with
 * everything that belongs to it (its folds, its models on disk, the classification runs made with them and
 * the reports written of them). A run that is training, or a model a classification is using, is never deleted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/errors';
import { LANGS } from '../../shared/i18n/types';
import { reportFolderName } from '../../shared/report-params';
import { reportsRoot } from '../report/files';
import { ExperimentStore } from '../store/experiments';
import type { Workspace } from '../workspace/workspace';

export interface Annotation {
  id: number;
  name: string | null;
  notes: string | null;
}

/** Sets a run's name and/or notes (undefined leaves one as it is; blank text clears it). */
export function annotateExperiment(ws: Workspace, input: { id: number; name?: string | null; notes?: string | null }): Annotation {
  const store = new ExperimentStore(ws.db);
  const row = store.get(input.id);
  if (!row) throw new ApiError('not_found', `No experiment with id ${input.id} in this workspace.`);
  const clean = (v: string | null | undefined, current: string | null) => (v === undefined ? current : v === null || !v.trim() ? null : v.trim());
  const name = clean(input.name, row.name);
  const notes = clean(input.notes, row.notes);
  store.annotate(input.id, name, notes);
  return { id: input.id, name, notes };
}

/** What deleting a run removes: ids and paths, so the window can name them before asking. */
export interface DeletePlan {
  /** The run and, for a cross-validation, its folds. */
  experiments: number[];
  /** Model folders on disk (inside the workspace's models folder). */
  modelDirs: string[];
  /** Classification runs made with its models (recorded with them; their rows go too). */
  classifyRuns: number[];
  /** Report folders written of the run or of those classifications (relative to the reports folder). */
  reportDirs: string[];
}

export function planExperimentDelete(ws: Workspace, id: number): DeletePlan {
  const store = new ExperimentStore(ws.db);
  // A run left 'running' by a process that is gone is interrupted, and may be deleted like any other.
  store.markOrphansInterrupted();
  const row = store.get(id);
  if (!row) throw new ApiError('not_found', `No experiment with id ${id} in this workspace.`);
  if (row.parent_id !== null) {
    throw new ApiError('bad_request', `Experiment #${id} is fold ${(row.fold ?? 0) + 1} of the cross-validation #${row.parent_id}: delete #${row.parent_id} (with all its folds) instead.`);
  }
  const rows = [row, ...store.children(id)];
  const running = rows.filter((r) => r.status === 'running');
  if (running.length) {
    throw new ApiError('experiment_running', `Experiment #${id} is training${running[0].id !== id ? ` (fold #${running[0].id})` : ''}: cancel it first, then delete it.`);
  }
  const ids = rows.map((r) => r.id);
  const marks = ids.map(() => '?').join(', ');
  const models = ws.db.prepare(`SELECT path FROM models WHERE experiment_id IN (${marks}) ORDER BY experiment_id`).all(...ids) as { path: string }[];
  const classify = ws.db.prepare(`SELECT id, status FROM classify_runs WHERE experiment_id IN (${marks}) ORDER BY id`).all(...ids) as { id: number; status: string }[];
  const busy = classify.find((c) => c.status === 'running');
  if (busy) throw new ApiError('experiment_running', `Classification #${busy.id} is using a model of experiment #${id}: cancel it first, then delete the experiment.`);
  const root = reportsRoot(ws.dir);
  const reportDirs = [
    ...ids.flatMap((experimentId) => LANGS.map((lang) => reportFolderName({ experimentId }, lang))),
    ...classify.flatMap((c) => LANGS.map((lang) => reportFolderName({ classifyRunId: c.id }, lang))),
  ].filter((folder) => fs.existsSync(path.join(root, folder)));
  return {
    experiments: ids,
    modelDirs: models.map((m) => m.path).filter((p) => insideDir(ws.modelsDir, p) && fs.existsSync(p)),
    classifyRuns: classify.map((c) => c.id),
    reportDirs,
  };
}

/** Deletes the run as planned: its rows (folds, epochs, metrics, models, classifications cascade), then its folders. */
export function deleteExperiment(ws: Workspace, id: number): DeletePlan {
  const plan = planExperimentDelete(ws, id);
  ws.db.prepare('DELETE FROM experiments WHERE id = ?').run(id);
  for (const dir of plan.modelDirs) fs.rmSync(dir, { recursive: true, force: true });
  const root = reportsRoot(ws.dir);
  for (const folder of plan.reportDirs) fs.rmSync(path.join(root, folder), { recursive: true, force: true });
  return plan;
}

/** Only folders the workspace made are removed: a model path elsewhere (edited by hand) is left alone. */
function insideDir(root: string, p: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(p));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
