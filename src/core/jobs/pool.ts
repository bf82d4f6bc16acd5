import { fork } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ErrorInfo } from '../../shared/experiment';
import { resolveEntry, tsxBootstrap } from './entry';

export interface PoolTask<I> {
  id: number;
  input: I;
}

export interface PoolOptions<I = unknown> {
  /** Workers; defaults to the number of cores. */
  size?: number;
  /**
   * 'process' (default): one child process per worker — separate heaps and address spaces, so two
   * workers scale with the cores (threads in one process contend on the allocator and page faults);
   * 'thread': worker threads, cheaper to start.
   */
  isolation?: 'process' | 'thread';
  signal?: AbortSignal;
  /**
   * Time budget of one task in milliseconds (or the task's own, from its input): a task still running after it
   * (a decoder that hangs on one file) has its worker stopped and yields `timeout`; a new worker takes the next
   * task, so the batch goes on. Default: no budget.
   */
  taskTimeoutMs?: number | ((input: I) => number);
}

/** What the pool needs from a worker, whether a thread or a child process. */
interface PoolWorker {
  postMessage(m: unknown): void;
  on(event: 'message', fn: (m: unknown) => void): void;
  on(event: 'error', fn: (e: Error) => void): void;
  terminate(): Promise<unknown>;
}

/**
 * A thread or child process as a PoolWorker. Its 'error' listeners hear, exactly once, of any end
 * the pool did not ask for with terminate(): an uncaught exception, process.exit() (even with code
 * 0: a task may be in flight), a signal from anyone else.
 */
function asPoolWorker(
  kind: 'thread' | 'process',
  raw: EventEmitter,
  send: (m: unknown) => void,
  stop: () => Promise<unknown>,
): PoolWorker {
  const onEnd: ((e: Error) => void)[] = [];
  let ended = false;
  const end = (e: Error): void => {
    if (ended) return;
    ended = true;
    onEnd.forEach((f) => f(e));
  };
  raw.on('error', end);
  raw.on('exit', (code: number | null, signal?: NodeJS.Signals | null) =>
    end(new Error(signal ? `worker ${kind} killed by ${signal}` : `worker ${kind} exited with code ${code}`)),
  );
  return {
    postMessage: send,
    on: ((event: 'message' | 'error', fn: (x: unknown) => void) => {
      if (event === 'message') raw.on('message', fn);
      else onEnd.push(fn as (e: Error) => void);
    }) as PoolWorker['on'],
    terminate: () => {
      ended = true;
      return stop();
    },
  };
}

function processWorker(file: string, viaTsx: boolean): PoolWorker {
  const child = fork(file, [], { execArgv: viaTsx ? ['--import', 'tsx'] : [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return asPoolWorker(
    'process',
    child,
    (m) => child.connected && child.send(m as object),
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
}

function threadWorker(file: string, viaTsx: boolean): PoolWorker {
  const worker = viaTsx ? new Worker(tsxBootstrap(file), { eval: true }) : new Worker(file);
  return asPoolWorker('thread', worker, (m) => worker.postMessage(m), () => worker.terminate());
}

type WorkerReply<O> = { id: number; ok: true; output: O } | { id: number; ok: false; error: ErrorInfo };

export type TaskResult<I, O> = { input: I; ok: true; output: O } | { input: I; ok: false; error: ErrorInfo };

export function defaultPoolSize(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * Runs tasks on a pool of workers (child processes or threads), pulling inputs lazily from an
 * (async) iterable so memory stays bounded however many files there are; yields results as they
 * complete. A task that fails yields the worker's error result; a worker that dies yields
 * `worker_crashed` for its task and is replaced. Abort (or leaving the loop) stops pulling inputs
 * and terminates every worker before the generator returns.
 */
export async function* runPool<I, O>(
  entry: { callerUrl: string; name: string; source: string },
  inputs: Iterable<I> | AsyncIterable<I>,
  options: PoolOptions<I> = {},
): AsyncGenerator<TaskResult<I, O>> {
  const size = Math.max(1, options.size ?? defaultPoolSize());
  const where = resolveEntry(entry.callerUrl, entry.name, entry.source);
  const spawn = (): PoolWorker => ((options.isolation ?? 'process') === 'process' ? processWorker : threadWorker)(where.file, where.viaTsx);

  const iterator = (Symbol.asyncIterator in inputs ? (inputs as AsyncIterable<I>)[Symbol.asyncIterator]() : (inputs as Iterable<I>)[Symbol.iterator]()) as
    | AsyncIterator<I>
    | Iterator<I>;
  let nextId = 0;
  let exhausted = false;
  const ready: TaskResult<I, O>[] = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const inFlight = new Map<PoolWorker, PoolTask<I>>();
  const workers: PoolWorker[] = [];
  const timers = new Map<PoolWorker, ReturnType<typeof setTimeout>>();
  let fatal: Error | null = null;
  const budgetOf = (input: I): number | undefined =>
    typeof options.taskTimeoutMs === 'function' ? options.taskTimeoutMs(input) : options.taskTimeoutMs;
  const clearTimer = (worker: PoolWorker) => {
    clearTimeout(timers.get(worker));
    timers.delete(worker);
  };

  const feed = async (worker: PoolWorker) => {
    if (exhausted || options.signal?.aborted) return;
    const n = await iterator.next();
    if (n.done) {
      exhausted = true;
      notify();
      return;
    }
    const task = { id: nextId++, input: n.value };
    inFlight.set(worker, task);
    const budget = budgetOf(task.input);
    if (budget !== undefined && Number.isFinite(budget)) {
      const timer = setTimeout(() => {
        if (inFlight.get(worker) !== task) return;
        const sec = budget / 1000;
        lose(worker, { code: 'timeout', message: `took longer than its time budget (${sec < 10 ? sec.toFixed(1) : Math.round(sec)} s) and was stopped` });
      }, budget);
      timer.unref?.();
      timers.set(worker, timer);
    }
    worker.postMessage(task);
  };

  /** A worker that crashed or ran out of time: its task fails with `error`, a new worker takes the next task. */
  const lose = (worker: PoolWorker, error: ErrorInfo) => {
    clearTimer(worker);
    const task = inFlight.get(worker);
    inFlight.delete(worker);
    if (task) ready.push({ input: task.input, ok: false, error });
    const at = workers.indexOf(worker);
    if (at >= 0) workers.splice(at, 1);
    void worker.terminate(); // a process that only lost its channel (or hangs) must not outlive the pool
    if (!options.signal?.aborted && !exhausted) {
      const replacement = spawn();
      attach(replacement);
      feed(replacement).catch((e) => {
        fatal = e;
        notify();
      });
    }
    notify();
  };

  const attach = (worker: PoolWorker) => {
    workers.push(worker);
    worker.on('message', (m) => {
      const reply = m as WorkerReply<O>;
      clearTimer(worker);
      const task = inFlight.get(worker);
      inFlight.delete(worker);
      if (task) ready.push(reply.ok ? { input: task.input, ok: true, output: reply.output } : { input: task.input, ok: false, error: reply.error });
      notify();
      feed(worker).catch((e) => {
        fatal = e;
        notify();
      });
    });
    worker.on('error', (err: Error) => lose(worker, { code: 'worker_crashed', message: err.message }));
  };

  if (options.signal?.aborted) return;
  const onAbort = () => notify();
  options.signal?.addEventListener('abort', onAbort);
  try {
    for (let i = 0; i < size; i++) attach(spawn());
    await Promise.all(workers.slice().map((w) => feed(w)));
    while (true) {
      while (ready.length) yield ready.shift()!;
      if (fatal) throw fatal;
      if (options.signal?.aborted) return;
      if (exhausted && inFlight.size === 0) return;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const t of timers.values()) clearTimeout(t);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
