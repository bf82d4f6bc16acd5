// What a researcher does with a recorded run: per-speaker accuracy, seed groups, name and notes, delete.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotateExperiment, deleteExperiment, planExperimentDelete } from '../../../src/core/experiments/manage';
import { experimentDetail, listExperiments } from '../../../src/core/experiments/queries';
import { runExperiment } from '../../../src/core/experiments/run';
import { speakerScores } from '../../../src/core/experiments/speakers';
import { experimentReport } from '../../../src/core/report/experiment-report';
import { markdownText } from '../../../src/core/report/markdown';
import { ExperimentStore } from '../../../src/core/store/experiments';
import type { Workspace } from '../../../src/core/workspace/workspace';
import { seedGroups } from '../../../src/shared/seed-groups';
import { demoWorkspace } from '../../helpers/demo-workspace';
import { readManifestSpeakers } from '../../helpers/demo-speakers';

let ws: Workspace;
beforeAll(async () => {
  ws = await demoWorkspace('manage-ws');
});
afterAll(() => ws.close());

const base = { dataset: 'demo', augment: [], copies: 0, epochs: 2, patience: 0, backend: 'cpu' as const, seed: 3 };

describe('accuracy per held-out speaker', () => {
  it('counts each speaker’s validation clips and right predictions (hand-checked)', () => {
    // Clips 0-5: speakers a, a, b, b, b, null. Validation rows: clips 0, 2, 3, 4, 5 (1 trains).
    const speakers = ['a', 'a', 'b', 'b', 'b', null];
    const val = [0, 2, 3, 4, 5].map((clip) => ({ clip, augId: '' }));
    const yTrue = [1, 0, 2, 2, 1];
    const yPred = [1, 1, 2, 0, 1];
    // a: clip 0 right -> 1/1; b: clips 2 (wrong), 3 (right), 4 (wrong) -> 1/3; no speaker: clip 5 right -> 1/1.
    expect(speakerScores(val, yTrue, yPred, speakers)).toEqual([
      { speaker: '', clips: 1, correct: 1 },
      { speaker: 'a', clips: 1, correct: 1 },
      { speaker: 'b', clips: 3, correct: 1 },
    ]);
    expect(speakerScores([], [], [], speakers)).toEqual([]);
  });

  it('records a speaker hold-out run’s scores: its held-out speakers, adding up to its accuracy', async () => {
    const r = await runExperiment(ws, { ...base, split: { kind: 'speaker', valFraction: 0.25 } });
    const d = experimentDetail(ws.db, r.experimentId)!;
    const held = JSON.parse(new ExperimentStore(ws.db).get(r.experimentId)!.protocol).heldOutSpeakers as string[];
    expect(d.perSpeaker!.map((s) => s.speaker)).toEqual([...held].sort());
    const bySpeaker = readManifestSpeakers();
    for (const s of d.perSpeaker!) expect(s.clips).toBe(bySpeaker.get(s.speaker));
    const clips = d.perSpeaker!.reduce((a, s) => a + s.clips, 0);
    const correct = d.perSpeaker!.reduce((a, s) => a + s.correct, 0);
    expect(clips).toBe(r.split.valClips);
    expect(correct / clips).toBeCloseTo(r.accuracy!, 12);
    // The diagonal of the confusion matrix is the same right answers.
    expect(correct).toBe(r.confusion.matrix.reduce((a, row, i) => a + row[i], 0));
  });

  it('gives a leave-speakers-out cross-validation every speaker once, from its folds', async () => {
    const r = await runExperiment(ws, { ...base, epochs: 1, split: { kind: 'speaker-kfold', k: 2 } });
    const d = experimentDetail(ws.db, r.experimentId)!;
    const bySpeaker = readManifestSpeakers();
    expect(d.perSpeaker!.map((s) => s.speaker)).toEqual([...bySpeaker.keys()].sort());
    for (const s of d.perSpeaker!) expect(s.clips).toBe(bySpeaker.get(s.speaker));
    expect(d.perSpeaker!.reduce((a, s) => a + s.correct, 0)).toBe(r.confusion.matrix.reduce((a, row, i) => a + row[i], 0));
    for (const c of d.children) expect(experimentDetail(ws.db, c.id)!.perSpeaker!.length).toBeGreaterThan(0);
  });

  it('is not recorded for other protocols, nor by runs from before it was kept', async () => {
    const r = await runExperiment(ws, base);
    expect(experimentDetail(ws.db, r.experimentId)!.perSpeaker).toBeNull();
    const older = await runExperiment(ws, { ...base, seed: 4, split: { kind: 'speaker', valFraction: 0.25 } });
    ws.db.prepare('UPDATE experiments SET speaker_scores = NULL WHERE id = ?').run(older.experimentId);
    expect(experimentDetail(ws.db, older.experimentId)!.perSpeaker).toBeNull();
  });
});

describe('seed groups of recorded runs', () => {
  it('share a config key exactly when the config is equal but for the seed', async () => {
    const a = await runExperiment(ws, { ...base, seed: 10 });
    const b = await runExperiment(ws, { ...base, seed: 11, workers: 1 });
    const c = await runExperiment(ws, { ...base, seed: 12, epochs: 3 });
    const list = listExperiments(ws.db);
    const key = (id: number) => list.find((e) => e.id === id)!.configKey;
    expect(key(a.experimentId)).toBe(key(b.experimentId));
    expect(key(c.experimentId)).not.toBe(key(a.experimentId));
    const group = seedGroups(list).find((g) => g.runs.some((r) => r.id === a.experimentId))!;
    expect(group.seeds).toContain(10);
    expect(group.seeds).toContain(11);
    expect(group.seeds).not.toContain(12);
    expect(list.find((e) => e.id === a.experimentId)).toMatchObject({ protocolKind: 'stratified', name: null, notes: null });
  });
});

describe('name and notes', () => {
  it('sets, keeps and clears them', async () => {
    const r = await runExperiment(ws, { ...base, seed: 20 });
    const id = r.experimentId;
    expect(annotateExperiment(ws, { id, name: '  baseline  ', notes: 'reference settings\nsecond line' })).toEqual({ id, name: 'baseline', notes: 'reference settings\nsecond line' });
    expect(annotateExperiment(ws, { id, notes: 'changed' })).toEqual({ id, name: 'baseline', notes: 'changed' });
    expect(listExperiments(ws.db).find((e) => e.id === id)).toMatchObject({ name: 'baseline', notes: 'changed' });
    expect(annotateExperiment(ws, { id, name: '   ' })).toMatchObject({ name: null, notes: 'changed' });
    expect(annotateExperiment(ws, { id, notes: null })).toMatchObject({ name: null, notes: null });
    expect(() => annotateExperiment(ws, { id: 99_999, name: 'x' })).toThrow(/No experiment/);
  });

  it('opens the report with them', async () => {
    const r = await runExperiment(ws, { ...base, seed: 21 });
    annotateExperiment(ws, { id: r.experimentId, name: 'no augmentation', notes: 'checking the baseline' });
    const en = markdownText(experimentReport(ws.db, r.experimentId, 'en'));
    const intro = en.split('\n').find((l) => l.startsWith(`Experiment #${r.experimentId}`))!;
    expect(intro).toMatch(/The run is named “no augmentation”\.$/);
    expect(en).toContain('Notes: checking the baseline');
    expect(markdownText(experimentReport(ws.db, r.experimentId, 'ru'))).toContain('Название запуска: «no augmentation».');
    annotateExperiment(ws, { id: r.experimentId, name: null, notes: null });
    expect(markdownText(experimentReport(ws.db, r.experimentId, 'en'))).not.toMatch(/named|Notes:/);
  });
});

describe('deleting a run', () => {
  it('removes the run, its folds, their model folders, classifications made with them and their reports', async () => {
    const r = await runExperiment(ws, { ...base, seed: 30, split: { kind: 'kfold', k: 2 } });
    const d = experimentDetail(ws.db, r.experimentId)!;
    const foldIds = d.children.map((c) => c.id);
    const models = foldIds.map((id) => experimentDetail(ws.db, id)!.modelPath!);
    for (const m of models) expect(fs.existsSync(path.join(m, 'model.json'))).toBe(true);
    const classifyId = Number(
      ws.db
        .prepare(
          `INSERT INTO classify_runs (experiment_id, model_path, model, source_kind, source, status, labels, started_at)
           VALUES (?, ?, '{}', 'folder', '/x', 'completed', '[]', 'now')`,
        )
        .run(foldIds[0], models[0]).lastInsertRowid,
    );
    const reports = path.join(ws.dir, 'reports');
    for (const folder of [`experiment-${r.experimentId}-en`, `classify-${classifyId}-ru`]) fs.mkdirSync(path.join(reports, folder), { recursive: true });

    // A fold is not deleted alone.
    expect(() => deleteExperiment(ws, foldIds[0])).toThrow(expect.objectContaining({ code: 'bad_request', message: expect.stringMatching(new RegExp(`delete #${r.experimentId}`)) }));
    const plan = planExperimentDelete(ws, r.experimentId);
    expect(plan).toEqual({
      experiments: [r.experimentId, ...foldIds],
      modelDirs: models,
      classifyRuns: [classifyId],
      reportDirs: [`experiment-${r.experimentId}-en`, `classify-${classifyId}-ru`],
    });
    // Planning changes nothing.
    expect(fs.existsSync(models[0])).toBe(true);
    expect(deleteExperiment(ws, r.experimentId)).toEqual(plan);
    expect(new ExperimentStore(ws.db).get(r.experimentId)).toBeUndefined();
    for (const id of foldIds) expect(new ExperimentStore(ws.db).get(id)).toBeUndefined();
    for (const m of models) expect(fs.existsSync(m)).toBe(false);
    expect(ws.db.prepare('SELECT COUNT(*) AS n FROM classify_runs WHERE id = ?').get(classifyId)).toEqual({ n: 0 });
    expect(ws.db.prepare('SELECT COUNT(*) AS n FROM epochs WHERE experiment_id IN (?, ?, ?)').get(r.experimentId, ...foldIds)).toEqual({ n: 0 });
    expect(fs.readdirSync(reports)).toEqual([]);
    expect(() => deleteExperiment(ws, r.experimentId)).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('refuses while the run trains, or while a classification uses its model', async () => {
    const r = await runExperiment(ws, { ...base, seed: 31 });
    const id = r.experimentId;
    // Running in this very process: not an orphan.
    ws.db.prepare("UPDATE experiments SET status = 'running', pid = ? WHERE id = ?").run(process.pid, id);
    expect(() => deleteExperiment(ws, id)).toThrow(expect.objectContaining({ code: 'experiment_running', message: expect.stringMatching(/cancel it first/) }));
    ws.db.prepare("UPDATE experiments SET status = 'completed', pid = NULL WHERE id = ?").run(id);
    ws.db
      .prepare(
        `INSERT INTO classify_runs (experiment_id, model_path, model, source_kind, source, status, labels, started_at, pid)
         VALUES (?, '/m', '{}', 'folder', '/x', 'running', '[]', 'now', ?)`,
      )
      .run(id, process.pid);
    expect(() => deleteExperiment(ws, id)).toThrow(expect.objectContaining({ code: 'experiment_running', message: expect.stringMatching(/Classification #\d+ is using/) }));
    const model = experimentDetail(ws.db, id)!.modelPath!;
    expect(fs.existsSync(model)).toBe(true);
    ws.db.prepare("UPDATE classify_runs SET status = 'completed' WHERE experiment_id = ?").run(id);
    expect(deleteExperiment(ws, id).experiments).toEqual([id]);
    expect(fs.existsSync(model)).toBe(false);
  });
});
