// A recorded run's configuration as data: the request that runs it again, and the part that makes two runs
// "the same experiment but for the seed". No zod here (the renderer imports it); the engine validates.
import type { TrainRequest } from './experiment';
import { LIMITS } from './params';

/** Settings of a stored config that do not change what a run computes, or that name it rather than define it. */
const NOT_COMPARED = new Set(['seed', 'workers', 'dataset']);

/** The request fields a stored config carries (everything TrainRequest has but the dataset, which goes by id). */
const REQUEST_KEYS = [
  'split',
  'seed',
  'augment',
  'copies',
  'copyPolicy',
  'leaky',
  'epochs',
  'patience',
  'batchSize',
  'learningRate',
  'hidden',
  'activation',
  'dropout',
  'backend',
  'features',
  'normalize',
  'testFraction',
] as const;

/**
 * The request that runs a stored configuration again (optionally with another seed). The dataset goes by id, so
 * a renamed dataset still resolves; settings the config does not hold (older runs) take today's defaults. Values
 * are copied as JSON (the window's are reactive proxies, which structuredClone refuses).
 */
export function requestFromConfig(config: Record<string, unknown>, datasetId: number, seed?: number): TrainRequest {
  const request: Record<string, unknown> = { dataset: datasetId };
  for (const key of REQUEST_KEYS) if (config[key] !== undefined && config[key] !== null) request[key] = JSON.parse(JSON.stringify(config[key]));
  if (seed !== undefined) request.seed = seed;
  return request as unknown as TrainRequest;
}

/** The config without what does not define the experiment (seed, worker count, the dataset's name). */
export function seedFreeConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => !NOT_COMPARED.has(k)));
}

/** JSON with object keys sorted at every level, so equal configs give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** "42–44" for consecutive seeds, "0, 1, 42" otherwise. */
export function seedsText(seeds: readonly number[]): string {
  if (seeds.length > 2 && seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1)) return `${seeds[0]}–${seeds[seeds.length - 1]}`;
  return seeds.join(', ');
}

/** Seeds s..s+n-1 ("Repeat with N seeds" from a run with seed s), kept within the seed range. */
export function consecutiveSeeds(start: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => start + i).filter((s) => s <= LIMITS.seed.max);
}
