/**
 * Adam with Keras' update rule, run on the host rather than as ~100 tiny kernel launches per batch: the
 * gradients are read through host views (or copies), updated by a WASM SIMD kernel (scalar JS fallback),
 * and the new weights handed back to the backend.
 */
import * as tf from '@tensorflow/tfjs';
import { createSimdAdam, type SimdAdam } from './adam-simd';
import type { HostMemory } from './host-memory';

export const BETA1 = 0.9;
export const BETA2 = 0.999;
/** Keras' default (tfjs' is 1e-8), added to sqrt(v) before bias correction as Keras does. */
export const EPSILON = 1e-7;

export interface Adam {
  /** One update of every variable from its gradient; `alpha` = lr sqrt(1 - b2^t) / (1 - b1^t). */
  step(grads: tf.Tensor[], alpha: number): void;
  dispose(): void;
}

/** Keras' Adam: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= alpha m / (sqrt(v) + eps). */
export function hostAdam(vars: tf.Variable[], host: HostMemory, useSimd = true): Adam {
  const offsets: number[] = [];
  let total = 0;
  for (const v of vars) {
    offsets.push(total);
    total += v.size;
  }
  const simd = useSimd ? createSimdAdam(total) : null;
  return simd ? simdAdam(vars, host, simd, offsets, total) : jsAdam(vars, host);
}

/** Hands new weights to the backend: written through on cpu, uploaded as new tensors elsewhere. */
function writeBack(variable: tf.Variable, values: Float32Array, host: HostMemory): void {
  if (host.inPlace) host.view(variable).set(values);
  else variable.assign(tf.tensor(host.copiesOnWrite ? values : values.slice(), variable.shape));
}

/** The SIMD kernel keeps the master weights and both moments in its own memory. */
function simdAdam(vars: tf.Variable[], host: HostMemory, simd: SimdAdam, offsets: number[], total: number): Adam {
  vars.forEach((v, i) => simd.weights.set(v.dataSync() as Float32Array, offsets[i]));
  return {
    step(grads, alpha) {
      vars.forEach((_, i) => simd.grads.set(host.view(grads[i]), offsets[i]));
      simd.step(total, alpha, BETA1, BETA2, EPSILON);
      tf.tidy(() => vars.forEach((v, i) => writeBack(v, simd.weights.subarray(offsets[i], offsets[i] + v.size), host)));
    },
    dispose() {},
  };
}

/** Scalar fallback where WASM SIMD is unavailable. */
function jsAdam(vars: tf.Variable[], host: HostMemory): Adam {
  // Moments in float64: no float32 round trip in the hot loop.
  const ms = vars.map((v) => new Float64Array(v.size));
  const vs = vars.map((v) => new Float64Array(v.size));
  const scratch = vars.map((v) => new Float32Array(v.size));
  const [b1, b2, c1, c2] = [BETA1, BETA2, 1 - BETA1, 1 - BETA2];
  return {
    step(grads, alpha) {
      vars.forEach((variable, i) => {
        const w = host.view(variable);
        const g = host.view(grads[i]);
        const out = scratch[i];
        const m = ms[i];
        const v = vs[i];
        const size = w.length;
        for (let j = 0; j < size; j++) {
          const gj = g[j];
          const mj = m[j] * b1 + gj * c1;
          const vj = v[j] * b2 + gj * gj * c2;
          m[j] = mj;
          v[j] = vj;
          out[j] = w[j] - (alpha * mj) / (Math.sqrt(vj) + EPSILON);
        }
      });
      tf.tidy(() => vars.forEach((v, i) => writeBack(v, scratch[i], host)));
    },
    dispose() {},
  };
}
