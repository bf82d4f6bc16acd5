import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeProtocol } from '../../../src/shared/protocol';
import {
  SplitError,
  speakerHoldout,
  speakerKFold,
  stratifiedHoldout,
  stratifiedKFold,
  type SplitItem,
} from '../../../src/core/dataset/splits';

interface GoldenCase {
  labels: string[];
  speakers: string[];
  seed: number;
  'stratified_0.2': number[];
  'stratified_0.25': number[];
  kfold5: number[][];
  group_k: number;
  groupkfold: number[][];
}
const golden = JSON.parse(
  readFileSync(path.resolve(process.cwd(), 'tests/core/train/fixtures/sklearn-splits.json'), 'utf8'),
) as { cases: GoldenCase[] };

const itemsOf = (c: GoldenCase): SplitItem[] =>
  c.labels.map((label, i) => ({ id: `clip${i}`, label, speaker: c.speakers[i] }));

function counts(labels: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of labels) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

describe('splits reproduce scikit-learn (golden from bench/train/sklearn_splits.py)', () => {
  it.each(golden.cases.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const items = itemsOf(c);
    expect(stratifiedHoldout(items, { seed: c.seed }).val).toEqual(c['stratified_0.2']);
    expect(stratifiedHoldout(items, { seed: c.seed, valFraction: 0.25 }).val).toEqual(c['stratified_0.25']);
    expect(stratifiedKFold(items, { k: 5, seed: c.seed }).map((s) => s.val)).toEqual(c.kfold5);
    expect(speakerKFold(items, { k: c.group_k, seed: c.seed }).map((s) => s.val)).toEqual(c.groupkfold);
    expect(speakerHoldout(items, { seed: c.seed }).val).toEqual(c.groupkfold[0]);
  });
});

describe('split properties', () => {
  const c = golden.cases[0];
  const items = itemsOf(c);

  it('stratified hold-out keeps class proportions and partitions the items', () => {
    const s = stratifiedHoldout(items, { seed: 7 });
    expect([...s.train, ...s.val].sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
    expect(s.val.length).toBe(Math.ceil(0.2 * items.length));
    const all = counts(items.map((it) => it.label));
    const val = counts(s.val.map((i) => items[i].label));
    for (const [label, n] of all) expect(Math.abs(val.get(label)! - 0.2 * n)).toBeLessThanOrEqual(1);
    expect(s.protocol).toMatchObject({ kind: 'stratified', valFraction: 0.2, seed: 7, nVal: s.val.length });
  });

  it('is deterministic for a seed and changes with the seed', () => {
    expect(stratifiedHoldout(items, { seed: 3 })).toEqual(stratifiedHoldout(items, { seed: 3 }));
    expect(stratifiedHoldout(items, { seed: 3 }).val).not.toEqual(stratifiedHoldout(items, { seed: 4 }).val);
    expect(speakerKFold(items, { seed: 9 })).toEqual(speakerKFold(items, { seed: 9 }));
  });

  it('speaker splits never share a speaker between train and validation', () => {
    for (const s of [speakerHoldout(items, { seed: 5 }), ...speakerKFold(items, { k: 5, seed: 5 })]) {
      const tr = new Set(s.train.map((i) => items[i].speaker));
      const va = new Set(s.val.map((i) => items[i].speaker));
      expect([...va].filter((x) => tr.has(x))).toEqual([]);
      expect(s.protocol.kind === 'speaker' || s.protocol.kind === 'speaker-kfold').toBe(true);
      if (s.protocol.kind === 'speaker' || s.protocol.kind === 'speaker-kfold') {
        expect(s.protocol.heldOutSpeakers).toEqual([...va].sort());
      }
    }
    const speakersOverFolds = speakerKFold(items, { k: 5, seed: 5 }).flatMap((s) =>
      s.protocol.kind === 'speaker-kfold' ? s.protocol.heldOutSpeakers : [],
    );
    expect(speakersOverFolds.sort()).toEqual([...new Set(c.speakers)].sort());
  });

  it('k-fold validates every item exactly once', () => {
    const folds = stratifiedKFold(items, { k: 4, seed: 1 });
    expect(folds.flatMap((f) => f.val).sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
    for (const f of folds) expect(f.train.length + f.val.length).toBe(items.length);
  });

  it('exact duplicates land on the same side', () => {
    // Every 10th item duplicates its predecessor (same speaker), except item 9, a copy under another speaker.
    const dup = items.map((it, i) => {
      if (i % 10 !== 9) return { ...it, sha256: `h${i}` };
      return { ...it, sha256: `h${i - 1}`, speaker: i === 9 ? it.speaker : items[i - 1].speaker };
    });
    expect(dup[9].speaker).not.toBe(dup[8].speaker);
    const pairs = dup.flatMap((_, i) => (i % 10 === 9 ? [[i - 1, i]] : []));
    const splits = [
      stratifiedHoldout(dup, { seed: 42 }),
      speakerHoldout(dup, { seed: 42 }),
      ...stratifiedKFold(dup, { k: 5, seed: 42 }),
      ...speakerKFold(dup, { k: 3, seed: 42 }),
    ];
    for (const s of splits) {
      const val = new Set(s.val);
      for (const [a, b] of pairs) expect(val.has(a)).toBe(val.has(b));
      expect(s.protocol.duplicateGroups).toBe(pairs.length);
    }
  });

  it('refuses a speaker split without speakers, with a clear error', () => {
    const noSpeaker = items.map(({ id, label }) => ({ id, label }));
    expect(() => speakerHoldout(noSpeaker)).toThrow(SplitError);
    expect(() => speakerKFold(noSpeaker, { k: 2 })).toThrow(expect.objectContaining({ code: 'no_speakers', message: expect.stringMatching(/CSV manifest that has a speaker column/) }));
  });

  it('describes its protocol', () => {
    expect(describeProtocol(stratifiedHoldout(items, { seed: 42 }).protocol)).toBe('stratified hold-out 80/20, seed 42');
    expect(describeProtocol({ kind: 'leaky', valFraction: 0.2, seed: 42 })).toMatch(/^LEAKY \(augmented before the split; for demonstration only\) stratified 80\/20, seed 42$/);
    expect(describeProtocol(speakerKFold(items, { k: 3, seed: 42 })[1].protocol)).toMatch(/^leave-speakers-out 3-fold \(fold 2: speakers s\d\d(, s\d\d)*\), seed 42$/);
    expect(describeProtocol({ kind: 'speaker-kfold', k: 3, seed: 42 })).toBe('leave-speakers-out 3-fold cross-validation, seed 42');
    expect(describeProtocol(speakerHoldout(items, { seed: 42 }).protocol)).toMatch(/^speaker-independent hold-out \(speakers s\d\d(, s\d\d)* held out\), seed 42$/);
  });
});
