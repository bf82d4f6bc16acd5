/**
 * The third-party decoders (audio-decode: WASM builds of mpg123, libFLAC, libvorbis, libopus) run in a worker
 * thread of their own, one request at a time, with a time budget: a damaged file that sends a decoder into an
 * endless loop costs its budget, then the thread is terminated and the file reported ("MP3 frames could not be
 * decoded ..."), instead of hanging an import or a classification. A decoder that crashes or runs out of memory
 * ends only that thread. The next request starts a fresh one. The thread is created on first use and does not keep
 * the process alive while idle.
 */
import { Worker } from 'node:worker_threads';
import { resolveEntry, tsxBootstrap } from '../jobs/entry';
import type { GuardCodec } from './decode-codec';

export type { GuardCodec };

export interface GuardRequest {
  id: number;
  codec: GuardCodec;
  bytes: Uint8Array;
}

export type GuardReply = { id: number; ok: true; channelData: Float32Array[]; sampleRate: number } | { id: number; ok: false; message: string };

/** Why a guarded decode gave no audio: the decoder's own error, the budget, or the thread's end. */
export class DecodeGuardError extends Error {
  constructor(
    readonly reason: 'decoder' | 'timeout' | 'crashed',
    message: string,
  ) {
    super(message);
    this.name = 'DecodeGuardError';
  }
}

/**
 * Time budget of one decode: 30 s, plus 20 s per MB of input (decoding a minute of 128 kbit/s MP3, about 1 MB,
 * takes well under a second; the margin is for a busy machine). Tests shorten it with setDecodeBudget.
 */
let budgetOf = (bytes: number): number => 30_000 + (20_000 * bytes) / (1 << 20);

export function setDecodeBudget(fn: ((bytes: number) => number) | null): void {
  budgetOf = fn ?? ((bytes: number) => 30_000 + (20_000 * bytes) / (1 << 20));
}

/** Heap of the decoder thread (its output lives outside the heap, in ArrayBuffers). */
const HEAP_MB = 1024;

interface Pending {
  request: GuardRequest;
  resolve: (r: { channelData: Float32Array[]; sampleRate: number }) => void;
  reject: (e: Error) => void;
}

let worker: Worker | null = null;
let nextId = 1;
const queue: Pending[] = [];
let current: { pending: Pending; timer: ReturnType<typeof setTimeout> } | null = null;

function startWorker(): Worker {
  const entry = resolveEntry(import.meta.url, 'decode-worker', './decode-worker.ts');
  const options = { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } };
  const w = entry.viaTsx ? new Worker(tsxBootstrap(entry.file), { eval: true, ...options }) : new Worker(entry.file, options);
  w.on('message', (reply: GuardReply) => {
    if (!current || reply.id !== current.pending.request.id) return;
    const { pending, timer } = current;
    clearTimeout(timer);
    current = null;
    if (reply.ok) pending.resolve({ channelData: reply.channelData, sampleRate: reply.sampleRate });
    else pending.reject(new DecodeGuardError('decoder', reply.message));
    next();
  });
  const lost = (why: string) => {
    if (worker !== w) return;
    worker = null;
    if (current) {
      const { pending, timer } = current;
      clearTimeout(timer);
      current = null;
      pending.reject(new DecodeGuardError('crashed', why));
    }
    next();
  };
  w.on('error', (err) => lost(`the decoder failed (${err.message})`));
  w.on('exit', (code) => lost(`the decoder stopped (exit code ${code})`));
  return w;
}

function next(): void {
  if (current) return;
  const pending = queue.shift();
  if (!pending) {
    worker?.unref();
    return;
  }
  worker ??= startWorker();
  worker.ref();
  const w = worker;
  const budget = budgetOf(pending.request.bytes.byteLength);
  const timer = setTimeout(() => {
    if (current?.pending !== pending) return;
    current = null;
    worker = null;
    void w.terminate();
    const sec = budget / 1000;
    pending.reject(new DecodeGuardError('timeout', `the decoder did not finish within ${sec < 10 ? sec.toFixed(1) : Math.round(sec)} s and was stopped`));
    next();
  }, budget);
  current = { pending, timer };
  w.postMessage(pending.request, [pending.request.bytes.buffer as ArrayBuffer]);
}

/**
 * Decodes `bytes` with audio-decode's `codec` in the decoder thread. Rejects with a DecodeGuardError: the decoder's
 * own error ('decoder'), the budget spent ('timeout') or the thread's end ('crashed').
 */
export function decodeGuarded(bytes: Uint8Array, codec: GuardCodec): Promise<{ channelData: Float32Array[]; sampleRate: number }> {
  // A copy of its own is transferred: the caller keeps its bytes (a Buffer may share a pool with others).
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Promise((resolve, reject) => {
    queue.push({ request: { id: nextId++, codec, bytes: copy }, resolve, reject });
    next();
  });
}
