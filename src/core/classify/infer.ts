/**
 * The network from a checked model's bytes, and batched inference on standardised rows. The only tfjs in
 * classification: the backend is chosen as training chooses it (train/backend.ts) by the caller.
 */
import * as tf from '@tensorflow/tfjs';
import { MODEL_FILES } from '../../shared/classify-params';
import { ApiError } from '../../shared/errors';
import { artifactsOf, type ModelJsonFile } from '../train/artifacts';
import type { Matrix } from '../train/matrix';
import type { ResolvedModel } from './model';


/** Builds the network from exactly the bytes that were hash-checked, and checks its shape against the card. */
export async function loadNetwork(model: ResolvedModel): Promise<tf.LayersModel> {
  const where = `${model.dir}/${MODEL_FILES.modelJson}`;
  let json: ModelJsonFile;
  try {
    json = JSON.parse(model.bytes.modelJson.toString('utf8')) as ModelJsonFile;
  } catch {
    throw new ApiError('bad_model', `${where} is not valid JSON.`);
  }
  const paths = (json.weightsManifest ?? []).flatMap((g) => g.paths);
  if (paths.length !== 1 || paths[0] !== MODEL_FILES.weights) {
    throw new ApiError('unsupported_model', `${where} must keep its weights in one file, ${MODEL_FILES.weights} (it lists: ${paths.join(', ') || 'none'}).`);
  }
  const artifacts = artifactsOf(json, [model.bytes.weights]);
  let net: tf.LayersModel;
  try {
    net = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    throw new ApiError('bad_model', `${where} could not be loaded as a tfjs layers model (${(err as Error).message}).`);
  }
  const inputs = net.inputs[0]?.shape[1];
  const outputs = net.outputs[0]?.shape[1];
  if (inputs !== model.card.features.dims || outputs !== model.card.labels.length) {
    net.dispose();
    throw new ApiError(
      'model_altered',
      `${where} does not fit its ${MODEL_FILES.card}: the network maps ${inputs} inputs to ${outputs} classes, the card has ` +
        `${model.card.features.dims} features and ${model.card.labels.length} labels.`,
    );
  }
  return net;
}

/** Class probabilities (rows x classes, row-major) for standardised rows, `batchSize` rows per call. */
export function predictProbabilities(net: tf.LayersModel, x: Matrix, batchSize: number, onBatch?: (done: number) => void): Float32Array {
  const k = net.outputs[0].shape[1] as number;
  const out = new Float32Array(x.rows * k);
  for (let start = 0; start < x.rows; start += batchSize) {
    const n = Math.min(batchSize, x.rows - start);
    const probs = tf.tidy(() => net.predict(tf.tensor2d(x.data.subarray(start * x.cols, (start + n) * x.cols), [n, x.cols])) as tf.Tensor);
    out.set(probs.dataSync() as Float32Array, start * k);
    probs.dispose();
    onBatch?.(start + n);
  }
  return out;
}
