/**
 * Parent side of the decoder fuzzer: spreads a run's case indices over runner processes (runner.ts), gives each
 * case a time budget, and turns a runner that stops answering (a hang) or dies (a native crash, out of memory)
 * into a finding for that case before restarting it on the next one. A run is fully determined by its seed
 * and case count; a finding names (seed, case index), which regenerates the bytes (see mutate.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { caseSeed } from './mutate';
import type { CaseReport, FromRunner, ToRunner } from './runner';

export interface FuzzOptions {
  runSeed: number;
  /** Case indices first..first+cases-1 (the systematic cases come first, from 0). */
  cases: number;
  first?: number;
  /** Runner processes working at once. */
  processes?: number;
  /** A case that runs longer than this is a hang. */
  caseTimeoutMs?: number;
  /** Allocation budget per case: base + perByte x file size. */
  budget?: { base: number; perByte: number };
  /** Heap limit of each runner (MB). */
  heapMb?: number;
  /** Stops handing out cases after this long (the cases run so far are reported). */
  deadlineMs?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Cases sent to a runner at a time. */
const BATCH = 20;

export interface Finding {
  index: number;
  seed?: string;
  what?: string[];
  problems: string[];
}

export interface FuzzSummary {
  runSeed: number;
  cases: number;
  /** Cases that ran (fewer than `cases` when the deadline stopped the run). */
  ran: number;
  ms: number;
  findings: Finding[];
  /** How cases ended, per step: e.g. { 'probe:ok': 812, 'loadMono:rejected:corrupt': 300 }. */
  outcomes: Record<string, number>;
  slowest: { index: number; ms: number; seed: string }[];
  largestAllocation: { index: number; bytes: number; what: string; fileBytes: number } | null;
}

const RUNNER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runner.ts');

export async function fuzz(opts: FuzzOptions): Promise<FuzzSummary> {
  const started = performance.now();
  const processes = Math.max(1, opts.processes ?? 1);
  const timeout = opts.caseTimeoutMs ?? 10_000;
  const budget = opts.budget ?? { base: 64 << 20, perByte: 256 };
  const findings: Finding[] = [];
  const outcomes: Record<string, number> = {};
  const slow: { index: number; ms: number; seed: string }[] = [];
  let largest: FuzzSummary['largestAllocation'] = null;
  let done = 0;

  // One queue in an order that mixes systematic and random cases, so a run stopped by its deadline has sampled both.
  const first = opts.first ?? 0;
  const queue = Array.from({ length: opts.cases }, (_, k) => first + k).sort((a, b) => caseSeed(0x5eed, a) - caseSeed(0x5eed, b));
  const deadline = opts.deadlineMs === undefined ? Infinity : started + opts.deadlineMs;
  let ran = 0;

  const record = (r: CaseReport) => {
    done++;
    ran++;
    opts.onProgress?.(done, opts.cases);
    for (const o of r.outcomes) {
      const key = `${o.step}:${o.kind}${o.kind === 'rejected' ? `:${o.code}` : ''}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    slow.push({ index: r.index, ms: r.ms, seed: r.seed });
    slow.sort((a, b) => b.ms - a.ms);
    slow.length = Math.min(slow.length, 5);
    if (!largest || r.allocMax > largest.bytes) largest = { index: r.index, bytes: r.allocMax, what: r.allocWhat, fileBytes: r.bytes };
    if (r.bugs.length) findings.push({ index: r.index, seed: r.seed, what: r.what, problems: r.bugs });
  };

  /** One runner process working batches off the queue; a runner that hangs or dies is replaced. */
  const worker = async () => {
    while (queue.length && performance.now() < deadline) await runnerLife();
  };

  const runnerLife = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const child: ChildProcess = fork(RUNNER, [], {
        execArgv: ['--import', 'tsx', `--max-old-space-size=${opts.heapMb ?? 512}`],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
      let batch: number[] = [];
      let current: number | null = null;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      let started = false;
      const nextBatch = () => {
        if (!queue.length || performance.now() >= deadline) return settle(null);
        batch = queue.splice(0, BATCH);
        const msg: ToRunner = { kind: 'cases', runSeed: opts.runSeed, indices: batch, budget };
        child.send(msg);
      };
      const settle = (problem: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (problem !== null && current !== null) {
          done++;
          ran++;
          opts.onProgress?.(done, opts.cases);
          findings.push({ index: current, problems: [problem] });
          batch = batch.filter((i) => i !== current);
        }
        // what the batch had left goes back to the front of the queue
        if (problem !== null) queue.unshift(...batch);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        resolve();
      };
      child.on('message', (m: FromRunner) => {
        if (m.kind === 'ready') {
          started = true;
          nextBatch();
        } else if (m.kind === 'start') {
          current = m.index;
          clearTimeout(timer);
          timer = setTimeout(() => settle(`hang: no answer within ${timeout} ms`), timeout);
        } else if (m.kind === 'done') {
          clearTimeout(timer);
          batch = batch.filter((i) => i !== m.report.index);
          current = null;
          record(m.report);
        } else if (m.kind === 'idle') {
          nextBatch();
        }
      });
      child.on('exit', (code, signal) => {
        if (settled) return;
        if (!started) {
          settled = true;
          reject(new Error(`fuzz runner failed to start (${signal ?? code}): ${stderr}`));
          return;
        }
        const oom = /heap out of memory|Allocation failed/i.test(stderr);
        settle(`${oom ? 'out of memory' : 'crash'}: runner ended (${signal ?? `exit code ${code}`})${stderr ? `; stderr: ${stderr.split('\n').slice(-6).join(' | ')}` : ''}`);
      });
    });

  await Promise.all(Array.from({ length: processes }, worker));
  findings.sort((a, b) => a.index - b.index);
  return { runSeed: opts.runSeed, cases: opts.cases, ran, ms: performance.now() - started, findings, outcomes, slowest: slow, largestAllocation: largest };
}
