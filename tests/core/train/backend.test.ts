import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, selectBackend } from '../../../src/core/train/backend';
import { tfjsNodeLoads } from '../../helpers/tfjs';


describe('selectBackend', () => {
  it('activates the pure-JS cpu backend', async () => {
    const info = await selectBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', tfjs: tf.version_core, skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('activates WASM with SIMD and records its version', async () => {
    const info = await selectBackend('wasm');
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.wasmSimd).toBe(true);
    expect(info.backendPackage).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Array.from(tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 1]))).dataSync())).toEqual([3, 3]);
  });

  it('auto prefers native TensorFlow and otherwise falls back to WASM, saying why', async () => {
    const info = await selectBackend('auto');
    if (tfjsNodeLoads()) {
      expect(info.name).toBe('tensorflow');
      expect(info.tensorflow).toMatch(/^\d+\./);
    } else {
      expect(info.name).toBe('wasm');
      expect(info.skipped.map((s) => s.name)).toEqual(['tensorflow']);
      expect(info.skipped[0].reason).toMatch(/tfjs-node/);
    }
    await selectBackend('cpu');
  });

  it('an explicit backend that cannot load is a clear error', async () => {
    if (tfjsNodeLoads()) {
      expect((await selectBackend('tensorflow')).name).toBe('tensorflow');
      return;
    }
    const err = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as BackendUnavailableError).code).toBe('backend_unavailable');
    expect((err as Error).message).toMatch(/^backend 'tensorflow' is not available: .*tfjs-node-offline\.sh/);
  });
});
