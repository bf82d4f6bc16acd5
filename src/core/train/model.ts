/**
 * The reference MLP (Dense 256-128-64-N, relu, Dropout 0.3, softmax) as a tfjs layers model with seeded
 * Glorot-uniform kernels, plus the Keras-style summary the report prints.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from './rng';

export interface MlpConfig {
  inputDim: number;
  nClasses: number;
  /** Hidden layer widths (default [256, 128, 64]). */
  hidden?: number[];
  /** Dropout rate after each hidden layer; 0 removes the dropout layers (default 0.3). */
  dropout?: number;
  seed: number;
}

export const DEFAULT_HIDDEN = [256, 128, 64] as const;
export const DEFAULT_DROPOUT = 0.3;

/** Layer names follow Keras ("dense", "dropout", "dense_1", ...) so summaries read like the reference. */
function kerasName(base: string, index: number): string {
  return index === 0 ? base : `${base}_${index}`;
}

export function buildMlp(cfg: MlpConfig): tf.Sequential {
  const hidden = cfg.hidden ?? [...DEFAULT_HIDDEN];
  const dropout = cfg.dropout ?? DEFAULT_DROPOUT;
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`dropout must be in [0, 1), got ${dropout}`);
  const model = tf.sequential({ name: 'sequential' });
  const widths = [...hidden, cfg.nClasses];
  widths.forEach((units, i) => {
    const last = i === widths.length - 1;
    model.add(
      tf.layers.dense({
        name: kerasName('dense', i),
        units,
        activation: last ? 'softmax' : 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(cfg.seed, `kernel${i}`) }),
        biasInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [cfg.inputDim] } : {}),
      }),
    );
    if (!last && dropout > 0) model.add(tf.layers.dropout({ name: kerasName('dropout', i), rate: dropout }));
  });
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

/** Dropout rate of the model's Dropout layers (0 when it has none). */
export function dropoutRate(model: tf.LayersModel): number {
  const layer = model.layers.find((l) => l.getClassName() === 'Dropout');
  return layer ? (layer.getConfig().rate as number) : 0;
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
