/**
 * The MLP's forward and backward passes written out by hand, as tfjs kernels: dense + relu + inverted
 * dropout + softmax cross-entropy have closed-form gradients, so training needs no autodiff tape.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from './rng';

/** Keras clips probabilities to [1e-7, 1 - 1e-7] before the log of its cross-entropy. */
export const PROB_FLOOR = 1e-7;

export interface LayerParams {
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
}

export interface Forward {
  /** Input of every layer (for the kernel gradients). */
  inputs: tf.Tensor2D[];
  /** Per hidden layer, dropout mask x relu'(z), so that dL/dz = dL/dh * factor. */
  factors: tf.Tensor2D[];
  logits: tf.Tensor2D;
}

/**
 * 1 where h > 0, else 0, for h >= 0. On tensorflow step() is a five-op composite while Sign is one exact
 * native op; elsewhere step, because the wasm Sign kernel returns 0 for tiny positives (1e-30).
 */
function positive(h: tf.Tensor2D): tf.Tensor2D {
  return tf.getBackend() === 'tensorflow' ? tf.sign(h) : tf.step(h);
}

export function forward(params: LayerParams[], x: tf.Tensor2D, masks: tf.Tensor2D[] | null): Forward {
  const inputs: tf.Tensor2D[] = [];
  const factors: tf.Tensor2D[] = [];
  let h = x;
  params.forEach(({ kernel, bias }, i) => {
    const last = i === params.length - 1;
    inputs.push(h);
    h = tf.fused.matMul({ a: h, b: kernel, bias, activation: last ? 'linear' : 'relu' }) as tf.Tensor2D;
    if (last) return;
    // step(h) is relu'(z) wherever the mask keeps the unit; where it drops it the mask factor is 0 anyway.
    if (masks) {
      h = tf.mul(h, masks[i]);
      factors.push(tf.mul(positive(h), masks[i]));
    } else {
      factors.push(positive(h));
    }
  });
  return { inputs, factors, logits: h };
}

/**
 * a^T b and a b^T. The wasm backend's BatchMatMul with transpose flags is ~10x slower than an explicit
 * Transpose followed by a plain MatMul (measured: ~1 ms vs ~0.1 ms at these sizes), so transpose there.
 */
function matMulTA(a: tf.Tensor2D, b: tf.Tensor2D, explicit: boolean): tf.Tensor2D {
  return explicit ? tf.matMul(tf.transpose(a), b) : tf.matMul(a, b, true, false);
}
function matMulTB(a: tf.Tensor2D, b: tf.Tensor2D, explicit: boolean): tf.Tensor2D {
  return explicit ? tf.matMul(a, tf.transpose(b)) : tf.matMul(a, b, false, true);
}

/** Gradients of the mean softmax cross-entropy, [kernel, bias] per layer in layer order. */
export function backward(params: LayerParams[], fwd: Forward, dLogits: tf.Tensor2D, explicitTranspose: boolean): tf.Tensor[] {
  const grads: tf.Tensor[] = new Array(params.length * 2);
  let dz = dLogits;
  for (let i = params.length - 1; i >= 0; i--) {
    grads[2 * i] = matMulTA(fwd.inputs[i], dz, explicitTranspose);
    grads[2 * i + 1] = tf.sum(dz, 0);
    if (i > 0) dz = tf.mul(matMulTB(dz, params[i].kernel, explicitTranspose), fwd.factors[i - 1]);
  }
  return grads;
}

/** Inverted-dropout masks (kept units scaled by 1/keep) for `rows` rows of every hidden layer, into `out`. */
export function dropoutMasks(rng: Rng, rows: number, widths: number[], rate: number, out: Float32Array[]): Float32Array[] {
  const keep = 1 / (1 - rate);
  const threshold = Math.round(rate * 4294967296);
  widths.forEach((w, l) => {
    const m = out[l];
    for (let i = 0; i < rows * w; i++) m[i] = rng.nextUint32() >= threshold ? keep : 0;
  });
  return out;
}

/** Summed cross-entropy and accuracy of `logits` against one-hot `y` / class indices `yIdx`. */
export function evaluate(logits: tf.Tensor2D, y: tf.Tensor2D, yIdx: tf.Tensor1D): { lossSum: tf.Scalar; correct: tf.Scalar; probs: tf.Tensor2D } {
  const probs = tf.softmax(logits);
  const lossSum = tf.neg(tf.sum(tf.mul(y, tf.log(tf.maximum(probs, PROB_FLOOR))))) as tf.Scalar;
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), yIdx), 'float32')) as tf.Scalar;
  return { lossSum, correct, probs };
}
