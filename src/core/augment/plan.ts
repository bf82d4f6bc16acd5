import type { COPY_POLICIES } from '../../shared/params';
import { deriveSeed, Rng } from '../train/rng';
import { drawParams } from './draw';
import { AUG_NAMES, type AugName, type AugParams } from './params';

/**
 * Bump when an augmentation's output changes for the same id, so cached features are not reused.
 * 2: pitch shifting resamples with python-soxr's exact float32 output.
 */
export const AUGMENT_ALGO_VERSION = 2;

export type CopyPolicy = (typeof COPY_POLICIES)[number];

export interface CopyPlan {
  policy: CopyPolicy;
  /** Augmented copies per clip (default 5: with 'cycle', one of each). */
  copies: number;
  /** Augmentations enabled (default all five, in the reference's order). */
  names?: readonly AugName[];
}

function augmentationId(name: AugName, copy: number, seed: number): string {
  return `${name}#${copy}@${seed}`;
}

/**
 * Which augmentation copy k of a clip gets. 'cycle': names[k % names.length]; 'random': uniform over
 * names, drawn from a stream of its own per (seed, clip, copy) so neither the order clips are processed
 * in nor the other copies change it.
 */
export function copyName(plan: CopyPlan, seed: number, clipKey: string, copy: number): AugName {
  const names = plan.names ?? AUG_NAMES;
  if (names.length === 0) throw new RangeError('copy plan: no augmentation enabled');
  if (plan.policy === 'cycle') return names[copy % names.length];
  if (plan.policy === 'random') return names[new Rng(deriveSeed(seed, `augment-plan:${clipKey}:${copy}`)).int(names.length)];
  throw new RangeError(`copy plan: unknown policy '${String(plan.policy)}'`);
}

/**
 * The parameters of copy k, drawn from a stream seeded by (seed, clip, copy, name) only, so a given
 * augId always means the same signal whatever the policy or the order of processing.
 */
function copyParams(name: AugName, seed: number, clipKey: string, copy: number): AugParams {
  return drawParams(name, new Rng(deriveSeed(seed, `augment:${clipKey}:${copy}:${name}`)));
}

export interface PlannedCopy {
  augId: string;
  copy: number;
  params: AugParams;
}

/** The copies of one clip without computing them (for logging, or to look features up in a cache first). */
export function planClip(plan: CopyPlan, seed: number, clipKey: string): PlannedCopy[] {
  if (!Number.isInteger(plan.copies) || plan.copies < 0) throw new RangeError(`copy plan: copies must be a non-negative integer, got ${plan.copies}`);
  const out: PlannedCopy[] = [];
  for (let k = 0; k < plan.copies; k++) {
    const name = copyName(plan, seed, clipKey, k);
    out.push({ augId: augmentationId(name, k, seed), copy: k, params: copyParams(name, seed, clipKey, k) });
  }
  return out;
}
