import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/core/train/backend';
import { hostMemory } from '../../../src/core/train/host-memory';

// The trainer's Adam relies on these views of backend internals; an upgrade that moves them must fail here.
describe.each(['cpu', 'wasm'] as const)('host memory on %s', (backend) => {
  it('views the storage of a tensor produced by a kernel', async () => {
    await selectBackend(backend);
    const host = hostMemory();
    const t = tf.tidy(() => tf.mul(tf.tensor1d([1, 2, 3]), 2));
    expect(Array.from(host.view(t))).toEqual([2, 4, 6]);
    expect(host.inPlace).toBe(backend === 'cpu');
    if (host.inPlace) {
      host.view(t)[1] = 10;
      expect(Array.from(tf.tidy(() => tf.add(t, 1)).dataSync())).toEqual([3, 11, 7]);
    }
    t.dispose();
  });
});
