import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../src/core/store/db';
import { LATEST_SCHEMA_VERSION, migrations } from '../../../src/core/store/migrations/index';
import { ClassifyRunStore } from '../../../src/core/store/classify-runs';
import { ExperimentStore } from '../../../src/core/store/experiments';
import { ModelStore } from '../../../src/core/store/models';
import { tempDir } from '../../helpers/make-wav';

function seed(db: ReturnType<typeof openDatabase>): number {
  db.prepare("INSERT INTO datasets (name, source, source_kind, created_at, updated_at) VALUES ('d', '/d', 'folder', 'now', 'now')").run();
  const id = new ExperimentStore(db).create({
    datasetId: 1,
    protocol: { kind: 'stratified', valFraction: 0.2, seed: 1 },
    leaky: false,
    config: {},
    seed: 1,
    featureConfigHash: 'h',
    datasetHash: 'dh',
    versions: {},
  });
  db.prepare("INSERT INTO models (experiment_id, path, format, labels, input_dims, feature_config, standardizer, created_at) VALUES (?, '/m', 'tfjs-layers', '[]', 166, '{}', '{}', 'now')").run(id);
  return id;
}

const row = (idx: number, error: boolean) => ({
  idx,
  file: `f${idx}.wav`,
  absPath: `/x/f${idx}.wav`,
  sha256: error ? null : 'a'.repeat(64),
  labelTrue: 'anger',
  labelPred: error ? null : 'anger',
  confidence: error ? null : 0.75,
  probabilities: error ? null : [0.75, 0.25],
  durationSec: error ? null : 1.5,
  sampleRate: error ? null : 16000,
  error: error ? { code: 'empty', message: `f${idx}.wav: the file is empty (0 bytes)` } : null,
});

describe('classify runs store (migration 5)', () => {
  it('migrates a version-4 workspace: its models keep their rows, without hashes until first use', () => {
    const dir = tempDir('db-v4');
    const v4 = openDatabase(dir, { migrations: migrations.slice(0, 4) });
    const id = seed(v4);
    v4.close();
    const db = openDatabase(dir);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const models = new ModelStore(db);
    expect(models.byExperiment(id)).toMatchObject({ path: '/m', model_json_sha256: null, weights_sha256: null, hashes_recorded: null });
    models.setHashesOnFirstUse(id, { modelJson: 'b'.repeat(64), weights: 'c'.repeat(64) });
    expect(models.byExperiment(id)).toMatchObject({ model_json_sha256: 'b'.repeat(64), hashes_recorded: 'first-use' });
    expect(models.byHashes('b'.repeat(64), 'c'.repeat(64))?.experiment_id).toBe(id);
    db.close();
  });

  it('records a run with its predictions, and deletes both with their experiment', () => {
    const db = openDatabase(tempDir('db-classify'));
    const exp = seed(db);
    const store = new ClassifyRunStore(db);
    const base = { modelPath: '/m', model: { any: 'identity' }, sourceKind: 'folder' as const, source: { kind: 'folder', path: '/x' }, labels: ['anger', 'sadness'], workers: 2 };
    const run = store.create({ ...base, experimentId: exp });
    const elsewhere = store.create({ ...base, experimentId: null });
    expect(store.get(run)).toMatchObject({ status: 'running', pid: process.pid, experiment_id: exp });
    store.finish(run, { status: 'completed', backend: 'cpu', counts: { files: 2, classified: 1, failed: 1, skipped: 0 } }, [row(0, false), row(1, true)]);
    expect(store.get(run)).toMatchObject({ status: 'completed', backend: 'cpu', files_total: 2, files_classified: 1, files_failed: 1, pid: null });
    expect(store.predictions(run).map((p) => [p.idx, p.label_pred, p.error_code])).toEqual([
      [0, 'anger', null],
      [1, null, 'empty'],
    ]);
    db.prepare('DELETE FROM experiments WHERE id = ?').run(exp);
    expect(store.get(run)).toBeUndefined();
    expect(store.predictions(run)).toEqual([]);
    // A run with a model folder from elsewhere belongs to no experiment here.
    expect(store.get(elsewhere)).toMatchObject({ experiment_id: null });
    db.close();
  });

  it('marks runs of dead processes interrupted, leaving live ones alone', () => {
    const db = openDatabase(tempDir('db-orphans'));
    const store = new ClassifyRunStore(db);
    const a = store.create({ experimentId: null, modelPath: '/m', model: {}, sourceKind: 'files', source: {}, labels: [], workers: 1 });
    const b = store.create({ experimentId: null, modelPath: '/m', model: {}, sourceKind: 'files', source: {}, labels: [], workers: 1 });
    db.prepare('UPDATE classify_runs SET pid = 111 WHERE id = ?').run(a);
    db.prepare('UPDATE classify_runs SET pid = 222 WHERE id = ?').run(b);
    expect(store.markOrphansInterrupted((pid) => pid === 222)).toBe(1);
    expect(store.get(a)?.status).toBe('interrupted');
    expect(store.get(b)?.status).toBe('running');
    db.close();
  });
});
