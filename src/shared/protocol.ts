// The evaluation protocols as data, and their one description in words (CLI, UI, stored runs, reports).
// No zod here: the renderer imports describeProtocol to preview a run before it exists.

interface ProtocolCounts {
  seed: number;
  /** Exact-duplicate groups (>1 clip with one sha256) kept on one side of the split. */
  duplicateGroups: number;
  /** Items (clips, or pooled rows for `leaky`) on each side. */
  nTrain: number;
  nVal: number;
  /**
   * A test part held out before the train/validation split (absent: none). Early stopping never sees it; the run's
   * headline is its score. Speaker splits hold out whole speakers (`testSpeakers`).
   */
  testFraction?: number;
  nTest?: number;
  testSpeakers?: string[];
}

/** How one train/validation split was drawn: what a fold of an experiment records. */
export type SplitProtocol =
  | (ProtocolCounts & { kind: 'stratified'; valFraction: number })
  | (ProtocolCounts & {
      /** The classic mistake, reproduced to show its effect: originals and augmented copies pooled, then split. */
      kind: 'leaky';
      valFraction: number;
      /** Original + augmented rows in the pool. */
      poolRows: number;
      /** Share of validation rows whose source clip also has rows in training. */
      leakage: number;
    })
  | (ProtocolCounts & { kind: 'speaker'; valFraction: number; k: number; heldOutSpeakers: string[] })
  | (ProtocolCounts & { kind: 'kfold'; k: number; fold: number; valFraction?: number })
  | (ProtocolCounts & { kind: 'speaker-kfold'; k: number; fold: number; heldOutSpeakers: string[]; valFraction?: number });

export type ProtocolKind = SplitProtocol['kind'];
/** Every protocol kind, as data (filters list them). */
export const PROTOCOL_KINDS = ['stratified', 'leaky', 'speaker', 'kfold', 'speaker-kfold'] as const satisfies readonly ProtocolKind[];

/**
 * What describeProtocol needs: a split as drawn (SplitProtocol), a whole cross-validation (no fold), or a
 * protocol planned in the form (no held-out speakers yet).
 */
export type ProtocolOutline =
  | { kind: 'stratified' | 'leaky'; valFraction: number; seed: number; testFraction?: number }
  | { kind: 'speaker'; valFraction: number; seed: number; heldOutSpeakers?: string[]; testFraction?: number; testSpeakers?: string[] }
  | {
      kind: 'kfold' | 'speaker-kfold';
      k: number;
      seed: number;
      fold?: number;
      heldOutSpeakers?: string[];
      /** Share of each fold's training clips carved out for early stopping (absent: the held-out fold does it). */
      valFraction?: number;
    };

const pct = (f: number): number => Math.round(f * 100);

/** Which clips a run's headline number comes from: a test part early stopping never saw, or the validation clips that also chose the epoch. */
export const SCORE_SETS = ['test', 'validation'] as const;
export type ScoreSet = (typeof SCORE_SETS)[number];

/** Which clips a number comes from, as every page, the CLI and the report name them (en; common.scoreSet.* in the catalogues). */
export function scoreSetText(set: ScoreSet | undefined): string {
  return set === 'test' ? 'test' : 'validation (also used for early stopping)';
}

/** The validation part a k-fold run carves from each fold's training clips, when it has one (its held-out folds are then tests). */
export function innerValidationOf(p: ProtocolOutline): { fraction: number; bySpeaker: boolean } | null {
  if ((p.kind !== 'kfold' && p.kind !== 'speaker-kfold') || !p.valFraction) return null;
  return { fraction: p.valFraction, bySpeaker: p.kind === 'speaker-kfold' };
}

/** Which clips a run's numbers come from, by its protocol: a test part or held-out folds early stopping never saw, or not. */
export function scoreSetOf(p: ProtocolOutline): ScoreSet {
  return testPartOf(p) || innerValidationOf(p) ? 'test' : 'validation';
}

/** The test part of a hold-out protocol, when it has one. */
export function testPartOf(p: ProtocolOutline): { fraction: number; speakers?: string[] } | null {
  if (p.kind !== 'stratified' && p.kind !== 'speaker') return null;
  if (!p.testFraction) return null;
  return { fraction: p.testFraction, ...(p.kind === 'speaker' && p.testSpeakers ? { speakers: p.testSpeakers } : {}) };
}

/** "stratified hold-out 80/20, seed 42", "leave-speakers-out 5-fold (fold 2: speakers 03, 14), seed 42"... */
export function describeProtocol(p: ProtocolOutline): string {
  const test = testPartOf(p);
  const base = describeSplit(p);
  const inner = innerValidationOf(p);
  if (inner) return `${base}; the held-out fold is the test, early stopping on ${pct(inner.fraction)}% of the training ${inner.bySpeaker ? 'speakers' : 'clips'}`;
  if (!test) return base;
  const speakers = test.speakers ? ` (speakers ${test.speakers.join(', ')})` : '';
  return `${base}; test part ${pct(test.fraction)}%${speakers} held out first, never seen by early stopping`;
}

function describeSplit(p: ProtocolOutline): string {
  const seed = `seed ${p.seed}`;
  switch (p.kind) {
    case 'stratified':
      return `stratified hold-out ${pct(1 - p.valFraction)}/${pct(p.valFraction)}, ${seed}`;
    case 'leaky':
      return `LEAKY (augmented before the split; for demonstration only) stratified ${pct(1 - p.valFraction)}/${pct(p.valFraction)}, ${seed}`;
    case 'speaker':
      return p.heldOutSpeakers
        ? `speaker-independent hold-out (speakers ${p.heldOutSpeakers.join(', ')} held out), ${seed}`
        : `speaker-independent hold-out (~${pct(p.valFraction)}% of speakers held out), ${seed}`;
    case 'kfold':
    case 'speaker-kfold': {
      const name = p.kind === 'kfold' ? `stratified ${p.k}-fold` : `leave-speakers-out ${p.k}-fold`;
      if (p.fold === undefined) return `${name} cross-validation, ${seed}`;
      const speakers = p.heldOutSpeakers ? `: speakers ${p.heldOutSpeakers.join(', ')}` : '';
      return `${name} (fold ${p.fold + 1}${speakers}), ${seed}`;
    }
  }
}
