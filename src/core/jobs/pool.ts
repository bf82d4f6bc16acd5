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
  /**
   * Tasks sent to a worker ahead of its replies (default 2): the next task is already waiting in the worker when it
   * answers one, instead of a round trip through this process, which competes for the same cores. A worker runs
   * its tasks one at a time, in order, and answers each before it starts the next (see PoolWorker).
   */
  prefetch?: number;
}

/**
 * What the pool needs from a worker, whether a thread or a child process. The entry it runs must take its tasks one
 * at a time, in the order they arrive, and answer each before it starts the next; a child process must also wait
 * until its answer is written (process.send's callback). Then, when a worker ends, every answer it gave has been
 * heard, and the first unanswered task is the one it was running.
 */
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
  // A thread's messages are all delivered before its 'exit' (not before the 'error' of an uncaught exception,
  // which comes first): its end is 'exit', with that error. A process's messages may still be in its channel
  // at 'exit': its end is 'close', once the channel has been read to the end. Both with a bound, should the
  // event not come (a process's descendant holding the channel open).
  let thrown: Error | null = null;
  const endSoon = (error: Error, event: 'exit' | 'close') => {
    raw.once(event, () => end(thrown ?? error));
    setTimeout(() => end(thrown ?? error), 2000).unref();
  };
  raw.on('error', (e: Error) => {
    if (kind === 'process') return end(e); // could not be started, or signalled
    thrown ??= e;
    endSoon(e, 'exit');
  });
  raw.on('exit', (code: number | null, signal?: NodeJS.Signals | null) => {
    const error = new Error(signal ? `worker ${kind} killed by ${signal}` : `worker ${kind} exited with code ${code}`);
    if (kind === 'thread') end(thrown ?? error);
    else endSoon(error, 'close');
  });
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
  // the tasks sent to each worker, in order: the first is the one it is running
  const queues = new Map<PoolWorker, PoolTask<I>[]>();
  // inputs taken back from a worker that ended before it started them: sent again before any new input
  const retry: I[] = [];
  const depth = Math.max(1, Math.floor(options.prefetch ?? 2));
  const workers: PoolWorker[] = [];
  const timers = new Map<PoolWorker, ReturnType<typeof setTimeout>>();
  const feeding = new Set<PoolWorker>();
  let fatal: Error | null = null;
  const budgetOf = (input: I): number | undefined =>
    typeof options.taskTimeoutMs === 'function' ? options.taskTimeoutMs(input) : options.taskTimeoutMs;
  const clearTimer = (worker: PoolWorker) => {
    clearTimeout(timers.get(worker));
    timers.delete(worker);
  };
  /** The budget runs from when the task becomes the worker's current one. */
  const armTimer = (worker: PoolWorker, task: PoolTask<I>) => {
    const budget = budgetOf(task.input);
    if (budget === undefined || !Number.isFinite(budget)) return;
    const timer = setTimeout(() => {
      if (queues.get(worker)?.[0] !== task) return;
      const sec = budget / 1000;
      lose(worker, { code: 'timeout', message: `took longer than its time budget (${sec < 10 ? sec.toFixed(1) : Math.round(sec)} s) and was stopped` });
    }, budget);
    timer.unref?.();
    timers.set(worker, timer);
  };
  const nextInput = async (): Promise<{ input: I } | null> => {
    if (retry.length) return { input: retry.shift()! };
    if (exhausted) return null;
    const n = await iterator.next();
    if (n.done) {
      exhausted = true;
      notify();
      return null;
    }
    return { input: n.value };
  };
  const idle = () => retry.length === 0 && exhausted && [...queues.values()].every((q) => q.length === 0);

  /** Sends the worker tasks until it holds `depth` of them (or the inputs run out). */
  const feed = async (worker: PoolWorker) => {
    if (feeding.has(worker)) return;
    feeding.add(worker);
    try {
      while (!options.signal?.aborted && workers.includes(worker) && queues.get(worker)!.length < depth) {
        const next = await nextInput();
        if (!next) break;
        const queue = queues.get(worker);
        if (!queue || !workers.includes(worker) || options.signal?.aborted) {
          retry.unshift(next.input); // the worker ended meanwhile: another one takes it
          break;
        }
        const task = { id: nextId++, input: next.input };
        queue.push(task);
        if (queue.length === 1) armTimer(worker, task);
        worker.postMessage(task);
      }
    } finally {
      feeding.delete(worker);
      notify();
    }
  };
  const feedAll = () =>
    workers.forEach((w) =>
      feed(w).catch((e) => {
        fatal = e;
        notify();
      }),
    );

  /**
   * A worker that crashed or ran out of time: the task it was running fails with `error`, the ones it had not
   * started go to the other workers, and a new worker takes the place of this one.
   */
  const lose = (worker: PoolWorker, error: ErrorInfo) => {
    clearTimer(worker);
    const queue = queues.get(worker) ?? [];
    queues.delete(worker);
    const [running, ...waiting] = queue;
    if (running) ready.push({ input: running.input, ok: false, error });
    retry.unshift(...waiting.map((t) => t.input));
    const at = workers.indexOf(worker);
    if (at >= 0) workers.splice(at, 1);
    void worker.terminate(); // a process that only lost its channel (or hangs) must not outlive the pool
    if (!options.signal?.aborted && (retry.length > 0 || !exhausted)) attach(spawn());
    feedAll();
    notify();
  };

  const attach = (worker: PoolWorker) => {
    workers.push(worker);
    queues.set(worker, []);
    worker.on('message', (m) => {
      const reply = m as WorkerReply<O>;
      const queue = queues.get(worker);
      if (!queue) return; // a worker already given up on
      clearTimer(worker);
      const at = queue.findIndex((t) => t.id === reply.id);
      const [task] = at >= 0 ? queue.splice(at, 1) : [];
      if (task) ready.push(reply.ok ? { input: task.input, ok: true, output: reply.output } : { input: task.input, ok: false, error: reply.error });
      if (queue.length) armTimer(worker, queue[0]);
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
      if (idle()) return;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const t of timers.values()) clearTimeout(t);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
