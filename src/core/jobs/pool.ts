import { fork } from 'node:child_process';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { resolveEntry, tsxBootstrap } from './entry';

export interface PoolTask<I> {
  id: number;
  input: I;
}

export interface PoolOptions {
  /** Workers; defaults to the number of cores. */
  size?: number;
  /**
   * 'process' (default): one child process per worker — separate heaps and address spaces, so two
   * workers scale with the cores (threads in one process contend on the allocator and page faults);
   * 'thread': worker threads, cheaper to start.
   */
  isolation?: 'process' | 'thread';
  signal?: AbortSignal;
}

/** What the pool needs from a worker, whether a thread or a child process. */
interface PoolWorker {
  postMessage(m: unknown): void;
  on(event: 'message', fn: (m: unknown) => void): void;
  on(event: 'error', fn: (e: Error) => void): void;
  terminate(): Promise<unknown>;
}

function processWorker(file: string, viaTsx: boolean): PoolWorker {
  const child = fork(file, [], { execArgv: viaTsx ? ['--import', 'tsx'] : [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const onError: ((e: Error) => void)[] = [];
  child.on('error', (e) => onError.forEach((f) => f(e)));
  child.on('exit', (code, signal) => {
    if (code !== 0 && code !== null) onError.forEach((f) => f(new Error(`worker process exited with code ${code}`)));
    else if (signal && signal !== 'SIGTERM') onError.forEach((f) => f(new Error(`worker process killed by ${signal}`)));
  });
  return {
    postMessage: (m) => child.connected && child.send(m as object),
    on: ((event: 'message' | 'error', fn: (x: unknown) => void) => {
      if (event === 'message') child.on('message', fn);
      else onError.push(fn as (e: Error) => void);
    }) as PoolWorker['on'],
    terminate: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

type WorkerReply<O> = { id: number; ok: true; output: O } | { id: number; ok: false; error: { code: string; message: string } };

export type TaskResult<I, O> = { input: I; ok: true; output: O } | { input: I; ok: false; error: { code: string; message: string } };

export function defaultPoolSize(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * Runs tasks on a pool of worker threads, pulling inputs lazily from an (async) iterable so
 * memory stays bounded however many files there are; yields results as they complete.
 * A task that fails yields an error result; a worker that dies is replaced.
 */
export async function* runPool<I, O>(
  entry: { callerUrl: string; name: string; source: string },
  inputs: Iterable<I> | AsyncIterable<I>,
  options: PoolOptions = {},
): AsyncGenerator<TaskResult<I, O>> {
  const size = Math.max(1, options.size ?? defaultPoolSize());
  const where = resolveEntry(entry.callerUrl, entry.name, entry.source);
  const spawn = (): PoolWorker =>
    (options.isolation ?? 'process') === 'process'
      ? processWorker(where.file, where.viaTsx)
      : where.viaTsx
        ? new Worker(tsxBootstrap(where.file), { eval: true })
        : new Worker(where.file);

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
  let fatal: Error | null = null;

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
    worker.postMessage(task);
  };

  const attach = (worker: PoolWorker) => {
    workers.push(worker);
    worker.on('message', (m) => {
      const reply = m as WorkerReply<O>;
      const task = inFlight.get(worker);
      inFlight.delete(worker);
      if (task) ready.push(reply.ok ? { input: task.input, ok: true, output: reply.output } : { input: task.input, ok: false, error: reply.error });
      notify();
      feed(worker).catch((e) => {
        fatal = e;
        notify();
      });
    });
    worker.on('error', (err: Error) => {
      const task = inFlight.get(worker);
      inFlight.delete(worker);
      if (task) ready.push({ input: task.input, ok: false, error: { code: 'worker_crashed', message: err.message } });
      workers.splice(workers.indexOf(worker), 1);
      if (!options.signal?.aborted && !exhausted) {
        const replacement = spawn();
        attach(replacement);
        feed(replacement).catch((e) => {
          fatal = e;
        });
      }
      notify();
    });
  };

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
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
