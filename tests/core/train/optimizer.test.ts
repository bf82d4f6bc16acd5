import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/core/train/backend';
import { hostMemory } from '../../../src/core/train/host-memory';
import { hostAdam } from '../../../src/core/train/optimizer';

describe.each(['cpu', 'wasm'] as const)('host Adam on %s', (backend) => {
  it('SIMD kernel and scalar fallback take the same Keras steps', async () => {
    await selectBackend(backend);
    const start = [
      [0.5, -0.25, 1, 0],
      [0.1, 0.2],
    ];
    const makeVars = () => [tf.variable(tf.tensor2d(start[0], [2, 2])), tf.variable(tf.tensor1d(start[1]))];
    const a = makeVars();
    const b = makeVars();
    const simd = hostAdam(a, hostMemory(), true);
    const scalar = hostAdam(b, hostMemory(), false);
    for (let t = 1; t <= 3; t++) {
      const alpha = (0.01 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      const grads = [tf.tensor2d([0.3 * t, -0.1, 0, 2], [2, 2]), tf.tensor1d([-0.5, 0.05 * t])];
      simd.step(grads, alpha);
      scalar.step(grads, alpha);
      tf.dispose(grads);
    }
    const wa = a.map((v) => Array.from(v.dataSync()));
    const wb = b.map((v) => Array.from(v.dataSync()));
    wa.flat().forEach((x, i) => expect(x).toBeCloseTo(wb.flat()[i], 6));
    // Adam moves each weight by about lr per step against its gradient; a zero gradient leaves it.
    expect(wa[0][2]).toBe(1);
    expect(wa[0][0]).toBeCloseTo(0.5 - 0.03, 2);
    tf.dispose([...a, ...b]);
  });
});
