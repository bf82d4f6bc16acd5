// The robustness corpus (issue 12): every case of scripts/make-robustness-corpus.ts through import, the features
// command, training and classification, as a researcher would run them on a folder they did not make. Each case is
// expected to give a clip (a vector, rows, a prediction) or a per-file error with its code; none may crash, hang or
// stop the others, and training lists every clip it leaves out. docs/robustness.md is this file's table.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, CONTROLS, NON_UTF8_DISPLAY, makeRobustnessCorpus, type CorpusCase } from '../../scripts/make-robustness-corpus';
import { classifyFiles } from '../../src/core/classify/classify';
import { importDataset } from '../../src/core/dataset/import';
import { experimentDetail } from '../../src/core/experiments/queries';
import { runExperiment } from '../../src/core/experiments/run';
import { openWorkspace, type Workspace } from '../../src/core/workspace/workspace';
import type { ClassifyResult } from '../../src/shared/classify';
import type { ImportReport } from '../../src/shared/domain';
import type { ErrorCode } from '../../src/shared/errors';
import type { ExperimentDetail, TrainResult } from '../../src/shared/experiment';
import { tempDir } from '../helpers/make-wav';

/** Root can read a file without permissions: that case is then an ordinary clip, and its own check is skipped. */
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const ROOT_REASON = 'running as root: a file without read permission is still readable, so "unreadable" cannot be produced';

type Outcome = 'clip' | ErrorCode;
interface Expected {
  /** A clip of the dataset, or the import error's code. */
  import: Outcome;
  /** `ser-studio features` on the file: 'vector' (166 finite numbers) or the error's code; 'n/a' when it cannot be given. */
  features: 'vector' | ErrorCode | 'n/a';
  /** Training on the dataset: 'used' (rows), the code it was left out with, or '-' (not a clip of the dataset). */
  train: 'used' | ErrorCode | '-';
  /** Classifying the dataset folder with the trained model: 'predicted', the file's error code, 'skipped:<code>', or 'absent'. */
  classify: 'predicted' | ErrorCode | `skipped:${ErrorCode}` | 'absent';
  /** A phrase the import (or, for clips, the features) message must contain. */
  says?: RegExp;
}

const fine: Expected = { import: 'clip', features: 'vector', train: 'used', classify: 'predicted' };
const refused = (code: ErrorCode, says?: RegExp): Expected => ({ import: code, features: code, train: '-', classify: code, says });

/** What every case must do (the table of docs/robustness.md). */
export const EXPECTED: Record<string, Expected> = {
  'zero-bytes': refused('empty', /empty \(0 bytes\)/),
  'text-as-wav': refused('unsupported_format', /not a WAV\/FLAC\/MP3\/OGG file \(starts with 'Thes'\)/),
  'truncated-header': refused('truncated', /ends inside its 'fmt' chunk/),
  'truncated-data': refused('truncated', /declares 16000 bytes but only 4001 are present/),
  'header-claims-more': refused('truncated', /declares 10000000 bytes but only 8000 are present/),
  'data-size-ffffffff': fine,
  rf64: fine,
  'header-only': refused('empty', /holds no audio samples/),
  'rate-0hz': refused('corrupt', /sample rate of 0 Hz/),
  'rate-1hz': refused('implausible_header', /sample rate of 1 Hz, which no recording has/),
  'rate-1mhz': refused('implausible_header', /sample rate of 1 MHz/),
  'channels-0': refused('corrupt', /0 channels/),
  'channels-65': refused('implausible_header', /65 channels \(SER Studio reads 1 to 64\)/),
  'pcm-u8': fine,
  'pcm-s24': fine,
  'pcm-s32': fine,
  'pcm-12bit': refused('unsupported_format', /12-bit PCM WAV is not supported/),
  float64: fine,
  'float-nan': { import: 'clip', features: 'not_finite', train: 'not_finite', classify: 'not_finite', says: /NaN or infinite sample values/ },
  'float-inf': { import: 'clip', features: 'not_finite', train: 'not_finite', classify: 'not_finite', says: /NaN or infinite sample values/ },
  extensible: fine,
  alaw: fine,
  mulaw: fine,
  'one-sample': { import: 'clip', features: 'vector', train: 'too_short', classify: 'too_short', says: /shorter than one analysis frame/ },
  'shorter-than-frame': { import: 'clip', features: 'vector', train: 'too_short', classify: 'too_short', says: /shorter than one analysis frame/ },
  silence: fine,
  clipping: fine,
  'dc-offset': fine,
  'stereo-44k1': fine,
  'mp3-garbage-frames': refused('corrupt', /MP3 frames could not be decoded/),
  'flac-garbage-frames': { import: 'clip', features: 'corrupt', train: 'corrupt', classify: 'corrupt', says: /FLAC frames could not be decoded/ },
  'flac-random-streaminfo': refused('implausible_header', /FLAC STREAMINFO declares/),
  'ogg-garbage-pages': refused('corrupt', /Ogg Vorbis packets could not be decoded/),
  'mp3-ok': fine,
  'flac-ok': fine,
  'ogg-ok': fine,
  // the folder itself is searched (its clip imported, trained on and classified); given to `features`, it is a folder
  'folder-named-wav': { import: 'clip', features: 'unreadable', train: 'used', classify: 'predicted', says: /is a folder, not a file/ },
  'symlink-file': fine,
  'symlink-folder': fine,
  'symlink-loop': refused('link_loop', /loop of links/),
  'symlink-folder-loop': { import: 'link_loop', features: 'unreadable', train: '-', classify: 'skipped:link_loop', says: /a link to a folder already searched/ },
  'symlink-dangling': { import: 'missing', features: 'unreadable', train: '-', classify: 'unreadable', says: /a symbolic link to nothing/ },
  'vanishes-before-read': { import: 'missing', features: 'unreadable', train: '-', classify: 'absent', says: /file not found/ },
  'vanishes-before-training': { import: 'clip', features: 'unreadable', train: 'unreadable', classify: 'absent', says: /file not found/ },
  unreadable: isRoot ? fine : refused('unreadable', /permission denied/),
  'non-utf8-name': { import: 'bad_name', features: 'n/a', train: '-', classify: 'skipped:bad_name', says: /not valid UTF-8/ },
  'cyrillic-name': fine,
  'space-name': fine,
  'long-name': fine,
};

/** The path `ser-studio features` is given for a case (the folder itself for the folder cases). */
function featuresArg(c: CorpusCase): string | null {
  if (c.id === 'non-utf8-name') return null;
  if (c.id === 'folder-named-wav') return 'sadness/folder.wav';
  return c.file;
}

const SHORT_CASES = CASES.filter((c) => !c.long);

let root: string;
let dataset: string;
let ws: Workspace;
let imported: ImportReport;
let features: Map<string, { vector?: number[]; error?: { code: ErrorCode; message: string } }>;
let featuresExit: number | null;
let trained: TrainResult;
let detail: ExperimentDetail;
let failRun: { error: { code?: string; message: string; details?: unknown } | null; detail: ExperimentDetail | undefined };
let classified: ClassifyResult;
const timings: Record<string, number> = {};

async function timed<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings[name] = Math.round(performance.now() - t0);
  }
}

/** `ser-studio features` on every case at once (2 workers), one JSON line per file in input order. */
function runFeaturesCli(files: string[]): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve('bin/ser-studio.js'), 'features', '--workers', '2', ...files], { cwd: dataset });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines: out.trim().split('\n').filter(Boolean), stderr: err }));
  });
}

beforeAll(async () => {
  root = tempDir('robustness');
  dataset = makeRobustnessCorpus(path.join(root, 'corpus')).dataset;
  ws = openWorkspace(path.join(root, 'workspace'));

  // import, deleting one file after the scan listed it and before it is read
  let deleted = false;
  imported = await timed('import', () =>
    importDataset(ws.db, {
      source: dataset,
      name: 'robustness',
      onProgress: (p) => {
        if (p.phase === 'probe' && !deleted) {
          deleted = true;
          fs.unlinkSync(path.join(dataset, 'sadness', 'vanishing.wav'));
        }
      },
    }),
  );
  // a clip deleted after the import, before anything reads its samples
  fs.unlinkSync(path.join(dataset, 'anger', 'gone-later.wav'));

  const args = SHORT_CASES.map(featuresArg).filter((f): f is string => f !== null);
  const run = await timed('features', () => runFeaturesCli(args));
  featuresExit = run.code;
  features = new Map();
  run.lines.forEach((line, i) => {
    const o = JSON.parse(line) as { file: string; vector?: number[]; error?: { code: ErrorCode; message: string } };
    expect(o.file).toBe(args[i]);
    features.set(o.file, o);
  });
  expect(features.size, run.stderr).toBe(args.length);

  const request = { dataset: 'robustness', augment: ['gain', 'shift'] as ('gain' | 'shift')[], copies: 1, epochs: 4, patience: 0, backend: 'cpu' as const, seed: 7, workers: 2 };
  trained = await timed('train', () => runExperiment(ws, request));
  detail = experimentDetail(ws.db, trained.experimentId)!;

  failRun = { error: null, detail: undefined };
  await timed('train --on-error fail', async () => {
    let started: number | undefined;
    try {
      await runExperiment(ws, { ...request, onError: 'fail' }, { onProgress: (p) => p.phase === 'started' && (started = p.experimentId) });
    } catch (err) {
      failRun.error = err as { code?: string; message: string };
    }
    failRun.detail = started === undefined ? undefined : experimentDetail(ws.db, started);
  });

  classified = await timed('classify', () =>
    classifyFiles(ws, { model: { experimentId: trained.experimentId }, source: { kind: 'folder', path: dataset }, backend: 'cpu', workers: 2 }),
  );
}, 300_000);

afterAll(() => {
  ws?.close();
  // (the unreadable file must be readable again for the temporary folder to be removed by anyone)
  try {
    fs.chmodSync(path.join(dataset, 'sadness', 'no-permission.wav'), 0o644);
  } catch {
    /* gone already */
  }
  console.log(`robustness corpus: ${SHORT_CASES.length} cases; ms per step ${JSON.stringify(timings)}`);
});

describe('the robustness corpus', () => {
  it('has at least 35 cases, each with its expectations, and control clips that train', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(35);
    expect(Object.keys(EXPECTED).sort()).toEqual(SHORT_CASES.map((c) => c.id).sort());
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
    for (const c of CONTROLS) expect(imported.errors.map((e) => e.file)).not.toContain(c.file);
  });

  it('is listed case by case in docs/robustness.md', () => {
    const doc = fs.readFileSync(path.resolve('docs/robustness.md'), 'utf8');
    for (const c of CASES) expect(doc, c.id).toContain(`\`${c.id}\``);
  });

  it('import accounts for every file: a clip or an error with a code and a sentence naming it', () => {
    const clips = imported.clips;
    const errors = imported.errors.length;
    // every file of the corpus (the links and the Latin-1 name included) is one or the other; the folder loop is one issue
    const files = CONTROLS.length + SHORT_CASES.length + 1; // symlink-loop is two files (loop-a, loop-b)
    expect(clips + errors).toBe(files);
    for (const e of imported.errors) {
      expect(e.message.startsWith(`${e.file}: `), e.message).toBe(true);
      expect(e.message.length).toBeGreaterThan(e.file.length + 10);
    }
  });

  it('the dataset has no 1 Hz file making it 27 hours long', () => {
    expect(imported.durationSec).toBeLessThan(60);
  });

  it('features: one line per file, in order, and exit code 1 because some failed', () => {
    expect(featuresExit).toBe(1);
  });

  it('training lists every clip it left out, and uses every other one', () => {
    const left = new Set(trained.skipped.map((s) => s.file));
    expect(trained.split.trainClips + trained.split.valClips + trained.skipped.length).toBe(imported.clips);
    expect(trained.status).toBe('completed');
    expect(detail.skipped).toEqual(trained.skipped);
    for (const s of trained.skipped) {
      expect(s.message.startsWith(`${s.file}: `), s.message).toBe(true);
      expect(left.has(s.file)).toBe(true);
    }
  });

  it('--on-error fail stops the run with an error naming every clip it would leave out, recorded with the run', () => {
    expect(failRun.error?.code).toBe('clips_failed');
    for (const s of trained.skipped) expect(failRun.error?.message).toContain(s.file);
    expect(failRun.detail?.status).toBe('failed');
    expect(failRun.detail?.skipped?.map((s) => s.file)).toEqual(trained.skipped.map((s) => s.file));
  });

  it('classify gives every audio file of the folder a prediction or an error, and lists what it skipped', () => {
    expect(classified.status).toBe('completed');
    expect(classified.counts.classified + classified.counts.failed).toBe(classified.counts.files);
  });

  it('each step stays within its time budget', () => {
    expect(timings.import).toBeLessThan(60_000);
    expect(timings.features).toBeLessThan(120_000);
    expect(timings.train).toBeLessThan(120_000);
    expect(timings.classify).toBeLessThan(120_000);
  });
});

/** The import error of a case's file, or the clip. */
function importOutcome(c: CorpusCase): { outcome: Outcome; message?: string } {
  const file = c.id === 'non-utf8-name' ? NON_UTF8_DISPLAY : c.file;
  const error = imported.errors.find((e) => e.file === file);
  if (error) return { outcome: error.code, message: error.message };
  const clip = ws.db.prepare('SELECT 1 FROM samples WHERE rel_path = ?').get(file);
  return { outcome: clip ? 'clip' : ('none' as Outcome) };
}

describe.each(SHORT_CASES.map((c) => [c.id, c] as const))('%s', (id, c) => {
  const want = EXPECTED[id];
  const unreadableAsRoot = id === 'unreadable' && isRoot;

  it.skipIf(unreadableAsRoot)(`import: ${want.import}`, () => {
    const got = importOutcome(c);
    expect(got.outcome, got.message).toBe(want.import);
    if (want.says && want.import !== 'clip') expect(got.message).toMatch(want.says);
    if (id === 'symlink-loop') expect(importOutcome({ ...c, file: 'anger/loop-b.wav' }).outcome).toBe('link_loop');
  });

  it.skipIf(unreadableAsRoot || want.features === 'n/a')(`features: ${want.features}`, () => {
    const line = features.get(featuresArg(c)!);
    expect(line, id).toBeDefined();
    if (want.features === 'vector') {
      expect(line!.error, JSON.stringify(line!.error)).toBeUndefined();
      expect(line!.vector).toHaveLength(166);
      expect(line!.vector!.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
    } else {
      expect(line!.error?.code, line!.error?.message).toBe(want.features);
      expect(line!.error!.message.startsWith(`${featuresArg(c)}: `), line!.error!.message).toBe(true);
      if (want.says && want.import === 'clip') expect(line!.error!.message).toMatch(want.says);
    }
  });

  it.skipIf(unreadableAsRoot)(`training: ${want.train}`, () => {
    const skipped = trained.skipped.find((s) => s.file === c.file);
    if (want.train === 'used') expect(skipped, skipped?.message).toBeUndefined();
    else if (want.train === '-') expect(importOutcome(c).outcome).not.toBe('clip');
    else {
      expect(skipped?.code, skipped?.message).toBe(want.train);
      expect(skipped!.label).toBe(c.label);
      if (want.says) expect(skipped!.message).toMatch(want.says);
    }
  });

  it.skipIf(unreadableAsRoot)(`classify: ${want.classify}`, () => {
    const file = c.id === 'non-utf8-name' ? NON_UTF8_DISPLAY : c.file;
    const row = classified.predictions.find((p) => p.file === file);
    const skipped = classified.skipped.find((s) => s.file === file);
    if (want.classify === 'predicted') {
      expect(row?.error ?? null, row?.error?.message).toBeNull();
      expect(row?.labelPred).toMatch(/^(anger|sadness)$/);
    } else if (want.classify === 'absent') expect(row ?? skipped).toBeUndefined();
    else if (want.classify.startsWith('skipped:')) expect(skipped?.code).toBe(want.classify.slice('skipped:'.length));
    else {
      expect(row?.error?.code, row?.error?.message).toBe(want.classify);
      expect(row!.error!.message.startsWith(`${file}: `), row!.error!.message).toBe(true);
    }
  });

  // registered for that one case only (runIf would list a skipped test under every other case)
  if (unreadableAsRoot)
    it(`(skipped: ${ROOT_REASON})`, () => {
      expect(importOutcome(c).outcome).toBe('clip');
    });
});
