/**
 * One description of the MLP, layer by layer, that drives both the tfjs model (model.ts) and the fast
 * training pass (mlp-pass.ts). The pass reads the built model's layers back through `passLayers`, so a
 * layer it has no gradient for is refused there instead of being saved but silently left untrained.
 */
import type * as tf from '@tensorflow/tfjs';
import { ApiError } from '../../shared/errors';
import { ACTIVATIONS, MLP_DEFAULTS, type Activation } from '../../shared/params';

export type LayerSpec =
  | { kind: 'dense'; units: number; activation: Activation | 'softmax' }
  | { kind: 'dropout'; rate: number };

export interface MlpSpec {
  inputDim: number;
  /** Every layer in order; the last is the softmax output. */
  layers: LayerSpec[];
  /** Seeds the Glorot-uniform kernels (one stream per dense layer). */
  seed: number;
}

export interface MlpSettings {
  inputDim: number;
  nClasses: number;
  /** Hidden layer widths (default 256-128-64). */
  hidden?: readonly number[];
  activation?: Activation;
  /** Dropout after each hidden layer; 0 leaves the dropout layers out (default 0.3). */
  dropout?: number;
  seed: number;
}

/** The reference layout from a run's settings: Dense(h, act) [Dropout] for each hidden width, then Dense(N, softmax). */
export function mlpSpec(s: MlpSettings): MlpSpec {
  const dropout = s.dropout ?? MLP_DEFAULTS.dropout;
  const activation = s.activation ?? MLP_DEFAULTS.activation;
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`dropout must be in [0, 1), got ${dropout}`);
  const layers: LayerSpec[] = [];
  for (const units of s.hidden ?? MLP_DEFAULTS.hidden) {
    layers.push({ kind: 'dense', units, activation });
    if (dropout > 0) layers.push({ kind: 'dropout', rate: dropout });
  }
  layers.push({ kind: 'dense', units: s.nClasses, activation: 'softmax' });
  return { inputDim: s.inputDim, layers, seed: s.seed };
}

/** One dense layer as the training pass runs it: its activation, and the dropout rate that follows it (0: none). */
export interface PassLayer {
  units: number;
  activation: Activation | 'softmax';
  dropout: number;
}

function unsupported(what: string): ApiError {
  return new ApiError(
    'unsupported_model',
    `The training pass cannot train ${what}: it has gradients for Dense layers (${ACTIVATIONS.join(', ')}; softmax output) ` +
      'with optional Dropout after each hidden layer.',
  );
}

/**
 * The dense layers of a layer list as the pass will train them. Anything else (another layer type, an
 * activation without a closed-form gradient here, dropout before any dense layer or after the output, an
 * output that is not softmax) is refused with `unsupported_model`.
 */
export function passLayers(layers: readonly LayerSpec[]): PassLayer[] {
  const out: PassLayer[] = [];
  for (const layer of layers) {
    if (layer.kind === 'dropout') {
      const prev = out[out.length - 1];
      if (!prev || prev.activation === 'softmax' || prev.dropout > 0) throw unsupported('a Dropout layer that does not directly follow a hidden Dense layer');
      prev.dropout = layer.rate;
      continue;
    }
    if (out.length && out[out.length - 1].activation === 'softmax') throw unsupported('layers after the softmax output');
    if (layer.activation !== 'softmax' && !(ACTIVATIONS as readonly string[]).includes(layer.activation)) {
      throw unsupported(`a Dense layer with the '${String(layer.activation)}' activation`);
    }
    out.push({ units: layer.units, activation: layer.activation, dropout: 0 });
  }
  if (!out.length || out[out.length - 1].activation !== 'softmax') throw unsupported('a model whose output is not a softmax Dense layer');
  return out;
}

/** A built tfjs model's layers read back as specs (unknown layer types become a refusal in passLayers). */
export function layersOfModel(model: tf.LayersModel): LayerSpec[] {
  return model.layers.map((l) => {
    const config = l.getConfig();
    switch (l.getClassName()) {
      case 'Dense':
        return { kind: 'dense', units: config.units as number, activation: config.activation as Activation };
      case 'Dropout':
        return { kind: 'dropout', rate: config.rate as number };
      default:
        throw unsupported(`a ${l.getClassName()} layer ('${l.name}')`);
    }
  });
}
