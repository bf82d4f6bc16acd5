/**
 * TensorFlow.js backend selection: native TensorFlow (tfjs-node, optional) -> WASM (SIMD) -> pure JS.
 *
 * tfjs-node is an optionalDependency whose install downloads libtensorflow, so it is often absent or
 * unbuilt; `auto` tries it and falls back, recording why, while an explicit choice that cannot load is an
 * error the user can act on.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export interface BackendInfo {
  name: BackendName;
  /** @tensorflow/tfjs-core version. */
  tfjs: string;
  /** Version of the backend package (tfjs-node or tfjs-backend-wasm); absent for cpu. */
  backendPackage?: string;
  /** Version of the native TensorFlow library when name === 'tensorflow'. */
  tensorflow?: string;
  /** TensorFlow's intra-op threads (TF_NUM_INTRAOP_THREADS) when name === 'tensorflow'. */
  tensorflowThreads?: number;
  wasmSimd?: boolean;
  wasmThreads?: number;
  /** Backends tried before this one under `auto`, with the reason each was skipped. */
  skipped: { name: BackendName; reason: string }[];
}

export class BackendUnavailableError extends Error {
  readonly code = 'backend_unavailable';
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(`backend '${backend}' is not available: ${reason}${hint(backend)}`);
    this.name = 'BackendUnavailableError';
  }
}

function hint(backend: BackendName): string {
  if (backend === 'tensorflow') {
    return ' (install the optional @tensorflow/tfjs-node, or build it offline with ../shared/tools/tfjs-node-offline.sh; or use --backend wasm)';
  }
  if (backend === 'wasm') return ' (is @tensorflow/tfjs-backend-wasm installed?)';
  return '';
}

const requireHere = createRequire(import.meta.url);

function packageVersion(name: string): string | undefined {
  try {
    return (requireHere(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 300);
}

async function tryTensorflow(): Promise<Partial<BackendInfo>> {
  // TensorFlow reads these once, when it initialises. The MLP's ops are tiny: thread-pool hand-offs cost
  // more than they save (measured 0.17 s/epoch with one intra-op thread vs 0.39 s with two). A value the
  // user set wins.
  process.env.TF_NUM_INTRAOP_THREADS ??= '1';
  process.env.TF_NUM_INTEROP_THREADS ??= '1';
  // The package registers the 'tensorflow' backend on the shared tfjs-core engine when loaded.
  const node = (await import('@tensorflow/tfjs-node' as string)) as { version?: Record<string, string> };
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node loaded but the tensorflow backend failed to initialise');
  const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
  return {
    backendPackage: node.version?.['tfjs-node'] ?? packageVersion('@tensorflow/tfjs-node'),
    tensorflow: binding?.TF_Version,
    tensorflowThreads: Number(process.env.TF_NUM_INTRAOP_THREADS) || undefined,
  };
}

export interface WasmOptions {
  /** WASM threads (emscripten pthreads). Default 1: for an MLP this small, threads cost more than they give. */
  threads?: number;
}

let wasmConfigured = false;

async function tryWasm(opts: WasmOptions): Promise<Partial<BackendInfo>> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmConfigured) {
    const dist = path.join(path.dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
    const threads = opts.threads ?? 1;
    if (threads <= 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    else wasm.setThreadsCount(threads);
    wasm.setWasmPaths(dist);
    wasmConfigured = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  const threaded = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
  return { backendPackage: wasm.version_wasm, wasmSimd: simd, wasmThreads: threaded ? wasm.getThreadsCount() : 1 };
}

async function tryCpu(): Promise<Partial<BackendInfo>> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise');
  return {};
}

async function activate(name: BackendName, opts: WasmOptions): Promise<Partial<BackendInfo>> {
  try {
    if (name === 'tensorflow') return await tryTensorflow();
    if (name === 'wasm') return await tryWasm(opts);
    return await tryCpu();
  } catch (err) {
    throw new BackendUnavailableError(name, message(err));
  }
}

/**
 * Makes `choice` the active tfjs backend and reports what is actually in use. Safe to call repeatedly
 * (backends stay registered; switching back and forth is allowed).
 */
export async function selectBackend(choice: BackendChoice = 'auto', opts: WasmOptions = {}): Promise<BackendInfo> {
  // Production mode: no per-op debug checks, and no console nagging about tfjs-node when we chose wasm/cpu on purpose.
  tf.enableProdMode();
  const order: BackendName[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    try {
      const extra = await activate(name, opts);
      await tf.ready();
      return { name, tfjs: tf.version_core, skipped, ...extra };
    } catch (err) {
      if (choice !== 'auto') throw err;
      skipped.push({ name, reason: err instanceof BackendUnavailableError ? err.reason : message(err) });
    }
  }
  throw new BackendUnavailableError('cpu', 'no tfjs backend could be initialised');
}

/** Names of the backends that load here, in preference order (for benches and tests). */
export async function availableBackends(): Promise<BackendName[]> {
  const out: BackendName[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    try {
      await selectBackend(name);
      out.push(name);
    } catch {
      // not available here
    }
  }
  return out;
}
