/**
 * Direct views of tensor memory on the backends that keep it in this process: the WASM heap (wasm) and JS
 * arrays (cpu). The trainer runs Adam on the host (a WASM SIMD kernel) over these views instead of ~100 tiny
 * kernel launches per batch, each of which costs more in dispatch than in arithmetic. Other backends (tensorflow keeps
 * tensors in native memory) get copies through dataSync, which still beats the kernel launches.
 *
 * This reads backend internals (`dataIdMap[..].memoryOffset`, `wasm.HEAPF32`, `data[..].values`) that are
 * stable across tfjs 4.x; a test pins the behaviour so an upgrade that breaks it fails loudly.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmBackendInternals {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
}

interface CpuBackendInternals {
  data: { get(id: object): { values?: unknown } | undefined };
}

export interface HostMemory {
  /**
   * A live view of a float32 tensor's storage. Take it after the kernels that produce the data ran and use
   * it before the next allocation (the WASM heap can grow and detach it).
   */
  view(t: tf.Tensor): Float32Array;
  /**
   * Whether writing through a view updates what later kernels see. Not on wasm: its matmul caches XNNPACK
   * operators with the weights packed, keyed by tensor, so new weights must arrive as a new tensor.
   */
  inPlace: boolean;
  /** Whether tf.tensor(values) copies `values` at once (else the backend may hold on to the array). */
  copiesOnWrite: boolean;
}

/** Native TensorFlow: a readback is one memcpy, far cheaper than the ~100 op dispatches it replaces. */
const copies: HostMemory = { view: (t) => t.dataSync() as Float32Array, inPlace: false, copiesOnWrite: false };

/** Host access to the active backend's tensors: views where possible, else copies (dataSync). */
export function hostMemory(): HostMemory {
  const name = tf.getBackend();
  const backend = tf.backend() as unknown;
  if (name === 'wasm') {
    const b = backend as WasmBackendInternals;
    if (!b.wasm?.HEAPF32 || !b.dataIdMap) return copies;
    const view = (t: tf.Tensor): Float32Array => {
      const entry = b.dataIdMap.get(t.dataId);
      if (!entry || t.dtype !== 'float32') throw new Error('tensor storage not found on the wasm heap');
      return new Float32Array(b.wasm.HEAPF32.buffer, entry.memoryOffset, t.size);
    };
    return { view, inPlace: false, copiesOnWrite: true };
  }
  if (name === 'cpu') {
    const b = backend as CpuBackendInternals;
    if (!b.data) return copies;
    const view = (t: tf.Tensor): Float32Array => {
      const values = b.data.get(t.dataId)?.values;
      if (!(values instanceof Float32Array) || values.length !== t.size) throw new Error('tensor storage not found in the cpu backend');
      return values;
    };
    return { view, inPlace: true, copiesOnWrite: false };
  }
  return copies;
}
