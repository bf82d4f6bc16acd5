/**
 * The MLP of an MlpSpec as a tfjs layers model with seeded Glorot-uniform kernels (the reference's Dense
 * 256-128-64-N, ReLU, Dropout 0.3, softmax by default), plus the Keras-style summary the report prints.
 */
import * as tf from '@tensorflow/tfjs';
import type { MlpSpec } from './mlp-spec';
import { deriveSeed } from './rng';

/** Layer names follow Keras ("dense", "dropout", "dense_1", ...) so summaries read like the reference. */
function kerasName(base: string, index: number): string {
  return index === 0 ? base : `${base}_${index}`;
}

export function buildMlp(spec: MlpSpec): tf.Sequential {
  const model = tf.sequential({ name: 'sequential' });
  let dense = 0;
  let dropout = 0;
  for (const layer of spec.layers) {
    if (layer.kind === 'dense') {
      model.add(
        tf.layers.dense({
          name: kerasName('dense', dense),
          units: layer.units,
          activation: layer.activation,
          kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(spec.seed, `kernel${dense}`) }),
          biasInitializer: 'zeros',
          ...(dense === 0 ? { inputShape: [spec.inputDim] } : {}),
        }),
      );
      dense++;
    } else {
      if (dense === 0) throw new RangeError('a dropout layer needs a dense layer before it');
      // Keras numbers dropout layers by their own count; the reference's follow dense, dense_1, ...
      model.add(tf.layers.dropout({ name: kerasName('dropout', dropout), rate: layer.rate }));
      dropout++;
    }
  }
  return model;
}

/** The trainable (kernel, bias) variables of each Dense layer, in order: what the lean trainer updates. */
export interface DenseVars {
  kernel: tf.Variable;
  bias: tf.Variable;
  units: number;
}

export function denseVariables(model: tf.LayersModel): DenseVars[] {
  return model.layers
    .filter((l) => l.getClassName() === 'Dense')
    .map((l) => {
      const [kernel, bias] = l.trainableWeights.map((w) => w.read() as tf.Variable);
      return { kernel, bias, units: kernel.shape[1] as number };
    });
}

export function countParams(model: tf.LayersModel): number {
  return model.countParams();
}

function readableSize(bytes: number): string {
  const units = ['Byte', 'KB', 'MB', 'GB', 'TB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

/** Keras 2-style `model.summary()` text (float32 weights), as in the reference report. */
export function modelSummary(model: tf.LayersModel): string {
  const width = 65;
  const row = (a: string, b: string, c: string): string => ` ${a.padEnd(28)}${b.padEnd(26)}${c.padEnd(10)}`;
  const lines = [`Model: "${model.name}"`, '_'.repeat(width), row('Layer (type)', 'Output Shape', 'Param #'), '='.repeat(width)];
  for (const layer of model.layers) {
    const shape = (layer.outputShape as (number | null)[]).map((d) => (d === null ? 'None' : String(d)));
    lines.push(row(`${layer.name} (${layer.getClassName()})`, `(${shape.join(', ')})`, String(layer.countParams())), ' '.repeat(width));
  }
  lines.push('='.repeat(width));
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => (a ?? 1) * (b ?? 1), 1)!, 0);
  lines.push(
    `Total params: ${total} (${readableSize(total * 4)})`,
    `Trainable params: ${trainable} (${readableSize(trainable * 4)})`,
    `Non-trainable params: ${total - trainable} (${readableSize((total - trainable) * 4)})`,
    '_'.repeat(width),
  );
  return lines.join('\n');
}
