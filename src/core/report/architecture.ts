/**
 * The MLP a run trained, described from its stored settings alone (no tfjs): the layer table the report shows
 * and the Keras-style summary text. Built from the same mlpSpec that builds the model; the tests hold the text
 * equal to modelSummary(buildMlp(spec)) of src/core/train/model.ts.
 */
import { FEATURE_BLOCKS, FIXED_BLOCK_ROWS, type FeatureBlock } from '../../shared/params';
import { mlpSpec, type MlpSettings, type MlpSpec } from '../train/mlp-spec';

export interface LayerRow {
  /** Keras naming: dense, dropout, dense_1, dropout_1, ... */
  name: string;
  type: 'Dense' | 'Dropout';
  /** Units of the (None, units) output. */
  units: number;
  params: number;
}

export interface Architecture {
  spec: MlpSpec;
  layers: LayerRow[];
  total: number;
  trainable: number;
}

export function architecture(settings: MlpSettings): Architecture {
  const spec = mlpSpec(settings);
  const layers: LayerRow[] = [];
  let inputs = spec.inputDim;
  let dense = 0;
  let dropout = 0;
  for (const layer of spec.layers) {
    if (layer.kind === 'dense') {
      layers.push({ name: dense ? `dense_${dense}` : 'dense', type: 'Dense', units: layer.units, params: inputs * layer.units + layer.units });
      inputs = layer.units;
      dense++;
    } else {
      layers.push({ name: dropout ? `dropout_${dropout}` : 'dropout', type: 'Dropout', units: inputs, params: 0 });
      dropout++;
    }
  }
  const total = layers.reduce((a, l) => a + l.params, 0);
  return { spec, layers, total, trainable: total };
}

/** Rows of each feature block for a stored feature config (blocks in vector order). */
export function featureBlockRows(config: { blocks?: readonly string[]; nMfcc?: number }): { block: FeatureBlock; rows: number }[] {
  const wanted = config.blocks ?? FEATURE_BLOCKS;
  return FEATURE_BLOCKS.filter((b) => wanted.includes(b)).map((block) => ({ block, rows: block === 'mfcc' ? (config.nMfcc ?? 13) : FIXED_BLOCK_ROWS[block] }));
}

/** Keras's size text of float32 weights: "329.53 KB", "0.00 Byte". */
export function readableSize(bytes: number): string {
  let size = bytes;
  for (const unit of ['Byte', 'KB', 'MB', 'GB', 'TB']) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

/** Keras 2-style `model.summary()` text, as in the reference report. */
export function kerasSummary(a: Architecture): string {
  const width = 65;
  const row = (x: string, y: string, z: string): string => ` ${x.padEnd(28)}${y.padEnd(26)}${z.padEnd(10)}`;
  const lines = [`Model: "sequential"`, '_'.repeat(width), row('Layer (type)', 'Output Shape', 'Param #'), '='.repeat(width)];
  for (const l of a.layers) lines.push(row(`${l.name} (${l.type})`, `(None, ${l.units})`, String(l.params)), ' '.repeat(width));
  lines.push(
    '='.repeat(width),
    `Total params: ${a.total} (${readableSize(a.total * 4)})`,
    `Trainable params: ${a.trainable} (${readableSize(a.trainable * 4)})`,
    `Non-trainable params: ${a.total - a.trainable} (${readableSize((a.total - a.trainable) * 4)})`,
    '_'.repeat(width),
  );
  return lines.join('\n');
}
