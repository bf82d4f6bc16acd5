/**
 * The MLP's forward and backward passes written out by hand, as tfjs kernels: dense layers with the
 * activations of PassLayer (relu, tanh, sigmoid, elu: each derivative is a function of the layer's own
 * output), inverted dropout and softmax cross-entropy have closed-form gradients, so training needs no
 * autodiff tape. Which layers exist comes from mlp-spec.ts's passLayers, never from assumptions here.
 */
import * as tf from '@tensorflow/tfjs';
import type { PassLayer } from './mlp-spec';
import type { Rng } from './rng';

/** Keras clips probabilities to [1e-7, 1 - 1e-7] before the log of its cross-entropy. */
export const PROB_FLOOR = 1e-7;

export interface LayerParams {
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
  /** The layer as the pass runs it (activation, dropout rate after it). */
  layer: PassLayer;
}

export interface Forward {
  /** Input of every layer (for the kernel gradients). */
  inputs: tf.Tensor2D[];
  /** Per hidden layer, dropout mask x activation'(z), so that dL/dz = dL/dh * factor. */
  factors: tf.Tensor2D[];
  logits: tf.Tensor2D;
}

/**
 * 1 where a > 0, else 0, for a >= 0. On tensorflow step() is a five-op composite while Sign is one exact
 * native op; elsewhere step, because the wasm Sign kernel returns 0 for tiny positives (1e-30).
 */
function positive(a: tf.Tensor2D): tf.Tensor2D {
  return tf.getBackend() === 'tensorflow' ? tf.sign(a) : tf.step(a);
}

/** z -> activation(z), fused into the matMul where tfjs has a fused kernel for it. */
function denseForward(h: tf.Tensor2D, p: LayerParams): tf.Tensor2D {
  const act = p.layer.activation;
  const fused = act === 'relu' || act === 'elu' || act === 'sigmoid' ? act : 'linear';
  const z = tf.fused.matMul({ a: h, b: p.kernel, bias: p.bias, activation: fused }) as tf.Tensor2D;
  return act === 'tanh' ? (tf.tanh(z) as tf.Tensor2D) : z;
}

/** activation'(z) written in terms of the activation's output a. */
function derivative(a: tf.Tensor2D, act: PassLayer['activation']): tf.Tensor2D {
  switch (act) {
    case 'relu':
      return positive(a);
    case 'tanh':
      return tf.sub(1, tf.square(a)) as tf.Tensor2D;
    case 'sigmoid':
      return tf.mul(a, tf.sub(1, a)) as tf.Tensor2D;
    case 'elu':
      // elu(z) = z for z > 0, e^z - 1 otherwise: the derivative is 1, or e^z = a + 1.
      return tf.where(tf.greater(a, 0), tf.onesLike(a), tf.add(a, 1)) as tf.Tensor2D;
    case 'softmax':
      throw new RangeError('the softmax output has no separate derivative here (it is folded into the loss)');
  }
}

/** `masks[i]` is the dropout mask of hidden layer i, or null where it has no dropout (or not training). */
export function forward(params: LayerParams[], x: tf.Tensor2D, masks: (tf.Tensor2D | null)[] | null): Forward {
  const inputs: tf.Tensor2D[] = [];
  const factors: tf.Tensor2D[] = [];
  let h = x;
  params.forEach((p, i) => {
    const last = i === params.length - 1;
    inputs.push(h);
    if (last) {
      // Logits: the softmax is applied with the loss.
      h = tf.fused.matMul({ a: h, b: p.kernel, bias: p.bias, activation: 'linear' }) as tf.Tensor2D;
      return;
    }
    const a = denseForward(h, p);
    const mask = masks?.[i] ?? null;
    if (mask) {
      h = tf.mul(a, mask);
      factors.push(tf.mul(derivative(a, p.layer.activation), mask));
    } else {
      h = a;
      factors.push(derivative(a, p.layer.activation));
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

/**
 * Inverted-dropout masks (kept units scaled by 1/keep) for `rows` rows of every hidden layer with dropout,
 * into `out` (null for layers without). Drawn layer by layer in a fixed order so a run repeats exactly.
 */
export function dropoutMasks(rng: Rng, rows: number, layers: readonly PassLayer[], out: (Float32Array | null)[]): (Float32Array | null)[] {
  layers.forEach((layer, l) => {
    const m = out[l];
    if (!m || layer.dropout <= 0) return;
    const keep = 1 / (1 - layer.dropout);
    const threshold = Math.round(layer.dropout * 4294967296);
    for (let i = 0; i < rows * layer.units; i++) m[i] = rng.nextUint32() >= threshold ? keep : 0;
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
