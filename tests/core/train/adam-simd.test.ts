import { describe, expect, it } from 'vitest';
import { createSimdAdam } from '../../../src/core/train/adam-simd';

describe('WASM SIMD Adam kernel', () => {
  it('applies the Keras Adam update like a float64 reference, padding untouched', () => {
    const n = 1027; // not a multiple of 4
    const adam = createSimdAdam(n);
    expect(adam).not.toBeNull();
    const w = new Float64Array(n);
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = adam!.weights[i] = Math.fround(Math.sin(i));
    let maxErr = 0;
    for (let t = 1; t <= 4; t++) {
      const alpha = (1e-3 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      for (let i = 0; i < n; i++) adam!.grads[i] = Math.fround(Math.cos(i * t) * 0.01 * (i % 7));
      adam!.step(n, alpha, 0.9, 0.999, 1e-7);
      for (let i = 0; i < n; i++) {
        const g = adam!.grads[i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        w[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + 1e-7);
        maxErr = Math.max(maxErr, Math.abs(w[i] - adam!.weights[i]));
      }
    }
    expect(maxErr).toBeLessThan(1e-6);
    // Zero gradient where i % 7 === 0: weight unchanged.
    expect(adam!.weights[7]).toBe(Math.fround(Math.sin(7)));
    expect(adam!.weights[n]).toBe(0);
    // ...and moved the others.
    expect(Math.abs(adam!.weights[1] - Math.fround(Math.sin(1)))).toBeGreaterThan(1e-5);
  });
});
