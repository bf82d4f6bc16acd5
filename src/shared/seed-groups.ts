// Runs that differ only by their seed, grouped, with mean ± sd of their scores and the spread: one implementation
// for the experiments list, the comparison and the CLI's `train --seeds`. No zod here (the renderer imports it).
import { meanSd, type ExperimentStatus, type MeanSd } from './outcome';

/** A run as the grouping needs it (an ExperimentSummary has all of these). */
export interface SeedRun {
  id: number;
  parentId: number | null;
  /** Equal for runs whose stored config is equal but for the seed (computed by the engine). */
  configKey: string;
  seed: number;
  status: ExperimentStatus;
  accuracy: number | null;
  macroF1: number | null;
  weightedF1: number | null;
}

export interface Scores {
  accuracy: number | null;
  macroF1: number | null;
  weightedF1: number | null;
}

export type ScoreKey = keyof Scores;
export const SCORE_KEYS: readonly ScoreKey[] = ['accuracy', 'macroF1', 'weightedF1'];

/** Mean ± sd (no sd from one value) and the range of one score over the seeds. */
export interface ScoreSpread extends MeanSd {
  min: number;
  max: number;
}

export type SeedSummary = Record<ScoreKey, ScoreSpread | null>;

/** Mean ± sd and range of each score over the given runs (one value per run; runs without a score are left out). */
export function seedSummary(runs: readonly Scores[]): SeedSummary {
  const of = (key: ScoreKey): ScoreSpread | null => {
    const values = runs.map((r) => r[key]).filter((v): v is number => v !== null && Number.isFinite(v));
    return values.length ? { ...meanSd(values), min: Math.min(...values), max: Math.max(...values) } : null;
  };
  return { accuracy: of('accuracy'), macroF1: of('macroF1'), weightedF1: of('weightedF1') };
}

export interface SeedGroup<T extends SeedRun> {
  key: string;
  /** Every member, in the order of the list given (newest first as listed). */
  runs: T[];
  /** The distinct seeds, ascending. */
  seeds: number[];
  /** The runs the numbers come from: per seed, its latest completed run (a repeat of one seed counts once). */
  scored: T[];
  summary: SeedSummary;
}

/**
 * Top-level runs (a cross-validation as its parent; folds never) grouped by config key, where a group has at
 * least two distinct seeds; runs without such company are not in any group.
 */
export function seedGroups<T extends SeedRun>(list: readonly T[]): SeedGroup<T>[] {
  const byKey = new Map<string, T[]>();
  for (const run of list) {
    if (run.parentId !== null) continue;
    const members = byKey.get(run.configKey);
    if (members) members.push(run);
    else byKey.set(run.configKey, [run]);
  }
  const groups: SeedGroup<T>[] = [];
  for (const [key, runs] of byKey) {
    const seeds = [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b);
    if (seeds.length < 2) continue;
    const scored = bestPerSeed(runs);
    groups.push({ key, runs, seeds, scored, summary: seedSummary(scored) });
  }
  return groups;
}

/** Per seed, the latest completed run (highest id); seeds with no completed run have none. */
function bestPerSeed<T extends SeedRun>(runs: readonly T[]): T[] {
  const bySeed = new Map<number, T>();
  for (const r of runs) {
    if (r.status !== 'completed') continue;
    const prev = bySeed.get(r.seed);
    if (!prev || r.id > prev.id) bySeed.set(r.seed, r);
  }
  return [...bySeed.values()].sort((a, b) => a.seed - b.seed);
}

/** "3 seeds", "3 seeds (2 scored)" when some have not completed. */
export function seedCountText(group: { seeds: readonly number[]; scored: readonly unknown[] }): string {
  const n = group.seeds.length;
  const base = `${n} seed${n === 1 ? '' : 's'}`;
  return group.scored.length === n ? base : `${base} (${group.scored.length} completed)`;
}
