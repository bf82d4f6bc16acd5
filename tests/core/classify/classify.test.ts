import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFiles } from '../../../src/core/classify/classify';
import { exportModel, predictionsCsv, resultJson, writeClassifyExport } from '../../../src/core/classify/export';
import { classifyRunResult, listClassifyRuns } from '../../../src/core/classify/runs';
import { parseCsv } from '../../../src/core/dataset/csv';
import { featureConfigHash, resolveFeatureConfig } from '../../../src/core/features/config';
import { ClassifyRunStore } from '../../../src/core/store/classify-runs';
import { openWorkspace, type Workspace } from '../../../src/core/workspace/workspace';
import { ClassifyResultSchema, SerModelSchema, type ClassifyProgress, type ClassifyResult } from '../../../src/shared/classify';
import { FEATURE_PRESET_INFO } from '../../../src/shared/params';
import { demoWorkspace } from '../../helpers/demo-workspace';
import { copyDemoClips, trainDemoModel, trainDemoModelMfcc20, writeBrokenFiles } from '../../helpers/classify';
import { pcm16Wav, tempDir, writeFile } from '../../helpers/make-wav';

let ws: Workspace;
let experimentId: number;
let folder: string;
let broken: Record<string, string>;
let result: ClassifyResult;
const progress: ClassifyProgress[] = [];

beforeAll(async () => {
  ws = await demoWorkspace('classify-ws');
  experimentId = await trainDemoModel(ws);
  // The demo's anger and sadness clips, the broken files in anger/, two tones labelled with a class the model
  // does not know, and a text file and a hidden file that are not audio.
  folder = tempDir('classify-in');
  copyDemoClips(folder, ['anger', 'sadness']);
  broken = writeBrokenFiles(folder, 'anger');
  writeFile(folder, 'boredom/tone-a.wav', pcm16Wav({ seconds: 0.6, seed: 11, freq: 180 }));
  writeFile(folder, 'boredom/tone-b.wav', pcm16Wav({ seconds: 0.6, seed: 12, freq: 150 }));
  writeFile(folder, 'notes.txt', 'recorded on tuesday');
  writeFile(folder, '.DS_Store', 'litter');
  result = await classifyFiles(ws, { model: { experimentId }, source: { kind: 'folder', path: folder }, backend: 'cpu', workers: 2 }, { onProgress: (p) => progress.push(p) });
});
afterAll(() => ws.close());

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('classifyFiles on a folder', () => {
  it('gives every readable file a row: probabilities that sum to 1, the argmax as the prediction', () => {
    expect(result.status).toBe('completed');
    expect(result.backend).toBe('cpu');
    const audio = 28 + 5 + 2; // 14 anger + 14 sadness clips, 5 broken files, 2 tones
    expect(result.counts).toEqual({ files: audio, classified: audio - 5, failed: 5, skipped: 2, notReached: 0 });
    expect(result.predictions).toHaveLength(audio);
    for (const p of result.predictions.filter((r) => !r.error)) {
      expect(p.probabilities).toHaveLength(7);
      expect(sum(p.probabilities!)).toBeCloseTo(1, 5);
      const best = p.probabilities!.indexOf(Math.max(...p.probabilities!));
      expect(p.labelPred).toBe(result.labels[best]);
      expect(p.confidence).toBe(p.probabilities![best]);
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(p.durationSec).toBeGreaterThan(0.1);
      expect(p.sampleRate).toBeGreaterThan(0);
    }
    expect(result.labels).toEqual(['anger', 'disgust', 'enthusiasm', 'fear', 'happiness', 'neutral', 'sadness']);
    expect(sum(Object.values(result.predictedCounts))).toBe(audio - 5);
  });

  it('lists unreadable, empty, truncated and too-short files with a code and a sentence, and skipped files with the reason', () => {
    const failed = Object.fromEntries(result.predictions.filter((p) => p.error).map((p) => [p.file, p.error!.code]));
    expect(failed).toEqual(broken);
    for (const p of result.predictions.filter((r) => r.error)) {
      expect(p.error!.message.startsWith(`${p.file}: `)).toBe(true);
      expect(p.labelPred).toBeNull();
      expect(p.probabilities).toBeNull();
    }
    expect(result.predictions.find((p) => p.file === 'anger/short.wav')!.error!.message).toMatch(/shorter than one analysis frame \(2048 samples = 0\.093 s at 22050 Hz\)/);
    expect(result.skipped).toEqual([
      { file: '.DS_Store', code: 'not_audio', message: '.DS_Store: skipped: hidden file' },
      { file: 'notes.txt', code: 'not_audio', message: expect.stringMatching(/^notes\.txt: skipped: not an audio file by its extension \(\.wav .*\.oga\)$/) },
    ]);
  });

  it('scores the files of known classes as their rows say, and counts the unknown label apart', () => {
    const e = result.evaluation!;
    expect(e.labelSource).toBe('folder');
    const known = result.predictions.filter((p) => p.labelPred && (p.labelTrue === 'anger' || p.labelTrue === 'sadness'));
    expect(known).toHaveLength(28);
    expect(e.known!.files).toBe(28);
    expect(e.known!.accuracy).toBe(known.filter((p) => p.labelPred === p.labelTrue).length / 28);
    expect(sum(e.known!.confusion.matrix.flat())).toBe(28);
    expect(e.labelled).toBe(30);
    const tones = result.predictions.filter((p) => p.labelTrue === 'boredom');
    expect(e.unknownLabels).toEqual([{ label: 'boredom', files: 2, predicted: expect.any(Object) }]);
    expect(sum(Object.values(e.unknownLabels[0].predicted))).toBe(2);
    for (const t of tones) expect(e.unknownLabels[0].predicted[t.labelPred!]).toBeGreaterThan(0);
  });

  it('knows which files are clips the model trained on, and scores the rest apart', () => {
    // The demo clips are the model's own dataset; the tones are not.
    expect(result.corpus).toMatchObject({ relation: 'partly-same-corpus', inDataset: 28, dataset: { name: 'demo' } });
    expect(result.corpus.inTraining).toBeGreaterThan(0);
    expect(result.notices.some((n) => /clips this model was trained on .*not an honest test/.test(n))).toBe(true);
    expect(result.evaluation!.excludingTrainingClips!.files).toBe(28 - result.corpus.inTraining);
  });

  it('reports progress: reading, features with clips/s, inference', () => {
    expect(progress.filter((p) => p.phase === 'reading').at(-1)).toEqual({ phase: 'reading', done: 35, total: 35 });
    const features = progress.filter((p) => p.phase === 'features');
    expect(features.at(-1)).toMatchObject({ done: features.at(-1)!.total });
    expect(progress.some((p) => p.phase === 'inference')).toBe(true);
  });

  it('records the run and reads it back as it was returned', () => {
    ClassifyResultSchema.parse(result);
    expect(classifyRunResult(ws.db, result.runId)).toEqual(result);
    const listed = listClassifyRuns(ws.db).find((r) => r.id === result.runId)!;
    expect(listed).toMatchObject({ status: 'completed', experimentId, files: 35, classified: 30, failed: 5, skipped: 2, accuracy: result.evaluation!.known!.accuracy });
    expect(new ClassifyRunStore(ws.db).predictions(result.runId)).toHaveLength(35);
  });

  it('exports CSV and JSON that parse back to the same predictions', async () => {
    const dir = tempDir('classify-export');
    await writeClassifyExport(path.join(dir, 'p.csv'), result);
    await writeClassifyExport(path.join(dir, 'p.json'), result);
    const rows = parseCsv(fs.readFileSync(path.join(dir, 'p.csv'), 'utf8'));
    expect(rows[0]).toEqual(['file', 'label_pred', 'confidence', ...result.labels.map((l) => `p_${l}`), 'label_true', 'error', 'error_message']);
    expect(rows).toHaveLength(result.predictions.length + 1);
    rows.slice(1).forEach((row, i) => {
      const p = result.predictions[i];
      expect(row[0]).toBe(p.file);
      expect(row[1]).toBe(p.labelPred ?? '');
      expect(row[2] === '' ? null : Number(row[2])).toBe(p.confidence);
      expect(row.slice(3, 10).map((v) => (v === '' ? null : Number(v)))).toEqual(p.probabilities ?? Array(7).fill(null));
      expect(row[10]).toBe(p.labelTrue ?? '');
      expect(row[11]).toBe(p.error?.code ?? '');
      expect(row[12]).toBe(p.error?.message ?? '');
    });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'p.json'), 'utf8'))).toEqual(result);
    expect(predictionsCsv(result)).toBe(fs.readFileSync(path.join(dir, 'p.csv'), 'utf8'));
    expect(resultJson(result)).toBe(fs.readFileSync(path.join(dir, 'p.json'), 'utf8'));
    await expect(writeClassifyExport(path.join(dir, 'p.txt'), result)).rejects.toMatchObject({ code: 'bad_option' });
  });
});

describe('classifyFiles on a manifest and on a list of files', () => {
  it('takes labels from the manifest, relative paths, and lists repeated rows and missing files', async () => {
    const dir = tempDir('classify-manifest');
    const clips = copyDemoClips(dir, ['fear', 'neutral'], 3);
    writeFile(dir, 'extra/tone.wav', pcm16Wav({ seconds: 0.5, seed: 21 }));
    const rel = clips.map((c) => path.relative(dir, c));
    const csv = ['path,label,speaker', ...rel.map((r) => `${r},${r.split('/')[0]},x`), `${rel[0]},fear,x`, 'extra/tone.wav,calm,y', 'missing.wav,fear,x', 'extra/tone.wav'].join('\n');
    writeFile(dir, 'list.csv', csv);
    const r = await classifyFiles(ws, { model: { experimentId }, source: { kind: 'manifest', path: path.join(dir, 'list.csv') }, backend: 'cpu' });
    expect(r.counts).toMatchObject({ files: 8, classified: 7, failed: 1, skipped: 2 });
    expect(r.skipped.map((s) => s.code)).toEqual(['repeated_row', 'repeated_row']);
    expect(r.predictions.find((p) => p.file === 'missing.wav')!.error).toEqual({ code: 'unreadable', message: 'missing.wav: file not found' });
    expect(r.evaluation).toMatchObject({ labelSource: 'manifest', labelled: 7, known: { files: 6 }, unknownLabels: [{ label: 'calm', files: 1 }] });
    // 3 fear + 3 neutral clips of the demo: a same-corpus test, except for the tone.
    expect(r.corpus).toMatchObject({ relation: 'partly-same-corpus', inDataset: 6 });
  });

  it('classifies a list of files without labels', async () => {
    const dir = tempDir('classify-files');
    const a = writeFile(dir, 'a.wav', pcm16Wav({ seconds: 0.4, seed: 31 }));
    const b = writeFile(dir, 'b.flac.txt', 'not audio');
    const r = await classifyFiles(ws, { model: { experimentId }, source: { kind: 'files', paths: [a, b, a] }, backend: 'cpu' });
    expect(r.evaluation).toBeNull();
    expect(r.corpus.relation).toBe('cross-corpus');
    expect(r.corpus.message).toMatch(/^cross-corpus evaluation: the model was trained on 'demo'/);
    expect(r.counts).toMatchObject({ files: 2, classified: 1, failed: 1, skipped: 1 });
    expect(r.predictions[1].error?.code).toBe('unsupported_format');
  });
});

describe('cancel', () => {
  it('stops extracting, keeps what was classified, and records the run as cancelled', async () => {
    const dir = tempDir('classify-cancel');
    for (let i = 0; i < 24; i++) writeFile(dir, `clip-${String(i).padStart(2, '0')}.wav`, pcm16Wav({ seconds: 1.5, seed: 100 + i, freq: 120 + 7 * i }));
    const controller = new AbortController();
    const r = await classifyFiles(
      ws,
      { model: { experimentId }, source: { kind: 'folder', path: dir }, backend: 'cpu', workers: 1 },
      { signal: controller.signal, onProgress: (p) => p.phase === 'features' && p.done >= 2 && controller.abort() },
    );
    expect(r.status).toBe('cancelled');
    expect(r.counts.classified).toBeGreaterThanOrEqual(2);
    expect(r.counts.notReached).toBe(24 - r.counts.classified);
    expect(r.counts.notReached).toBeGreaterThan(0);
    expect(r.notices.at(-1)).toMatch(/^Cancelled: \d+ of 24 file\(s\) were not classified\.$/);
    expect(classifyRunResult(ws.db, r.runId)).toEqual(r);
    expect(new ClassifyRunStore(ws.db).get(r.runId)).toMatchObject({ status: 'cancelled', error: 'cancelled by the user' });
  });

  it('marks a run whose process died as interrupted when the workspace is opened', () => {
    const store = new ClassifyRunStore(ws.db);
    const id = store.create({ experimentId, modelPath: '/m', model: {}, sourceKind: 'folder', source: { kind: 'folder', path: '/x' }, labels: ['a', 'b'], workers: 1 });
    ws.db.prepare('UPDATE classify_runs SET pid = ? WHERE id = ?').run(2 ** 22 + 12345, id);
    const again = openWorkspace(ws.dir);
    again.close();
    expect(store.get(id)).toMatchObject({ status: 'interrupted', error: 'the classification process ended unexpectedly' });
  });
});

describe('models', () => {
  it('writes ser-model.json at training time and records the files\' hashes', () => {
    const m = ws.db.prepare('SELECT * FROM models WHERE experiment_id = ?').get(experimentId) as { path: string; model_json_sha256: string; weights_sha256: string; hashes_recorded: string };
    const card = SerModelSchema.parse(JSON.parse(fs.readFileSync(path.join(m.path, 'ser-model.json'), 'utf8')));
    expect(m.hashes_recorded).toBe('training');
    expect(card.files['model.json'].sha256).toBe(m.model_json_sha256);
    expect(card.files['weights.bin'].sha256).toBe(m.weights_sha256);
    expect(card).toMatchObject({ hashesRecorded: 'training', features: { dims: 166 }, dataset: { name: 'demo' }, experiment: { id: experimentId, fold: null } });
    expect(card.dataset.trainingClips!.length + card.dataset.validationClips!.length).toBe(98);
    expect(card.training.protocol.description).toBe('stratified hold-out 80/20, seed 3');
    expect(card.metrics!.accuracy).toBe((ws.db.prepare('SELECT accuracy FROM experiments WHERE id = ?').get(experimentId) as { accuracy: number }).accuracy);
  });

  it('exports a model that classifies the same bit for bit from another, empty workspace', async () => {
    const dir = path.join(tempDir('classify-model'), 'exported');
    const out = await exportModel(ws, { experimentId }, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'ser-model.json', 'weights.bin']);
    await expect(exportModel(ws, { experimentId }, dir)).rejects.toMatchObject({ code: 'bad_option' });
    const other = openWorkspace(tempDir('classify-empty-ws'));
    try {
      const r = await classifyFiles(other, { model: { dir }, source: { kind: 'folder', path: folder }, backend: 'cpu' });
      expect(r.model).toMatchObject({ experimentId: null, path: dir, origin: { experimentId, dataset: 'demo' }, files: out.identity.files });
      expect(r.predictions.map((p) => [p.file, p.labelPred, p.probabilities, p.error?.code])).toEqual(result.predictions.map((p) => [p.file, p.labelPred, p.probabilities, p.error?.code]));
      expect(r.evaluation).toEqual(result.evaluation);
      expect(classifyRunResult(other.db, r.runId)!.model.experimentId).toBeNull();
    } finally {
      other.close();
    }
    // Back in its own workspace, the folder is recognised as that experiment's model.
    const home = await classifyFiles(ws, { model: { dir }, source: { kind: 'files', paths: [path.join(folder, 'boredom/tone-a.wav')] }, backend: 'cpu' });
    expect(home.model.experimentId).toBe(experimentId);
  });

  it('refuses an altered weights.bin and a missing model.json, in a folder and in the workspace', async () => {
    const altered = path.join(tempDir('classify-altered'), 'm');
    await exportModel(ws, { experimentId }, altered);
    const w = fs.readFileSync(path.join(altered, 'weights.bin'));
    w[100] ^= 1;
    fs.writeFileSync(path.join(altered, 'weights.bin'), w);
    const source = { kind: 'folder' as const, path: folder };
    await expect(classifyFiles(ws, { model: { dir: altered }, source, backend: 'cpu' })).rejects.toMatchObject({
      code: 'model_altered',
      message: expect.stringMatching(/has been altered: weights\.bin is not the file its ser-model\.json records .*Export the model again/),
    });
    const missing = path.join(tempDir('classify-missing'), 'm');
    await exportModel(ws, { experimentId }, missing);
    fs.rmSync(path.join(missing, 'model.json'));
    await expect(classifyFiles(ws, { model: { dir: missing }, source, backend: 'cpu' })).rejects.toMatchObject({ code: 'model_missing', message: expect.stringMatching(/model\.json does not exist/) });
    await expect(classifyFiles(ws, { model: { dir: tempDir('classify-nomodel') }, source, backend: 'cpu' })).rejects.toMatchObject({ code: 'model_missing', message: expect.stringMatching(/holds no ser-model\.json/) });

    // The workspace's own copy: a changed byte is refused against the hash recorded at training time.
    const m = ws.db.prepare('SELECT path FROM models WHERE experiment_id = ?').get(experimentId) as { path: string };
    const original = fs.readFileSync(path.join(m.path, 'weights.bin'));
    const originalJson = fs.readFileSync(path.join(m.path, 'model.json'));
    try {
      fs.writeFileSync(path.join(m.path, 'weights.bin'), w);
      await expect(classifyFiles(ws, { model: { experimentId }, source, backend: 'cpu' })).rejects.toMatchObject({
        code: 'model_altered',
        message: expect.stringMatching(new RegExp(`^Experiment ${experimentId}'s model has been altered: .*weights\\.bin no longer has the sha256 recorded when it was trained`)),
      });
      fs.rmSync(path.join(m.path, 'model.json'));
      await expect(classifyFiles(ws, { model: { experimentId }, source, backend: 'cpu' })).rejects.toMatchObject({ code: 'model_missing' });
    } finally {
      fs.writeFileSync(path.join(m.path, 'weights.bin'), original);
      fs.writeFileSync(path.join(m.path, 'model.json'), originalJson);
    }
    await expect(classifyFiles(ws, { model: { experimentId }, source: { kind: 'files', paths: [path.join(folder, 'boredom/tone-a.wav')] }, backend: 'cpu' })).resolves.toMatchObject({ status: 'completed' });
  });

  it('refuses a model of a feature preset version it no longer computes (extended version 1, before pYIN), saying so', async () => {
    const dir = path.join(tempDir('classify-old-preset'), 'm');
    await exportModel(ws, { experimentId }, dir);
    const cardFile = path.join(dir, 'ser-model.json');
    const card = JSON.parse(fs.readFileSync(cardFile, 'utf8'));
    card.features.config = { ...card.features.config, preset: 'extended', presetVersion: 1 };
    card.features.dims = 370;
    fs.writeFileSync(cardFile, JSON.stringify(card));
    const { version, dimension } = FEATURE_PRESET_INFO.extended;
    await expect(classifyFiles(ws, { model: { dir }, source: { kind: 'folder', path: folder }, backend: 'cpu' })).rejects.toMatchObject({
      code: 'unsupported_model',
      message: `${cardFile}: the model was trained on the extended feature preset version 1 (370 values); this SER Studio computes version ${version} ` +
        `(${dimension} values) only, so the model cannot classify. Train it again with the extended preset.`,
    });
  });

  it('hashes an older model on first use, writes its card, and says so', async () => {
    const id = await trainDemoModel(ws, { seed: 5 });
    const m = ws.db.prepare('SELECT path FROM models WHERE experiment_id = ?').get(id) as { path: string };
    const cardFile = path.join(m.path, 'ser-model.json');
    const original = SerModelSchema.parse(JSON.parse(fs.readFileSync(cardFile, 'utf8')));
    // As a workspace written before models were hashed: no hashes, no card.
    ws.db.prepare('UPDATE models SET model_json_sha256 = NULL, weights_sha256 = NULL, hashes_recorded = NULL WHERE experiment_id = ?').run(id);
    fs.rmSync(cardFile);
    const r = await classifyFiles(ws, { model: { experimentId: id }, source: { kind: 'files', paths: [path.join(folder, 'anger/anger_01_en-us-m.wav')] }, backend: 'cpu' });
    expect(r.notices[0]).toMatch(/trained before SER Studio recorded model hashes: its files were hashed now, on first use/);
    expect(r.notices[1]).toMatch(/had no ser-model\.json .*written now from the workspace's record/);
    const row = ws.db.prepare('SELECT * FROM models WHERE experiment_id = ?').get(id) as { model_json_sha256: string; hashes_recorded: string };
    expect(row).toMatchObject({ model_json_sha256: original.files['model.json'].sha256, hashes_recorded: 'first-use' });
    const card = SerModelSchema.parse(JSON.parse(fs.readFileSync(cardFile, 'utf8')));
    // The split is drawn again, so the card knows the same training clips; everything else is the record's.
    const { createdAt: _a, hashesRecorded: _b, ...rest } = card;
    const { createdAt: _c, hashesRecorded: _d, ...before } = original;
    expect(card.hashesRecorded).toBe('first-use');
    expect(rest).toEqual(before);
    // Second use: nothing to say any more.
    const again = await classifyFiles(ws, { model: { experimentId: id }, source: { kind: 'files', paths: [path.join(folder, 'anger/anger_01_en-us-m.wav')] }, backend: 'cpu' });
    expect(again.notices.filter((n) => /first use|had no ser-model/.test(n))).toEqual([]);
    expect(again.predictions[0].probabilities).toEqual(r.predictions[0].probabilities);
  });

  it('uses the model\'s stored feature configuration (20 MFCCs: 173 numbers, not 166)', async () => {
    const id = await trainDemoModelMfcc20(ws);
    const dir = tempDir('classify-mfcc20');
    const file = writeFile(dir, 'x.wav', pcm16Wav({ seconds: 0.8, seed: 77 }));
    const r = await classifyFiles(ws, { model: { experimentId: id }, source: { kind: 'files', paths: [file] }, backend: 'cpu' });
    expect(r.counts.classified).toBe(1);
    const hash = featureConfigHash(resolveFeatureConfig({ nMfcc: 20 }));
    expect(r.model.featureConfigHash).toBe(hash);
    const cached = ws.db.prepare('SELECT config_hash, dims FROM feature_cache WHERE sha256 = ?').all(r.predictions[0].sha256) as { config_hash: string; dims: number }[];
    expect(cached).toEqual([{ config_hash: hash, dims: 173 }]);
  });

  it('refuses a cross-validation parent, naming its folds, and classifies with the fold asked for', async () => {
    const parent = (
      await import('../../../src/core/experiments/run').then((m) =>
        m.runExperiment(ws, { dataset: 'demo', augment: [], copies: 0, epochs: 2, patience: 0, backend: 'cpu', split: { kind: 'kfold', k: 2 } }),
      )
    ).experimentId;
    const source = { kind: 'files' as const, paths: [path.join(folder, 'anger/anger_01_en-us-m.wav')] };
    await expect(classifyFiles(ws, { model: { experimentId: parent }, source, backend: 'cpu' })).rejects.toMatchObject({
      code: 'model_per_fold',
      message: `Experiment ${parent} is a 2-fold cross-validation: each fold trained its own model. Classify with one fold's experiment instead: ${parent + 1} (fold 1), ${parent + 2} (fold 2) (or choose a fold with --fold N).`,
    });
    const r = await classifyFiles(ws, { model: { experimentId: parent, fold: 1 }, source, backend: 'cpu' });
    expect(r.model).toMatchObject({ experimentId: parent + 2, origin: { fold: 1 } });
    await expect(classifyFiles(ws, { model: { experimentId: parent, fold: 5 }, source, backend: 'cpu' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(classifyFiles(ws, { model: { experimentId: 9999 }, source, backend: 'cpu' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('a speaker-normalised model', () => {
  it('normalises its inputs per group: the manifest\'s speaker column, else the folder; warns about small groups', async () => {
    const id = await trainDemoModel(ws, { normalize: 'speaker', split: { kind: 'speaker', valFraction: 0.25 }, epochs: 2 });
    const dir = tempDir('classify-speaker-norm');
    const clips = copyDemoClips(dir, ['anger', 'sadness'], 4);
    const rel = clips.map((c) => path.relative(dir, c).split(path.sep).join('/'));
    // Speaker x: every file but the last; speaker y: the last alone.
    writeFile(dir, 'by-speaker.csv', ['path,speaker', ...rel.map((r, i) => `${r},${i < rel.length - 1 ? 'x' : 'y'}`)].join('\n'));
    const bySpeaker = await classifyFiles(ws, { model: { experimentId: id }, source: { kind: 'manifest', path: path.join(dir, 'by-speaker.csv') }, backend: 'cpu' });
    expect(bySpeaker.counts.classified).toBe(8);
    expect(bySpeaker.notices.join(' ')).toMatch(/per-speaker normalisation: the files were normalised by the manifest's speaker column, in 2 group\(s\)/);
    expect(bySpeaker.notices.join(' ')).toMatch(/1 group\(s\) have fewer than 5 files: speaker y \(1\)\. /);
    // The folder's grouping: anger/ and sadness/ are the groups (4 files each).
    const byFolder = await classifyFiles(ws, { model: { experimentId: id }, source: { kind: 'folder', path: dir }, backend: 'cpu' });
    expect(byFolder.notices.join(' ')).toMatch(/normalised by folder .* in 2 group\(s\)/);
    expect(byFolder.notices.join(' ')).toMatch(/fewer than 5 files: folder anger \(4\), folder sadness \(4\)/);
    // The same groups drawn either way give the same predictions.
    writeFile(dir, 'as-folders.csv', ['path,speaker', ...rel.map((r) => `${r},${r.split('/')[0]}`)].join('\n'));
    const sameGroups = await classifyFiles(ws, { model: { experimentId: id }, source: { kind: 'manifest', path: path.join(dir, 'as-folders.csv') }, backend: 'cpu' });
    const probs = (r: ClassifyResult) => Object.fromEntries(r.predictions.map((p) => [p.file, p.probabilities]));
    expect(probs(sameGroups)).toEqual(probs(byFolder));
    // A one-file group is its own mean: every feature 0 before the standardiser, whatever the clip.
    const solo = await classifyFiles(ws, { model: { experimentId: id }, source: { kind: 'files', paths: [clips[0]] }, backend: 'cpu' });
    const other = await classifyFiles(ws, { model: { experimentId: id }, source: { kind: 'files', paths: [clips[5]] }, backend: 'cpu' });
    expect(solo.predictions[0].probabilities).toEqual(other.predictions[0].probabilities);
    expect(solo.notices.join(' ')).toMatch(/1 group\(s\) have fewer than 5 files/);
  });
});
