/**
 * Seeded train/validation splits that keep evaluation honest.
 *
 * Each split reproduces the scikit-learn splitter the reference (`train.py`) uses, draw for draw, through a
 * numpy-compatible Mersenne Twister: with items in the reference's order (sorted by path) and the same seed,
 * the validation set is the reference's own, so our numbers and theirs are measured on the same clips.
 *   stratified hold-out    = train_test_split(stratify=y, test_size, random_state)
 *   speaker hold-out       = fold 0 of StratifiedGroupKFold(n_splits=round(1/val), shuffle, random_state)
 *   stratified k-fold      = StratifiedKFold(k, shuffle, random_state)
 *   leave-speakers-out     = StratifiedGroupKFold(k, shuffle, random_state)
 * Exact duplicates (same sha256) are split as one unit so a recording never sits on both sides; without
 * duplicates the units are the items and the split is sklearn's exactly.
 */
import type { ErrorCode } from '../../shared/errors';
import { TRAIN_DEFAULTS } from '../../shared/params';
import type { SplitProtocol } from '../../shared/protocol';
import { Mt19937 } from '../train/rng';

export interface SplitItem {
  id: string;
  label: string;
  speaker?: string | null;
  sha256?: string | null;
}

export interface Split {
  /** Indices into the input items, ascending. */
  train: number[];
  val: number[];
  protocol: Exclude<SplitProtocol, { kind: 'leaky' }>;
}

export interface HoldoutOptions {
  valFraction?: number;
  seed?: number;
}

export interface KFoldOptions {
  k?: number;
  seed?: number;
}

export class SplitError extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'too_few_items' | 'no_speakers' | 'too_few_speakers' | 'bad_option'>,
    message: string,
  ) {
    super(message);
    this.name = 'SplitError';
  }
}

/** Items sharing a sha256 form one unit; the unit takes its first item's label and speaker. */
interface Units {
  members: number[][];
  labels: string[];
  duplicateGroups: number;
}

function toUnits(items: readonly SplitItem[]): Units {
  const bySha = new Map<string, number>();
  const members: number[][] = [];
  const labels: string[] = [];
  items.forEach((item, i) => {
    const known = item.sha256 ? bySha.get(item.sha256) : undefined;
    if (known !== undefined) {
      members[known].push(i);
      return;
    }
    if (item.sha256) bySha.set(item.sha256, members.length);
    members.push([i]);
    labels.push(item.label);
  });
  return { members, labels, duplicateGroups: members.filter((m) => m.length > 1).length };
}

function expand(units: Units, unitIdx: Iterable<number>): number[] {
  const out: number[] = [];
  for (const u of unitIdx) out.push(...units.members[u]);
  return out.sort((a, b) => a - b);
}

/** np.unique(values, return_inverse=True): sorted distinct values and each value's index among them. */
function uniqueInverse(values: readonly string[]): { uniq: string[]; inv: number[] } {
  const uniq = [...new Set(values)].sort();
  const pos = new Map(uniq.map((v, i) => [v, i]));
  return { uniq, inv: values.map((v) => pos.get(v)!) };
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new SplitError('bad_option', `seed must be an integer in [0, 2^32-1], got ${seed}`);
  }
}

/** sklearn.utils.extmath._approximate_mode. */
function approximateMode(classCounts: number[], nDraws: number, rng: Mt19937): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const continuous = classCounts.map((c) => (c / total) * nDraws);
  const floored = continuous.map(Math.floor);
  let needToAdd = Math.trunc(nDraws - floored.reduce((a, b) => a + b, 0));
  if (needToAdd > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const inds = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const addNow = Math.min(inds.length, needToAdd);
      const chosen = rng.permutation(inds.length).slice(0, addNow);
      for (const c of chosen) floored[inds[c]] += 1;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return floored;
}

/** StratifiedShuffleSplit's first split on `labels`: unit indices of [train, test]. */
function stratifiedShuffleSplit(labels: readonly string[], nTest: number, seed: number): [number[], number[]] {
  const n = labels.length;
  const nTrain = n - nTest;
  const { uniq, inv } = uniqueInverse(labels);
  const classCounts = uniq.map(() => 0);
  for (const c of inv) classCounts[c]++;
  if (Math.min(...classCounts) < 2) {
    throw new SplitError('too_few_items', 'every class needs at least 2 items for a stratified split');
  }
  if (nTrain < uniq.length || nTest < uniq.length) {
    throw new SplitError('too_few_items', `train (${nTrain}) and validation (${nTest}) must each hold every class (${uniq.length})`);
  }
  // argsort(kind='mergesort') is stable: indices of each class in input order.
  const classIndices = uniq.map(() => [] as number[]);
  inv.forEach((c, i) => classIndices[c].push(i));
  const rng = new Mt19937(seed);
  const nI = approximateMode(classCounts, nTrain, rng);
  const tI = approximateMode(
    classCounts.map((c, i) => c - nI[i]),
    nTest,
    rng,
  );
  const train: number[] = [];
  const test: number[] = [];
  classIndices.forEach((idx, i) => {
    const perm = rng.permutation(idx.length).map((p) => idx[p]);
    train.push(...perm.slice(0, nI[i]));
    test.push(...perm.slice(nI[i], nI[i] + tI[i]));
  });
  return [train, test];
}

export function stratifiedHoldout(items: readonly SplitItem[], opts: HoldoutOptions = {}): Split {
  const valFraction = opts.valFraction ?? TRAIN_DEFAULTS.valFraction;
  const seed = opts.seed ?? TRAIN_DEFAULTS.seed;
  checkSeed(seed);
  if (!(valFraction > 0 && valFraction < 1)) throw new SplitError('bad_option', `valFraction must be in (0, 1), got ${valFraction}`);
  const units = toUnits(items);
  const nTest = Math.ceil(valFraction * units.labels.length);
  const [tr, te] = stratifiedShuffleSplit(units.labels, nTest, seed);
  const train = expand(units, tr);
  const val = expand(units, te);
  return {
    train,
    val,
    protocol: { kind: 'stratified', valFraction, seed, duplicateGroups: units.duplicateGroups, nTrain: train.length, nVal: val.length },
  };
}

/** sklearn StratifiedKFold(shuffle=True)._make_test_folds: the test fold of every unit. */
function stratifiedKFoldAssign(labels: readonly string[], k: number, seed: number): number[] {
  // Classes are numbered by first appearance, as sklearn does before shuffling per class.
  const order = new Map<string, number>();
  for (const l of labels) if (!order.has(l)) order.set(l, order.size);
  const enc = labels.map((l) => order.get(l)!);
  const nClasses = order.size;
  const counts = new Array<number>(nClasses).fill(0);
  for (const c of enc) counts[c]++;
  if (counts.every((c) => k > c)) {
    throw new SplitError('too_few_items', `k=${k} is greater than the number of items in every class`);
  }
  const yOrder = [...enc].sort((a, b) => a - b);
  const allocation = Array.from({ length: k }, (_, i) => {
    const row = new Array<number>(nClasses).fill(0);
    for (let j = i; j < yOrder.length; j += k) row[yOrder[j]]++;
    return row;
  });
  const rng = new Mt19937(seed);
  const folds = new Array<number>(labels.length);
  for (let c = 0; c < nClasses; c++) {
    const foldsForClass: number[] = [];
    for (let f = 0; f < k; f++) for (let r = 0; r < allocation[f][c]; r++) foldsForClass.push(f);
    rng.shuffle(foldsForClass);
    let next = 0;
    enc.forEach((e, i) => {
      if (e === c) folds[i] = foldsForClass[next++];
    });
  }
  return folds;
}

function checkK(k: number, n: number, what: string): void {
  if (!Number.isInteger(k) || k < 2) throw new SplitError('bad_option', `k must be an integer >= 2, got ${k}`);
  if (k > n) throw new SplitError('too_few_items', `k=${k} is greater than the number of ${what} (${n})`);
}

export function stratifiedKFold(items: readonly SplitItem[], opts: KFoldOptions = {}): Split[] {
  const k = opts.k ?? TRAIN_DEFAULTS.k;
  const seed = opts.seed ?? TRAIN_DEFAULTS.seed;
  checkSeed(seed);
  const units = toUnits(items);
  checkK(k, units.labels.length, 'items');
  const folds = stratifiedKFoldAssign(units.labels, k, seed);
  return Array.from({ length: k }, (_, f) => {
    const val = expand(units, folds.flatMap((g, u) => (g === f ? [u] : [])));
    const train = expand(units, folds.flatMap((g, u) => (g !== f ? [u] : [])));
    return {
      train,
      val,
      protocol: { kind: 'kfold', k, fold: f, seed, duplicateGroups: units.duplicateGroups, nTrain: train.length, nVal: val.length },
    };
  });
}

/**
 * Speaker groups for grouped splits. Speakers linked by an exact duplicate recording are merged into one
 * group ("a+b") so the duplicate cannot straddle the split; otherwise a group is a speaker.
 */
function speakerGroups(items: readonly SplitItem[]): string[] {
  const missing = items.filter((it) => !it.speaker).map((it) => it.id);
  if (missing.length > 0) {
    throw new SplitError(
      'no_speakers',
      `A speaker-independent split needs a speaker for every clip; ${missing.length} have none (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}). ` +
        'Import the dataset with a CSV manifest that has a speaker column, or with --naming ravdess.',
    );
  }
  const parent = new Map<string, string>();
  const find = (s: string): string => {
    let r = s;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  for (const it of items) parent.set(it.speaker!, it.speaker!);
  const firstSpeakerOfSha = new Map<string, string>();
  for (const it of items) {
    if (!it.sha256) continue;
    const other = firstSpeakerOfSha.get(it.sha256);
    if (other === undefined) firstSpeakerOfSha.set(it.sha256, it.speaker!);
    else {
      const [a, b] = [find(other), find(it.speaker!)];
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
  }
  const members = new Map<string, string[]>();
  for (const s of parent.keys()) {
    const r = find(s);
    members.set(r, [...(members.get(r) ?? []), s]);
  }
  const name = new Map<string, string>();
  for (const [r, ss] of members) name.set(r, ss.sort().join('+'));
  return items.map((it) => name.get(find(it.speaker!))!);
}

/** Population standard deviation summed in index order, as numpy does for short rows. */
function std(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) * (v - mean);
  return Math.sqrt(sq / values.length);
}

function isClose(a: number, b: number): boolean {
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

/**
 * sklearn StratifiedGroupKFold(k, shuffle=True, random_state=seed): the groups of each test fold.
 * Mirrors sklearn >= 1.6 (groups are shuffled through a permutation) step by step, float sums included.
 */
function stratifiedGroupKFoldAssign(labels: readonly string[], groups: readonly string[], k: number, seed: number): Set<number>[] {
  const y = uniqueInverse(labels);
  const g = uniqueInverse(groups);
  const nClasses = y.uniq.length;
  const yCnt = new Array<number>(nClasses).fill(0);
  for (const c of y.inv) yCnt[c]++;
  if (yCnt.every((c) => k > c)) {
    throw new SplitError('too_few_items', `k=${k} is greater than the number of items in every class`);
  }
  const countsByGroup = g.uniq.map(() => new Array<number>(nClasses).fill(0));
  y.inv.forEach((c, i) => countsByGroup[g.inv[i]][c]++);
  // Shuffled position p holds group perm[p]; ties in the sort below keep this shuffled order.
  const perm = new Mt19937(seed).permutation(g.uniq.length);
  const countsPerGroup = perm.map((gi) => countsByGroup[gi]);
  const groupStd = countsPerGroup.map(std);
  const sortedGroups = groupStd.map((s, i) => [-s, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);

  const countsPerFold = Array.from({ length: k }, () => new Array<number>(nClasses).fill(0));
  const groupsPerFold = Array.from({ length: k }, () => new Set<number>());
  for (const gi of sortedGroups) {
    const groupCounts = countsPerGroup[gi];
    let bestFold = -1;
    let minEval = Infinity;
    let minSamples = Infinity;
    for (let f = 0; f < k; f++) {
      const perClass: number[] = [];
      for (let c = 0; c < nClasses; c++) {
        const col: number[] = [];
        for (let ff = 0; ff < k; ff++) col.push((countsPerFold[ff][c] + (ff === f ? groupCounts[c] : 0)) / yCnt[c]);
        perClass.push(std(col));
      }
      let sum = 0;
      for (const s of perClass) sum += s;
      const foldEval = sum / nClasses;
      let samples = 0;
      for (const v of countsPerFold[f]) samples += v;
      if (foldEval < minEval || (isClose(foldEval, minEval) && samples < minSamples)) {
        minEval = foldEval;
        minSamples = samples;
        bestFold = f;
      }
    }
    for (let c = 0; c < nClasses; c++) countsPerFold[bestFold][c] += groupCounts[c];
    groupsPerFold[bestFold].add(perm[gi]);
  }
  return groupsPerFold;
}

function groupedFolds(items: readonly SplitItem[], k: number, seed: number): { groups: string[]; val: number[][] } {
  const groups = speakerGroups(items);
  const g = uniqueInverse(groups);
  if (g.uniq.length < 2) throw new SplitError('too_few_speakers', `a speaker split needs at least 2 speakers, found ${g.uniq.length}`);
  checkK(k, g.uniq.length, 'speakers');
  const perFold = stratifiedGroupKFoldAssign(items.map((it) => it.label), groups, k, seed);
  const val = perFold.map((set) => g.inv.flatMap((gi, i) => (set.has(gi) ? [i] : [])));
  return { groups, val };
}

function speakersOf(items: readonly SplitItem[], idx: readonly number[]): string[] {
  return [...new Set(idx.map((i) => items[i].speaker!))].sort();
}

function complement(n: number, val: readonly number[]): number[] {
  const inVal = new Set(val);
  return Array.from({ length: n }, (_, i) => i).filter((i) => !inVal.has(i));
}

/** Speaker-independent hold-out: fold 0 of StratifiedGroupKFold with k = round(1/valFraction) (>= 2, <= speakers). */
export function speakerHoldout(items: readonly SplitItem[], opts: HoldoutOptions = {}): Split {
  const valFraction = opts.valFraction ?? TRAIN_DEFAULTS.valFraction;
  const seed = opts.seed ?? TRAIN_DEFAULTS.seed;
  checkSeed(seed);
  if (!(valFraction > 0 && valFraction < 1)) throw new SplitError('bad_option', `valFraction must be in (0, 1), got ${valFraction}`);
  const nGroups = new Set(speakerGroups(items)).size;
  const k = Math.max(2, Math.min(Math.round(1 / valFraction), nGroups));
  const { val: folds } = groupedFolds(items, k, seed);
  const val = folds[0];
  const train = complement(items.length, val);
  return {
    train,
    val,
    protocol: {
      kind: 'speaker', valFraction, k, seed, heldOutSpeakers: speakersOf(items, val),
      duplicateGroups: toUnits(items).duplicateGroups, nTrain: train.length, nVal: val.length,
    },
  };
}

/** Leave-speakers-out k-fold (StratifiedGroupKFold): every speaker is validated exactly once. */
export function speakerKFold(items: readonly SplitItem[], opts: KFoldOptions = {}): Split[] {
  const k = opts.k ?? TRAIN_DEFAULTS.k;
  const seed = opts.seed ?? TRAIN_DEFAULTS.seed;
  checkSeed(seed);
  const { val: folds } = groupedFolds(items, k, seed);
  const duplicateGroups = toUnits(items).duplicateGroups;
  return folds.map((val, fold) => {
    const train = complement(items.length, val);
    return {
      train,
      val,
      protocol: { kind: 'speaker-kfold', k, fold, seed, heldOutSpeakers: speakersOf(items, val), duplicateGroups, nTrain: train.length, nVal: val.length },
    };
  });
}
