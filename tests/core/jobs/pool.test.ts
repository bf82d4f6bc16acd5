import type { ChildProcess } from 'node:child_process';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runPool, type TaskResult } from '../../../src/core/jobs/pool';
import type { EchoOutput, EchoTask } from './fixtures/echo-worker';

// Every thread and process the pool starts is recorded (the real ones, wrapped), so the tests can
// check that each one has ended when the pool returns.
const started = vi.hoisted(() => ({
  processes: [] as ChildProcess[],
  threads: [] as { worker: Worker; exited: boolean }[],
}));

vi.mock('node:child_process', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:child_process')>();
  const fork = ((...args: Parameters<typeof real.fork>) => {
    const child = real.fork(...args);
    started.processes.push(child);
    return child;
  }) as typeof real.fork;
  return { ...real, default: { ...real, fork }, fork };
});

vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class TrackedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      const entry = { worker: this as Worker, exited: false };
      this.once('exit', () => (entry.exited = true));
      started.threads.push(entry);
    }
  }
  return { ...real, default: { ...real, Worker: TrackedWorker }, Worker: TrackedWorker };
});

const ENTRY = { callerUrl: import.meta.url, name: 'echo-worker', source: './fixtures/echo-worker.ts' };

type Mode = 'thread' | 'process';
type Result = TaskResult<EchoTask, EchoOutput>;

/** Fails the test instead of hanging it when the pool never finishes (e.g. a lost task). */
async function collect(inputs: Iterable<EchoTask> | AsyncIterable<EchoTask>, opts: Parameters<typeof runPool>[2], ms = 20_000): Promise<Result[]> {
  const out: Result[] = [];
  const run = (async () => {
    for await (const r of runPool<EchoTask, EchoOutput>(ENTRY, inputs, opts)) out.push(r);
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`pool did not finish within ${ms} ms; results so far: ${JSON.stringify(out.map((r) => r.input))}`)), ms);
  });
  try {
    await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return out;
}

function spawned(mode: Mode): number {
  return mode === 'process' ? started.processes.length : started.threads.length;
}

/** Every worker the pool started has ended (processes: really gone, not just signalled). */
function expectAllEnded(mode: Mode): void {
  if (mode === 'process') {
    for (const child of started.processes) {
      expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
      expect(() => process.kill(child.pid!, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    }
  } else {
    for (const t of started.threads) expect(t.exited).toBe(true);
  }
}

function byValue(results: Result[]): Map<number, Result> {
  return new Map(results.map((r) => [r.input.value, r]));
}

/** Two quick tasks, then tasks that never finish; counts the inputs the pool has pulled. */
function quickThenSpinning(): { inputs: Generator<EchoTask>; pulled: number } {
  const source = { pulled: 0, inputs: undefined as unknown as Generator<EchoTask> };
  source.inputs = (function* () {
    for (let value = 0; ; value++) {
      source.pulled++;
      yield value < 2 ? { value } : { value, action: 'spin' as const };
    }
  })();
  return source;
}

afterEach(() => {
  started.processes.length = 0;
  started.threads.length = 0;
});

describe.each<Mode>(['thread', 'process'])('runPool (%s workers)', (mode) => {
  it('gives one result per task, pulling inputs lazily, and ends its workers', async () => {
    let pulled = 0;
    function* inputs(): Generator<EchoTask> {
      for (let value = 0; value < 12; value++) {
        pulled++;
        yield value === 5 ? { value, action: 'fail' } : { value };
      }
    }
    const results = await collect(inputs(), { size: 2, isolation: mode });
    expect(pulled).toBe(12);
    expect(results).toHaveLength(12);
    const got = byValue(results);
    expect([...got.keys()].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    for (const [value, r] of got) {
      if (value === 5) expect(r).toEqual({ input: { value, action: 'fail' }, ok: false, error: { code: 'task_failed', message: 'cannot do 5' } });
      else expect(r).toMatchObject({ ok: true, output: { doubled: 2 * value } });
    }
    // a task that fails is not a crash: the two workers did everything
    expect(spawned(mode)).toBe(2);
    expect(new Set(results.flatMap((r) => (r.ok ? [r.output.pid] : []))).size).toBe(mode === 'process' ? 2 : 1);
    expectAllEnded(mode);
  });

  it('accepts an async iterable', async () => {
    async function* inputs(): AsyncGenerator<EchoTask> {
      for (let value = 0; value < 4; value++) {
        await new Promise((r) => setTimeout(r, 1));
        yield { value };
      }
    }
    const results = await collect(inputs(), { size: 2, isolation: mode });
    expect(results.map((r) => (r.ok ? r.output.doubled : NaN)).sort((a, b) => a - b)).toEqual([0, 2, 4, 6]);
    expectAllEnded(mode);
  });

  const crashes: [string, EchoTask['action'], RegExp][] = [
    ['process.exit(3)', 'exit', /exited with code 3/],
    ['process.exit(0) mid-task', 'exit0', /exited with code 0/],
    ['an uncaught exception', 'throw', mode === 'thread' ? /boom on 1/ : /exited with code 1/],
    ...(mode === 'process' ? [['SIGKILL', 'kill', /killed by SIGKILL/] as [string, EchoTask['action'], RegExp]] : []),
  ];

  it.each(crashes)('a worker dying of %s fails that task only (worker_crashed) and is replaced', async (_name, action, message) => {
    // one worker: if the dead one were not replaced, the remaining tasks would never run
    const inputs: EchoTask[] = [{ value: 0 }, { value: 1, action }, { value: 2 }, { value: 3 }];
    const results = await collect(inputs, { size: 1, isolation: mode });
    expect(results).toHaveLength(4);
    const got = byValue(results);
    const crashed = got.get(1)!;
    expect(crashed.ok).toBe(false);
    if (!crashed.ok) {
      expect(crashed.error.code).toBe('worker_crashed');
      expect(crashed.error.message).toMatch(message);
    }
    for (const v of [0, 2, 3]) expect(got.get(v)).toMatchObject({ ok: true, output: { doubled: 2 * v } });
    expect(spawned(mode)).toBe(2);
    // the replacement is another worker
    const pids = new Set(results.flatMap((r) => (r.ok ? [r.output.pid] : [])));
    if (mode === 'process') expect(pids.size).toBe(2);
    expectAllEnded(mode);
  });

  it('several crashes among many tasks: each crashed task fails once, every other one completes', async () => {
    const actions: Record<number, EchoTask['action']> = { 2: 'exit', 7: 'throw', 8: 'exit' };
    const inputs = Array.from({ length: 16 }, (_, value): EchoTask => ({ value, action: actions[value] }));
    const results = await collect(inputs, { size: 2, isolation: mode });
    expect(results).toHaveLength(16);
    const got = byValue(results);
    for (const [value, r] of got) {
      if (value in actions) expect(r).toMatchObject({ ok: false, error: { code: 'worker_crashed' } });
      else expect(r).toMatchObject({ ok: true, output: { doubled: 2 * value } });
    }
    // one replacement per crash at most (none once the inputs have run out)
    expect(spawned(mode)).toBeGreaterThanOrEqual(2);
    expect(spawned(mode)).toBeLessThanOrEqual(2 + 3);
    expectAllEnded(mode);
  });

  it('abort stops the pool promptly, pulls no more inputs and terminates busy workers', async () => {
    const controller = new AbortController();
    const source = quickThenSpinning();
    const results: Result[] = [];
    let abortedAt = 0;
    // one task per worker at a time (no prefetch): exactly 4 inputs are pulled before the abort
    const run = collect(source.inputs, { size: 2, isolation: mode, signal: controller.signal, prefetch: 1 });
    // abort once both workers are stuck in a spinning task
    const poll = setInterval(() => {
      if (source.pulled >= 4 && !abortedAt) {
        abortedAt = performance.now();
        controller.abort();
      }
    }, 20);
    try {
      results.push(...(await run));
    } finally {
      clearInterval(poll);
    }
    const stoppedAfter = performance.now() - abortedAt;
    expect(abortedAt).toBeGreaterThan(0);
    expect(stoppedAfter).toBeLessThan(2000);
    expect(results.map((r) => r.input.value).sort()).toEqual([0, 1]);
    expect(source.pulled).toBe(4);
    expect(spawned(mode)).toBe(2);
    expectAllEnded(mode);
  });

  it('with tasks sent ahead (the default), abort still pulls nothing more and drops only tasks not started', async () => {
    const controller = new AbortController();
    const source = quickThenSpinning();
    let pulledAtAbort = -1;
    const run = collect(source.inputs, { size: 2, isolation: mode, signal: controller.signal });
    // each worker holds two tasks: once six inputs are out, both are spinning (0 and 1 answered)
    const poll = setInterval(() => {
      if (source.pulled >= 6 && pulledAtAbort < 0) {
        pulledAtAbort = source.pulled;
        controller.abort();
      }
    }, 20);
    let results: Result[];
    try {
      results = await run;
    } finally {
      clearInterval(poll);
    }
    expect(pulledAtAbort).toBe(6);
    expect(source.pulled).toBe(6);
    expect(results.map((r) => r.input.value).sort()).toEqual([0, 1]);
    expect(spawned(mode)).toBe(2);
    expectAllEnded(mode);
  });

  it('sends each worker a second task before it answers the first, and keeps every answer in its task', async () => {
    const inputs = Array.from({ length: 40 }, (_, value): EchoTask => ({ value }));
    const results = await collect(inputs, { size: 2, isolation: mode });
    expect(results).toHaveLength(40);
    for (const r of results) expect(r).toMatchObject({ ok: true, output: { doubled: 2 * r.input.value } });
    expectAllEnded(mode);
  });

  it('a crash while a second task waits in the worker fails the running task only; the waiting one runs elsewhere', async () => {
    const inputs: EchoTask[] = [{ value: 0, action: 'exit' }, { value: 1 }, { value: 2, action: 'kill' }, { value: 3 }, { value: 4 }];
    const results = await collect(
      inputs.filter((t) => mode === 'process' || t.action !== 'kill'),
      { size: 1, isolation: mode },
    );
    const got = byValue(results);
    expect(got.get(0)).toMatchObject({ ok: false, error: { code: 'worker_crashed' } });
    if (mode === 'process') expect(got.get(2)).toMatchObject({ ok: false, error: { code: 'worker_crashed', message: expect.stringMatching(/SIGKILL/) } });
    for (const v of [1, 3, 4]) expect(got.get(v)).toMatchObject({ ok: true, output: { doubled: 2 * v } });
    expect(spawned(mode)).toBe(mode === 'process' ? 3 : 2);
    expectAllEnded(mode);
  });

  it('an already aborted signal starts nothing', async () => {
    let pulled = 0;
    const results = await collect(
      (function* () {
        for (;;) {
          pulled++;
          yield { value: 1 };
        }
      })(),
      { size: 2, isolation: mode, signal: AbortSignal.abort() },
    );
    expect(results).toEqual([]);
    expect(pulled).toBe(0);
    expect(spawned(mode)).toBe(0);
  });

  it('a consumer that stops early ends the workers too', async () => {
    const inputs = Array.from({ length: 50 }, (_, value): EchoTask => ({ value }));
    let seen = 0;
    for await (const r of runPool<EchoTask, EchoOutput>(ENTRY, inputs, { size: 2, isolation: mode })) {
      expect(r.ok).toBe(true);
      if (++seen === 3) break;
    }
    expect(spawned(mode)).toBe(2);
    expectAllEnded(mode);
  });
});
