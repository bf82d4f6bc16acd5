import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { experimentDetail, listExperiments } from '../../../src/core/experiments/queries';
import { openDatabase, type Db } from '../../../src/core/store/db';
import { ExperimentStore, type NewExperiment } from '../../../src/core/store/experiments';
import { migrations } from '../../../src/core/store/migrations/index';
import { tempDir } from '../../helpers/make-wav';

let db: Db;
let store: ExperimentStore;
let datasetId: number;

function newRun(extra: Partial<NewExperiment> = {}): NewExperiment {
  return {
    datasetId,
    protocol: { kind: 'stratified', valFraction: 0.2, seed: 7, duplicateGroups: 0, nTrain: 8, nVal: 2 },
    leaky: false,
    config: { epochs: 5 },
    seed: 7,
    featureConfigHash: 'f'.repeat(16),
    datasetHash: 'd'.repeat(64),
    versions: { app: '0.1.0' },
    ...extra,
  };
}

function addDataset(d: Db): number {
  return Number(
    d.prepare("INSERT INTO datasets (name, source, source_kind, created_at, updated_at) VALUES ('demo', '/demo', 'folder', 'now', 'now')").run().lastInsertRowid,
  );
}

beforeEach(() => {
  db = openDatabase(tempDir('store-exp'));
  store = new ExperimentStore(db);
  datasetId = addDataset(db);
});
afterEach(() => db.close());

describe('ExperimentStore', () => {
  it('records a run from start to finish: epochs as they come, then metrics, confusion and weights', () => {
    const id = store.create(newRun());
    expect(store.get(id)).toMatchObject({ status: 'running', pid: process.pid, epochs_completed: 0, seed: 7 });
    store.setBackend(id, 'wasm');
    store.addEpoch(id, { epoch: 1, loss: 1.5, acc: 0.3, valLoss: 1.6, valAcc: 0.25, ms: 12 });
    store.addEpoch(id, { epoch: 2, loss: 1.2, acc: 0.5, valLoss: 1.3, valAcc: 0.5, ms: 11 });
    // A replayed epoch replaces its row instead of duplicating it, and the count never goes back.
    store.addEpoch(id, { epoch: 1, loss: 1.5, acc: 0.3, valLoss: 1.6, valAcc: 0.25, ms: 12 });
    expect(store.epochs(id).map((e) => e.epoch)).toEqual([1, 2]);
    expect(store.get(id)!.epochs_completed).toBe(2);

    store.finish(
      id,
      {
        status: 'completed',
        bestEpoch: 2,
        weights: { epoch: 2, rule: 'best-val-loss' },
        accuracy: 0.5,
        macroF1: 0.4,
        weightedF1: 0.45,
        split: { trainClips: 8, valClips: 2, trainRows: 8, valRows: 2 },
        timings: { trainMs: 23, msPerEpoch: 11.5 },
      },
      {
        perClass: [
          { label: 'a', precision: 1, recall: 1, f1: 1, support: 1 },
          { label: 'b', precision: 0, recall: 0, f1: 0, support: 1 },
        ],
        confusion: { labels: ['a', 'b'], matrix: [[1, 0], [1, 0]] },
      },
    );
    const row = store.get(id)!;
    expect(row).toMatchObject({ status: 'completed', backend: 'wasm', pid: null, best_epoch: 2, accuracy: 0.5 });
    expect(row.finished_at).toBeTruthy();
    expect(store.classMetrics(id).map((m) => m.label)).toEqual(['a', 'b']);
    // Zero cells are not stored; the detail rebuilds the full matrix.
    expect(store.confusion(id)).toHaveLength(2);
    const detail = experimentDetail(db, id)!;
    expect(detail.confusion).toEqual({ labels: ['a', 'b'], matrix: [[1, 0], [1, 0]] });
    expect(detail.weights).toEqual({ epoch: 2, rule: 'best-val-loss' });
    expect(detail.split).toEqual({ trainClips: 8, valClips: 2, trainRows: 8, valRows: 2 });
    expect(detail.protocol).toBe('stratified hold-out 80/20, seed 7');
    expect(detail.summary).toBeNull();
  });

  it('lists a cross-validation parent with its folds in fold order', () => {
    const parent = store.create(newRun({ protocol: { kind: 'kfold', k: 3, seed: 7 } }));
    const f1 = store.create(newRun({ parentId: parent, fold: 1, protocol: { kind: 'kfold', k: 3, fold: 1, seed: 7, duplicateGroups: 0, nTrain: 6, nVal: 3 } }));
    const f0 = store.create(newRun({ parentId: parent, fold: 0, protocol: { kind: 'kfold', k: 3, fold: 0, seed: 7, duplicateGroups: 0, nTrain: 6, nVal: 3 } }));
    expect(store.children(parent).map((c) => c.id)).toEqual([f0, f1]);
    const detail = experimentDetail(db, parent)!;
    expect(detail.protocol).toBe('stratified 3-fold cross-validation, seed 7');
    expect(detail.children.map((c) => c.protocol)).toEqual(['stratified 3-fold (fold 1), seed 7', 'stratified 3-fold (fold 2), seed 7']);
    // Newest first.
    expect(listExperiments(db).map((e) => e.id)).toEqual([f0, f1, parent]);
  });

  it('marks runs of dead processes interrupted, and leaves live and own runs alone', () => {
    const mine = store.create(newRun());
    const dead = store.create(newRun());
    const alive = store.create(newRun());
    db.prepare('UPDATE experiments SET pid = ? WHERE id = ?').run(999_999_991, dead);
    db.prepare('UPDATE experiments SET pid = ? WHERE id = ?').run(999_999_992, alive);
    store.addEpoch(dead, { epoch: 1, loss: 1, acc: 0.5, valLoss: 1, valAcc: 0.5, ms: 1 });
    const n = store.markOrphansInterrupted((pid) => pid === 999_999_992);
    expect(n).toBe(1);
    expect(store.get(dead)).toMatchObject({ status: 'interrupted', pid: null, error: 'the training process ended unexpectedly' });
    expect(store.epochs(dead)).toHaveLength(1);
    expect(store.get(alive)!.status).toBe('running');
    expect(store.get(mine)!.status).toBe('running');
  });

  it('deletes a run with everything it recorded', () => {
    const id = store.create(newRun());
    store.addEpoch(id, { epoch: 1, loss: 1, acc: 0.5, valLoss: 1, valAcc: 0.5, ms: 1 });
    store.saveModel(id, { path: '/m', format: 'tfjs-layers', labels: ['a'], inputDims: 166, featureConfig: {}, standardizer: { mean: [], std: [] } });
    db.prepare('DELETE FROM datasets WHERE id = ?').run(datasetId);
    expect(store.get(id)).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM epochs').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM models').get()).toEqual({ n: 0 });
  });
});

describe('runs recorded by earlier versions', () => {
  it('are read into today’s shapes: a leaky hold-out, a k-fold parent whose single fold had sd 0, best weights', () => {
    const dir = tempDir('store-old');
    const v3 = openDatabase(dir, { migrations: migrations.slice(0, 3) });
    const ds = addDataset(v3);
    const insert = v3.prepare(
      `INSERT INTO experiments (dataset_id, status, protocol, leaky, config, seed, feature_config_hash, dataset_hash, versions, started_at, best_epoch, summary)
       VALUES (?, ?, ?, ?, '{}', 42, 'f', 'd', '{}', 'then', ?, ?)`,
    );
    const leaky = Number(
      insert.run(ds, 'completed', JSON.stringify({ kind: 'stratified', leaky: true, valFraction: 0.2, seed: 42, text: 'old words' }), 1, 9, null).lastInsertRowid,
    );
    const m = { mean: 0.631, sd: 0, n: 1 };
    const oldParent = { folds: { folds: 1, accuracy: m, macroF1: m, weightedF1: m, perClassF1: { a: m } }, pooledAccuracy: 0.631 };
    const parent = Number(
      insert.run(ds, 'cancelled', JSON.stringify({ kind: 'speaker-kfold', k: 3, seed: 42, text: 'old words' }), 0, null, JSON.stringify(oldParent)).lastInsertRowid,
    );
    v3.close();

    const now = openDatabase(dir);
    const l = experimentDetail(now, leaky)!;
    expect(l.protocol).toBe('LEAKY (augmented before the split; for demonstration only) stratified 80/20, seed 42');
    // Earlier versions always restored the best epoch: migration 4 says so.
    expect(l.weights).toEqual({ epoch: 9, rule: 'best-val-loss' });
    const p = experimentDetail(now, parent)!;
    expect(p.protocol).toBe('leave-speakers-out 3-fold cross-validation, seed 42');
    expect(p.foldsSummary).toMatchObject({ k: 3, completed: 1, accuracy: { mean: 0.631, sd: null, n: 1 }, perClassF1: { a: { sd: null } } });
    expect(listExperiments(now).find((e) => e.id === parent)).toMatchObject({ folds: { k: 3, completed: 1 }, accuracySd: null });
    now.close();
  });
});
