/**
 * Protocol planning: which clips validate each fold, which clips get augmented copies, and (once features
 * exist) the rows of every fold. Honest protocols split the clips first and augment training clips only;
 * the leaky one pools originals and copies, then splits the rows, to show what that mistake does.
 */
import type { TrainConfig } from '../../shared/experiment';
import type { ProtocolOutline, SplitProtocol } from '../../shared/protocol';
import { planClip, type PlannedCopy } from '../augment';
import { speakerHoldout, speakerKFold, stratifiedHoldout, stratifiedKFold, type Split, type SplitItem } from '../dataset/splits';
import type { FeatureTable, RowRef } from './rows';
import type { SampleRecord } from './samples';

export interface RunPlan {
  /** The protocol of the whole run, for its record and headline (a cross-validation names no fold). */
  outline: ProtocolOutline;
  /** Clip-level splits, one per fold (none for leaky: its split is drawn over rows). */
  splits: PlannedSplit[];
  /** Folds the run trains: 1 for a hold-out, k for cross-validation. */
  folds: number;
  /** Planned augmented copies per clip (empty for clips that never train). */
  copies: PlannedCopy[][];
}

/** A fold's clips: training, validation (early stopping) and test (empty when its validation clips give its score). */
export interface PlannedSplit extends Split {
  test: number[];
}

export interface FoldPlan {
  /** 0-based fold of a cross-validation; null for a hold-out run. */
  fold: number | null;
  train: RowRef[];
  val: RowRef[];
  /** The test part's rows (originals only; empty when the run has none): never trained on, never standardised on, never seen by early stopping. */
  test: RowRef[];
  protocol: SplitProtocol;
  trainClips: number;
  valClips: number;
  testClips: number;
}

export function planRun(samples: readonly SampleRecord[], cfg: TrainConfig): RunPlan {
  const items: SplitItem[] = samples.map((s) => ({ id: s.relPath, label: s.label, speaker: s.speaker, sha256: s.sha256 }));
  const splits = cfg.leaky ? [] : splitWithTest(items, cfg);
  // Copies for every clip that trains in some fold (all clips when leaky: they are pooled before the split).
  const trains = new Set<number>();
  if (cfg.leaky) samples.forEach((_, i) => trains.add(i));
  else for (const s of splits) for (const i of s.train) trains.add(i);
  const copyPlan = { policy: cfg.copyPolicy, copies: cfg.augment.length ? cfg.copies : 0, names: cfg.augment };
  const copies = samples.map((s, i) => (trains.has(i) && copyPlan.copies ? planClip(copyPlan, cfg.seed, s.sha256) : []));
  return { outline: outlineOf(cfg), splits, folds: cfg.leaky ? 1 : splits.length, copies };
}

/**
 * A hold-out with a test part: the test part first (a stratified hold-out of the clips, or of the speakers for the
 * speaker split, with the run's seed), then the usual train/validation split of the rest. A k-fold run with a
 * validation fraction: each fold's held-out fold is its test, and a validation part is carved from its training folds
 * (whole speakers for speaker-kfold). Indices are the dataset's clips; each split's protocol records the test part.
 */
function splitWithTest(items: SplitItem[], cfg: TrainConfig): PlannedSplit[] {
  const s = cfg.split;
  if ((s.kind === 'kfold' || s.kind === 'speaker-kfold') && s.valFraction) {
    const valFraction = s.valFraction;
    const carve = s.kind === 'speaker-kfold' ? speakerHoldout : stratifiedHoldout;
    return splitClips(items, cfg).map((outer) => {
      const inner = carve(outer.train.map((i) => items[i]), { valFraction, seed: cfg.seed });
      const train = inner.train.map((i) => outer.train[i]);
      const val = inner.val.map((i) => outer.train[i]);
      return { train, val, test: outer.val, protocol: { ...outer.protocol, valFraction, nTrain: train.length, nVal: val.length, nTest: outer.val.length } };
    });
  }
  if (!cfg.testFraction) return splitClips(items, cfg).map((split) => ({ ...split, test: [] }));
  const bySpeaker = cfg.split.kind === 'speaker';
  const outer = (bySpeaker ? speakerHoldout : stratifiedHoldout)(items, { valFraction: cfg.testFraction, seed: cfg.seed });
  const rest = outer.train;
  const test = outer.val;
  const inner = splitClips(rest.map((i) => items[i]), cfg);
  const testPart = {
    testFraction: cfg.testFraction,
    nTest: test.length,
    ...(outer.protocol.kind === 'speaker' ? { testSpeakers: outer.protocol.heldOutSpeakers } : {}),
  };
  return inner.map((split) => ({
    train: split.train.map((i) => rest[i]),
    val: split.val.map((i) => rest[i]),
    test,
    protocol: { ...split.protocol, ...testPart },
  }));
}

/** The run's protocol as requested (before any split is drawn). */
export function outlineOf(cfg: TrainConfig): ProtocolOutline {
  const s = cfg.split;
  if (cfg.leaky) {
    if (s.kind !== 'stratified') throw new RangeError('the leaky protocol pools rows and splits them stratified');
    return { kind: 'leaky', valFraction: s.valFraction, seed: cfg.seed };
  }
  if (s.kind === 'kfold' || s.kind === 'speaker-kfold') return { kind: s.kind, k: s.k, seed: cfg.seed, ...(s.valFraction ? { valFraction: s.valFraction } : {}) };
  return { kind: s.kind, valFraction: s.valFraction, seed: cfg.seed, ...(cfg.testFraction ? { testFraction: cfg.testFraction } : {}) };
}

function splitClips(items: SplitItem[], cfg: TrainConfig): Split[] {
  const s = cfg.split;
  switch (s.kind) {
    case 'stratified':
      return [stratifiedHoldout(items, { valFraction: s.valFraction, seed: cfg.seed })];
    case 'speaker':
      return [speakerHoldout(items, { valFraction: s.valFraction, seed: cfg.seed })];
    case 'kfold':
      return stratifiedKFold(items, { k: s.k, seed: cfg.seed });
    case 'speaker-kfold':
      return speakerKFold(items, { k: s.k, seed: cfg.seed });
  }
}

/** Each fold's rows, from the clips whose features exist (a clip that could not be read is left out). */
export function foldPlans(plan: RunPlan, samples: readonly SampleRecord[], features: FeatureTable, cfg: TrainConfig): FoldPlan[] {
  if (cfg.leaky) return [leakyFold(plan, samples, features, cfg)];
  // a clip left out of the run (its features failed, or it was too short or too long) counts on neither side
  const used = (clips: readonly number[]) => clips.filter((c) => features.has({ clip: c, augId: '' })).length;
  return plan.splits.map((split, f) => ({
    fold: plan.folds > 1 ? f : null,
    train: rowsOf(split.train, plan.copies, true, features),
    val: rowsOf(split.val, plan.copies, false, features),
    test: rowsOf(split.test, plan.copies, false, features),
    protocol: split.protocol,
    trainClips: used(split.train),
    valClips: used(split.val),
    testClips: used(split.test),
  }));
}

function rowsOf(clips: readonly number[], copies: PlannedCopy[][], withCopies: boolean, features: FeatureTable): RowRef[] {
  const rows: RowRef[] = [];
  for (const c of clips) if (features.has({ clip: c, augId: '' })) rows.push({ clip: c, augId: '' });
  if (withCopies) for (const c of clips) for (const copy of copies[c]) if (features.has({ clip: c, augId: copy.augId })) rows.push({ clip: c, augId: copy.augId });
  return rows;
}

/** The classic mistake, reproduced only to show its effect: pool originals and copies, then split the rows. */
function leakyFold(plan: RunPlan, samples: readonly SampleRecord[], features: FeatureTable, cfg: TrainConfig): FoldPlan {
  const outline = plan.outline;
  if (outline.kind !== 'leaky') throw new RangeError('not a leaky plan');
  const pool = rowsOf(samples.map((_, i) => i), plan.copies, true, features);
  const split = stratifiedHoldout(
    pool.map((r, i) => ({ id: String(i), label: samples[r.clip].label })),
    { valFraction: outline.valFraction, seed: cfg.seed },
  );
  const train = split.train.map((i) => pool[i]);
  const val = split.val.map((i) => pool[i]);
  const trainSources = new Set(train.map((r) => r.clip));
  const leakage = val.filter((r) => trainSources.has(r.clip)).length / Math.max(1, val.length);
  return {
    fold: null,
    train,
    val,
    test: [],
    protocol: { ...split.protocol, kind: 'leaky', valFraction: outline.valFraction, poolRows: pool.length, leakage },
    trainClips: trainSources.size,
    valClips: new Set(val.map((r) => r.clip)).size,
    testClips: 0,
  };
}
