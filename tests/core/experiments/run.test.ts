import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFiles } from '../../../src/core/classify/classify';
import { importDataset } from '../../../src/core/dataset/import';
import { featureConfigHash } from '../../../src/core/features/config';
import { FEATURE_PRESET_INFO } from '../../../src/shared/params';
import { experimentDetail, listExperiments } from '../../../src/core/experiments/queries';
import { runExperiment } from '../../../src/core/experiments/run';
import { outcomeText } from '../../../src/shared/outcome';
import { ExperimentStore } from '../../../src/core/store/experiments';
import type { Workspace } from '../../../src/core/workspace/workspace';
import type { TrainProgress } from '../../../src/shared/experiment';
import { demoWorkspace } from '../../helpers/demo-workspace';
import { pcm16Wav, tempDir, writeFile } from '../../helpers/make-wav';

let ws: Workspace;
beforeAll(async () => {
  ws = await demoWorkspace();
});
afterAll(() => ws.close());

// Small but real: the demo corpus, two cheap augmentations, a few epochs on the pure-JS backend.
const base = { dataset: 'demo', augment: ['gain', 'shift'] as ('gain' | 'shift')[], copies: 2, epochs: 6, patience: 3, backend: 'cpu' as const, seed: 7 };

describe('runExperiment', () => {
  it('splits first, augments training clips only, trains, and records everything', async () => {
    const events: TrainProgress[] = [];
    const r = await runExperiment(ws, base, { onProgress: (p) => events.push(p) });
    expect(r.status).toBe('completed');
    expect(r.backend).toBe('cpu');
    expect(r.protocol).toBe('stratified hold-out 80/20, seed 7');
    // 98 clips: 20 validation originals (ceil(0.2*98)), 78 training clips x (1 + 2 copies).
    expect(r.split).toEqual({ trainClips: 78, valClips: 20, trainRows: 234, valRows: 20 });
    expect(Object.values(r.perClass).reduce((a, m) => a + m.support, 0)).toBe(20);
    expect(r.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(20);
    expect(r.history.loss.length).toBe(r.epochs);
    expect(r.accuracy).toBeGreaterThan(1 / 7); // better than chance on the demo's distinct prosody
    expect(events.filter((e) => e.phase === 'epoch')).toHaveLength(r.epochs);
    expect(events.some((e) => e.phase === 'features')).toBe(true);

    const store = new ExperimentStore(ws.db);
    const row = store.get(r.experimentId)!;
    expect(row).toMatchObject({ status: 'completed', seed: 7, backend: 'cpu', epochs_completed: r.epochs, leaky: 0 });
    expect(row.dataset_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(row.versions)).toMatchObject({ backend: 'cpu', tfjs: expect.any(String), app: expect.any(String) });
    expect(JSON.parse(row.config)).toMatchObject({ copies: 2, augment: ['gain', 'shift'], batchSize: 32, learningRate: 0.001 });
    expect(store.epochs(r.experimentId)).toHaveLength(r.epochs);
    // Early stopping on: the best epoch's weights are kept, and the record says so.
    expect(r.weights).toEqual({ epoch: r.bestEpoch, rule: 'best-val-loss' });
    const detail = experimentDetail(ws.db, r.experimentId)!;
    expect(detail.weights).toEqual(r.weights);
    expect(detail.summary?.minValLossEpoch).toBe(r.bestEpoch);
    expect(detail.split).toEqual(r.split);
    expect(detail.timings?.trainMs).toBeGreaterThan(0);
    expect(store.classMetrics(r.experimentId)).toHaveLength(7);
    const model = ws.db.prepare('SELECT * FROM models WHERE experiment_id = ?').get(r.experimentId) as { path: string; standardizer: string };
    expect(fs.existsSync(path.join(model.path, 'model.json'))).toBe(true);
    expect(JSON.parse(model.standardizer).mean).toHaveLength(166);
  });

  it('repeats exactly with the same seed (features come from the cache the second time)', async () => {
    const a = await runExperiment(ws, base);
    const b = await runExperiment(ws, base);
    expect(b.history).toEqual(a.history);
    expect(b.perClass).toEqual(a.perClass);
  });

  it('labels the leaky protocol and shows augmented copies reaching validation', async () => {
    const r = await runExperiment(ws, { ...base, leaky: true });
    expect(r.leaky).toBe(true);
    expect(r.protocol).toBe('LEAKY (augmented before the split; for demonstration only) stratified 80/20, seed 7');
    expect(r.split.valRows).toBe(Math.ceil(0.2 * 98 * 3));
    expect(r.split.leakage).toBeGreaterThan(0.5);
  });

  it('runs k-fold and reports mean and sd over folds', async () => {
    const r = await runExperiment(ws, { ...base, split: { kind: 'speaker-kfold', k: 4 }, epochs: 2, copies: 0, augment: [] });
    expect(r.folds).toMatchObject({ k: 4, completed: 4, accuracy: { n: 4 } });
    expect(r.folds!.accuracy.sd).toBeGreaterThanOrEqual(0);
    expect(r.folds?.experimentIds).toHaveLength(4);
    expect(r.protocol).toBe('leave-speakers-out 4-fold cross-validation, seed 7');
    // Every clip is validated exactly once over the folds.
    expect(r.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(98);
    const store = new ExperimentStore(ws.db);
    const children = store.list().filter((e) => e.parent_id === r.experimentId);
    expect(children.map((c) => c.fold)).toEqual([0, 1, 2, 3]);
    for (const c of children) expect(JSON.parse(c.protocol).heldOutSpeakers).toHaveLength(1);
  });

  it('keeps the final weights without early stopping (patience 0), as Keras does without the callback', async () => {
    const r = await runExperiment(ws, { ...base, patience: 0, epochs: 4, copies: 0, augment: [] });
    expect(r.epochs).toBe(4);
    expect(r.weights).toEqual({ epoch: 4, rule: 'final' });
    expect(experimentDetail(ws.db, r.experimentId)!.weights).toEqual({ epoch: 4, rule: 'final' });
    // The reported scores are the final model's: they equal the last epoch's validation accuracy.
    expect(r.accuracy).toBeCloseTo(r.history.valAcc[3], 10);
  });

  it('records a cross-validation cancelled in fold 2 of 3 as incomplete, from the completed fold only', async () => {
    const controller = new AbortController();
    const r = await runExperiment(
      ws,
      { ...base, split: { kind: 'kfold', k: 3 }, epochs: 3, patience: 0, copies: 0, augment: [] },
      { signal: controller.signal, onProgress: (p) => p.phase === 'epoch' && p.fold === 1 && controller.abort() },
    );
    expect(r.status).toBe('cancelled');
    expect(r.folds).toMatchObject({ k: 3, completed: 1 });
    expect(r.folds!.experimentIds).toHaveLength(2);
    // One fold has no spread: no sd, and the mean is that fold's score.
    expect(r.folds!.accuracy).toMatchObject({ n: 1, sd: null });
    const fold0 = new ExperimentStore(ws.db).get(r.folds!.experimentIds[0])!;
    expect(r.folds!.accuracy.mean).toBe(fold0.accuracy);
    expect(r.accuracy).toBe(fold0.accuracy);
    // Pooled over the completed fold only: its validation clips, not those of the cancelled one.
    const fold0Val = JSON.parse(fold0.split!).valClips as number;
    expect(r.confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(fold0Val);
    expect(Object.values(r.perClass).reduce((a, m) => a + m.support, 0)).toBe(fold0Val);

    const listed = listExperiments(ws.db).find((e) => e.id === r.experimentId)!;
    expect(listed).toMatchObject({ status: 'cancelled', folds: { k: 3, completed: 1 }, accuracySd: null });
    expect(outcomeText(listed.status, listed.folds)).toBe('incomplete: 1 of 3 folds (cancelled)');
    const detail = experimentDetail(ws.db, r.experimentId)!;
    expect(detail.foldsSummary).toMatchObject({ k: 3, completed: 1 });
    expect(detail.perClass.reduce((a, m) => a + m.support, 0)).toBe(fold0Val);
    expect(detail.children.map((c) => c.status)).toEqual(['completed', 'cancelled']);
  });

  it('refuses a speaker split on a dataset without speakers, saying how to give it some', async () => {
    await importDataset(ws.db, { source: path.resolve('resources/demo'), name: 'demo-folders' });
    for (const split of [{ kind: 'speaker', valFraction: 0.2 }, { kind: 'speaker-kfold', k: 3 }] as const) {
      await expect(runExperiment(ws, { ...base, dataset: 'demo-folders', split })).rejects.toMatchObject({
        code: 'no_speakers',
        message: expect.stringMatching(/needs a speaker for every clip; 98 have none .*CSV manifest that has a speaker column/),
      });
    }
  });

  it('normalises per speaker (a hold-out and a cross-validation), records it in the config and the model card', async () => {
    const holdout = await runExperiment(ws, { ...base, split: { kind: 'speaker', valFraction: 0.25 }, normalize: 'speaker', epochs: 2 });
    expect(holdout.status).toBe('completed');
    const cv = await runExperiment(ws, { ...base, split: { kind: 'speaker-kfold', k: 2 }, normalize: 'speaker', epochs: 2, copies: 0, augment: [] });
    expect(cv.folds).toMatchObject({ k: 2, completed: 2 });
    const detail = experimentDetail(ws.db, holdout.experimentId)!;
    expect(detail.config.normalize).toBe('speaker');
    const model = ws.db.prepare('SELECT path FROM models WHERE experiment_id = ?').get(holdout.experimentId) as { path: string };
    expect(JSON.parse(fs.readFileSync(path.join(model.path, 'ser-model.json'), 'utf8'))).toMatchObject({ normalize: 'speaker' });
    // The default is global, and it is a different configuration from the speaker one.
    const global = await runExperiment(ws, { ...base, split: { kind: 'speaker', valFraction: 0.25 }, epochs: 2 });
    const g = experimentDetail(ws.db, global.experimentId)!;
    expect(g.config.normalize).toBe('global');
    expect(g.configKey).not.toBe(detail.configKey);
    expect(global.history).not.toEqual(holdout.history);
  });

  // 370 values today (tests/core/features/config.test.ts pins it); version and dimension as params.ts says
  const EXT = FEATURE_PRESET_INFO.extended;
  it('trains on the extended preset\'s 370-d rows, records the preset with the run and its card, and classifies with extended vectors', async () => {
    const request = { ...base, augment: [], copies: 0, epochs: 3, features: { preset: 'extended' as const } };
    const r = await runExperiment(ws, request);
    expect(r.status).toBe('completed');
    const detail = experimentDetail(ws.db, r.experimentId)!;
    expect(detail.config.features).toEqual({ blocks: ['mfcc', 'chroma', 'mel', 'contrast', 'tonnetz'], nMfcc: 13, sampleRate: 22050, preset: 'extended', presetVersion: EXT.version });
    expect(detail.featureConfigHash).toBe(featureConfigHash({ preset: 'extended' }));
    expect(detail.featureConfigHash).not.toBe(featureConfigHash({}));
    const model = ws.db.prepare('SELECT path, input_dims, standardizer FROM models WHERE experiment_id = ?').get(r.experimentId) as { path: string; input_dims: number; standardizer: string };
    expect(model.input_dims).toBe(EXT.dimension);
    expect(JSON.parse(model.standardizer).mean).toHaveLength(EXT.dimension);
    const card = JSON.parse(fs.readFileSync(path.join(model.path, 'ser-model.json'), 'utf8'));
    expect(card.features).toMatchObject({ config: { preset: 'extended', presetVersion: EXT.version }, dims: EXT.dimension, hash: detail.featureConfigHash });
    expect(card.mlp.inputDim).toBe(EXT.dimension);
    // the cached vectors are the extended ones, keyed apart from the reference's
    const cached = ws.db.prepare('SELECT COUNT(*) AS n FROM feature_cache WHERE config_hash = ?').get(detail.featureConfigHash) as { n: number };
    expect(cached.n).toBe(98);

    // classify reads the preset from the card: its extended vectors give the run's own validation accuracy on the clips it did not train on
    const c = await classifyFiles(ws, { model: { experimentId: r.experimentId }, source: { kind: 'manifest', path: path.resolve('resources/demo/manifest.csv') }, backend: 'cpu' });
    expect(c.status).toBe('completed');
    expect(c.predictions.filter((p) => p.error)).toEqual([]);
    expect(c.evaluation!.excludingTrainingClips!.files).toBe(r.split.valClips);
    expect(c.evaluation!.excludingTrainingClips!.accuracy).toBeCloseTo(r.accuracy!, 10);

    // the same request on reference-166 is another configuration on 166-d rows
    const ref = await runExperiment(ws, { ...request, features: { preset: 'reference-166' as const } });
    const refModel = ws.db.prepare('SELECT input_dims FROM models WHERE experiment_id = ?').get(ref.experimentId) as { input_dims: number };
    expect(refModel.input_dims).toBe(166);
    expect(experimentDetail(ws.db, ref.experimentId)!.config.features).toEqual({ blocks: ['mfcc', 'chroma', 'mel', 'contrast', 'tonnetz'], nMfcc: 13, sampleRate: 22050 });
  });

  it("leaves out, as too_short, a clip shorter than the extended preset's 9 frames that reference-166 takes", async () => {
    const root = tempDir('extended-short');
    for (const [label, freq] of [['low', 200], ['high', 900]] as const) {
      for (let i = 0; i < 5; i++) writeFile(root, `${label}/${i}.wav`, pcm16Wav({ seconds: 0.6, sampleRate: 22050, freq: freq + 10 * i, seed: i + 1 }));
    }
    writeFile(root, 'low/short.wav', pcm16Wav({ seconds: 0.15, sampleRate: 22050, freq: 210 })); // 3308 samples: 7 frames
    await importDataset(ws.db, { source: root, name: 'short-clips' });
    const quick = { dataset: 'short-clips', augment: [], copies: 0, epochs: 1, backend: 'cpu' as const };
    const extended = await runExperiment(ws, { ...quick, features: { preset: 'extended' } });
    expect(extended.status).toBe('completed');
    expect(extended.skipped).toEqual([
      expect.objectContaining({ file: 'low/short.wav', code: 'too_short', message: expect.stringMatching(/shorter than the extended preset takes \(4096 samples = 0\.186 s at 22050 Hz: 9 frames/) }),
    ]);
    expect((await runExperiment(ws, quick)).skipped).toEqual([]);
  });

  it('refuses per-speaker normalisation when a clip has no speaker, naming the clips', async () => {
    await importDataset(ws.db, { source: path.resolve('resources/demo'), name: 'demo-folders-2' });
    await expect(runExperiment(ws, { ...base, dataset: 'demo-folders-2', normalize: 'speaker' })).rejects.toMatchObject({
      code: 'no_speakers',
      message: expect.stringMatching(/needs the speaker of every clip; 98 of 98 clip\(s\) of 'demo-folders-2' have none: .*wav.* and 88 more/),
    });
  });

  it('refuses an unknown dataset and a leaky run with another split', async () => {
    await expect(runExperiment(ws, { ...base, dataset: 'nope' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/No dataset 'nope'/) });
    await expect(runExperiment(ws, { ...base, leaky: true, split: { kind: 'speaker', valFraction: 0.2 } })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/leaky/) });
  });
});
