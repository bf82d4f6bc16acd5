import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSeedSummary, parseSeeds, seedQueueSummary } from '../../src/cli/commands/train';
import type { SeedQueue, TrainResult } from '../../src/shared/experiment';
import { demoWorkspace } from '../helpers/demo-workspace';

const run = promisify(execFile);
const bin = path.resolve('bin/ser-studio.js');
let wsDir: string;

beforeAll(async () => {
  const ws = await demoWorkspace('cli-seeds');
  wsDir = ws.dir;
  ws.close();
});
afterAll(() => undefined);

const quick = ['--dataset', 'demo', '--augment', 'none', '--epochs', '2', '--patience', '0', '--backend', 'cpu'];

describe('train --seeds / --repeat', () => {
  it('parses the seeds it is given, and refuses what cannot run', () => {
    expect(parseSeeds('42,0,1', undefined, undefined)).toEqual([42, 0, 1]);
    expect(parseSeeds(undefined, '3', 7)).toEqual([7, 8, 9]);
    expect(parseSeeds(undefined, '2', undefined)).toEqual([42, 43]);
    expect(parseSeeds(undefined, undefined, 5)).toBeNull();
    expect(() => parseSeeds('1,2', '2', undefined)).toThrow(/either --seeds or --repeat/);
    expect(() => parseSeeds('1,2', undefined, 3)).toThrow(/leave out --seed/);
    expect(() => parseSeeds('1,x', undefined, undefined)).toThrow(/comma-separated list of seeds, each a whole number from 0 to 4294967295/);
    expect(() => parseSeeds('1,,2', undefined, undefined)).toThrow(/comma-separated/);
    expect(() => parseSeeds('1,1', undefined, undefined)).toThrow(/twice/);
    expect(() => parseSeeds(undefined, '0', undefined)).toThrow(/--repeat must be a whole number from 1 to 100/);
    expect(() => parseSeeds(undefined, '3', 2 ** 32 - 2)).toThrow(/past the largest seed/);
  });

  it('summarises the completed runs with mean ± sd and the range (hand-checked)', () => {
    const queue: SeedQueue = {
      requestId: 'cli',
      sourceId: null,
      current: null,
      done: true,
      cancelled: false,
      runs: [
        { seed: 42, requestId: 'cli.1', status: 'completed', experimentId: 5, accuracy: 0.6, macroF1: 0.5, weightedF1: 0.55, error: null },
        { seed: 0, requestId: 'cli.2', status: 'completed', experimentId: 6, accuracy: 0.8, macroF1: 0.7, weightedF1: 0.75, error: null },
        { seed: 1, requestId: 'cli.3', status: 'failed', experimentId: null, accuracy: null, macroF1: null, weightedF1: null, error: 'boom' },
      ],
    };
    const s = seedQueueSummary(queue);
    expect(s).toMatchObject({ seeds: [42, 0, 1], completed: 2, accuracy: { n: 2, min: 0.6, max: 0.8 } });
    // mean 0.7, sd sqrt((0.01 + 0.01) / 1) = 0.1414
    expect(s.accuracy!.mean).toBeCloseTo(0.7, 12);
    expect(s.accuracy!.sd).toBeCloseTo(Math.SQRT2 / 10, 12);
    expect(formatSeedSummary(s)).toBe(
      [
        '3 seeds (42, 0, 1): 2 completed; seed 1 failed',
        '  over 2 seeds: accuracy 0.700 ± 0.141 (range 0.600–0.800), macro F1 0.600 ± 0.141 (range 0.500–0.700), weighted F1 0.650 ± 0.141 (range 0.550–0.750)',
        '  experiments: #5, #6, seed 1 not recorded',
      ].join('\n'),
    );
  });

  it('--seeds 42,0,1 --json: one run per seed, one after another, with runs and summary', async () => {
    const { stdout } = await run(process.execPath, [bin, 'train', ...quick, '--seeds', '42,0,1', '--workspace', wsDir, '--json'], { maxBuffer: 1 << 24 });
    const out = JSON.parse(stdout) as { runs: TrainResult[]; summary: ReturnType<typeof seedQueueSummary> };
    expect(out.runs).toHaveLength(3);
    expect(out.runs.map((r) => r.protocol)).toEqual(['stratified hold-out 80/20, seed 42', 'stratified hold-out 80/20, seed 0', 'stratified hold-out 80/20, seed 1']);
    // One after another: each run's experiment is recorded after the previous one.
    expect(out.runs.map((r) => r.experimentId)).toEqual([...out.runs.map((r) => r.experimentId)].sort((a, b) => a - b));
    expect(out.summary.seeds).toEqual([42, 0, 1]);
    expect(out.summary.completed).toBe(3);
    const accs = out.runs.map((r) => r.accuracy!);
    const mean = accs.reduce((a, b) => a + b, 0) / 3;
    expect(out.summary.accuracy!.mean).toBeCloseTo(mean, 12);
    expect(out.summary.accuracy!.sd).toBeCloseTo(Math.sqrt(accs.reduce((a, v) => a + (v - mean) ** 2, 0) / 2), 12);
    expect(out.summary.runs.map((r) => r.experimentId)).toEqual(out.runs.map((r) => r.experimentId));
  }, 180_000);

  it('--repeat 2: prints each result, then mean ± sd', async () => {
    const { stdout } = await run(process.execPath, [bin, 'train', ...quick, '--seed', '5', '--repeat', '2', '--workspace', wsDir], { maxBuffer: 1 << 24 });
    expect(stdout.match(/^Experiment \d+: completed/gm)).toHaveLength(2);
    expect(stdout).toContain('protocol: stratified hold-out 80/20, seed 5');
    expect(stdout).toContain('protocol: stratified hold-out 80/20, seed 6');
    expect(stdout).toMatch(/2 seeds \(5, 6\): 2 completed\n {2}over 2 seeds, validation \(also used for early stopping\): accuracy \d\.\d{3} ± \d\.\d{3}/);
  }, 180_000);
});
