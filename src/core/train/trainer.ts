/**
 * A lean training loop for the MLP. `model.fit` (and even `optimizer.minimize`) cost ~230 kernel launches
 * per batch through tfjs' generic autodiff and per-variable Adam, which makes it ~4x slower than Keras here.
 * This loop runs the hand-written backward pass (mlp-pass.ts) and a host-side Adam (optimizer.ts): ~35
 * launches per batch. Batches are cut and shuffled in JS and uploaded, because the wasm backend's
 * Slice/Gather/Concat copy their whole input tensor through JS on every call.
 *
 * Semantics follow the reference Keras run: Adam (Keras' update and epsilon 1e-7), categorical
 * cross-entropy, shuffled mini-batches, dropout in training only, early stopping on validation loss with
 * patience (an epoch improves when val loss is strictly lower), the best weights restored (also when all
 * epochs ran; Keras restores only when it stops early). Without early stopping (patience 0) the final
 * weights are kept, as Keras keeps them without the callback. Everything random
 * (shuffling, dropout masks; init is seeded in the model) derives from one seed, so on a deterministic
 * backend (cpu, wasm) the same seed gives the same history bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import type { Weights } from '../../shared/experiment';
import { TRAIN_DEFAULTS } from '../../shared/params';
import type { Matrix } from './matrix';
import { layersOfModel, passLayers } from './mlp-spec';
import { denseVariables } from './model';
import { hostMemory } from './host-memory';
import { backward, dropoutMasks, evaluate, forward, PROB_FLOOR, type LayerParams } from './mlp-pass';
import { BETA1, BETA2, hostAdam } from './optimizer';
import { deriveSeed, Rng } from './rng';

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Epochs without a val-loss improvement before stopping; 0 disables early stopping (final weights kept). */
  patience?: number;
  seed: number;
  onEpoch?: (log: EpochLog) => void | Promise<void>;
  /** Aborting stops training after the current batch; the result then has status 'cancelled'. */
  signal?: AbortSignal;
}

export interface TrainData {
  xTrain: Matrix;
  yTrain: Int32Array;
  xVal: Matrix;
  yVal: Int32Array;
  nClasses: number;
}

export interface EpochLog {
  /** 1-based. */
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number;
  valAcc: number;
  ms: number;
}

export type TrainStatus = 'completed' | 'early-stopped' | 'cancelled';

export interface TrainResult {
  status: TrainStatus;
  history: EpochLog[];
  /** 1-based epoch of the lowest validation loss; 0 if no epoch finished. */
  bestEpoch: number;
  /** Which epoch's weights the model holds: the best one under early stopping, else the last; null if none finished. */
  weights: Weights | null;
  /** Predicted class and class probabilities (row-major, rows x classes) on the validation rows. */
  valPredictions: { predicted: Int32Array; probabilities: Float32Array };
  trainMs: number;
  /** The model passed in, now holding the weights `weights` names. */
  model: tf.LayersModel;
}


function checkData(d: TrainData, inputDim: number): void {
  if (d.xTrain.cols !== inputDim || d.xVal.cols !== inputDim) {
    throw new RangeError(`model expects ${inputDim} features, data has ${d.xTrain.cols} (train) / ${d.xVal.cols} (val)`);
  }
  if (d.yTrain.length !== d.xTrain.rows || d.yVal.length !== d.xVal.rows) throw new RangeError('labels and rows differ in number');
  if (d.xTrain.rows === 0 || d.xVal.rows === 0) throw new RangeError('training and validation need at least one row each');
  for (const labels of [d.yTrain, d.yVal]) {
    for (const y of labels) if (!(y >= 0 && y < d.nClasses)) throw new RangeError(`label ${y} outside [0, ${d.nClasses})`);
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Rows `order[start..start+rows)` of a row-major array, gathered in JS (no backend Slice/Gather). */
function gatherRows<T extends Float32Array | Int32Array>(src: T, width: number, order: Int32Array, start: number, rows: number, out: T): T {
  for (let r = 0; r < rows; r++) {
    const from = order[start + r] * width;
    out.set(src.subarray(from, from + width), r * width);
  }
  return out;
}

function oneHot(labels: Int32Array, nClasses: number): Float32Array {
  const out = new Float32Array(labels.length * nClasses);
  labels.forEach((y, i) => (out[i * nClasses + y] = 1));
  return out;
}

export async function trainModel(model: tf.LayersModel, data: TrainData, opts: TrainOptions): Promise<TrainResult> {
  const epochs = opts.epochs ?? TRAIN_DEFAULTS.epochs;
  const batchSize = opts.batchSize ?? TRAIN_DEFAULTS.batchSize;
  const patience = opts.patience ?? TRAIN_DEFAULTS.patience;
  const lr = opts.learningRate ?? TRAIN_DEFAULTS.learningRate;
  // The pass trains exactly the layers the model has, or refuses it (unsupported_model).
  const layers = passLayers(layersOfModel(model));
  const params: LayerParams[] = denseVariables(model).map(({ kernel, bias }, i) => ({
    kernel: kernel as tf.Variable<tf.Rank.R2>,
    bias: bias as tf.Variable<tf.Rank.R1>,
    layer: layers[i],
  }));
  const inputDim = params[0].kernel.shape[0];
  checkData(data, inputDim);
  const outDim = params[params.length - 1].kernel.shape[1];
  if (outDim !== data.nClasses) throw new RangeError(`model has ${outDim} outputs, data ${data.nClasses} classes`);
  const hidden = layers.slice(0, -1);
  const withDropout = hidden.some((l) => l.dropout > 0);
  const vars: tf.Variable[] = params.flatMap((p) => [p.kernel, p.bias]);
  const shuffleRng = new Rng(deriveSeed(opts.seed, 'shuffle'));
  const dropoutRng = new Rng(deriveSeed(opts.seed, 'dropout'));
  const n = data.xTrain.rows;
  const C = data.nClasses;
  const nBatches = Math.ceil(n / batchSize);
  const explicitTranspose = tf.getBackend() === 'wasm';

  // Batches are cut in JS and uploaded: on wasm, Slice/Gather/Concat copy their whole input through JS.
  const yTrainHot = oneHot(data.yTrain, C);
  const xBuf = new Float32Array(batchSize * inputDim);
  const dLogitsBuf = new Float32Array(batchSize * C);
  const maskBufs = hidden.map((l) => (l.dropout > 0 ? new Float32Array(batchSize * l.units) : null));
  const rowIdx = new Int32Array(batchSize);

  const adam = hostAdam(vars, hostMemory());
  const xVal = tf.tensor2d(data.xVal.data, [data.xVal.rows, inputDim]);
  const yValIdx = tf.tensor1d(data.yVal, 'int32');
  const yVal = tf.tensor2d(oneHot(data.yVal, C), [data.xVal.rows, C]);

  const history: EpochLog[] = [];
  let best: Float32Array[] | null = null;
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let wait = 0;
  let step = 0;
  let status: TrainStatus = 'completed';
  const t0 = performance.now();

  try {
    for (let epoch = 1; epoch <= epochs && status === 'completed'; epoch++) {
      const te = performance.now();
      const order = shuffleRng.permutation(n);
      let lossSum = 0;
      let correctSum = 0;
      let seen = 0;
      for (let b = 0; b < nBatches; b++) {
        const start = b * batchSize;
        const rows = Math.min(batchSize, n - start);
        step++;
        const alpha = (lr * Math.sqrt(1 - BETA2 ** step)) / (1 - BETA1 ** step);
        // Masks are drawn per batch in a fixed order so a run repeats exactly.
        const masks = withDropout ? dropoutMasks(dropoutRng, rows, hidden, maskBufs) : null;
        tf.tidy(() => {
          for (let r = 0; r < rows; r++) rowIdx[r] = order[start + r];
          const xb = tf.tensor2d(gatherRows(data.xTrain.data, inputDim, rowIdx, 0, rows, xBuf).subarray(0, rows * inputDim), [rows, inputDim]);
          const mb = masks ? masks.map((m, i) => (m ? tf.tensor2d(m.subarray(0, rows * hidden[i].units), [rows, hidden[i].units]) : null)) : null;
          const fwd = forward(params, xb, mb);
          // Loss, accuracy and dL/dlogits = (softmax - onehot) / rows from a rows x C readback: cheaper in JS
          // than eight more kernel launches.
          const probs = tf.softmax(fwd.logits).dataSync();
          for (let r = 0; r < rows; r++) {
            const label = data.yTrain[rowIdx[r]];
            let argmax = 0;
            for (let c = 0; c < C; c++) {
              const p = probs[r * C + c];
              if (p > probs[r * C + argmax]) argmax = c;
              dLogitsBuf[r * C + c] = (p - yTrainHot[rowIdx[r] * C + c]) / rows;
            }
            lossSum -= Math.log(Math.max(probs[r * C + label], PROB_FLOOR));
            if (argmax === label) correctSum++;
          }
          const dLogits = tf.tensor2d(dLogitsBuf.subarray(0, rows * C), [rows, C]);
          adam.step(backward(params, fwd, dLogits, explicitTranspose), alpha);
        });
        seen += rows;
        if (opts.signal) {
          await yieldToEventLoop();
          if (opts.signal.aborted) {
            status = 'cancelled';
            break;
          }
        }
      }
      if (status === 'cancelled' && seen < n) break;

      const valStats = tf.tidy(() => {
        const { lossSum: l, correct: c } = evaluate(forward(params, xVal, null).logits, yVal, yValIdx);
        return tf.stack([l, c]);
      });
      const [valLossSum, valCorrect] = await valStats.data();
      valStats.dispose();
      const log: EpochLog = {
        epoch,
        loss: lossSum / n,
        acc: correctSum / n,
        valLoss: valLossSum / data.xVal.rows,
        valAcc: valCorrect / data.xVal.rows,
        ms: performance.now() - te,
      };
      history.push(log);
      if (log.valLoss < bestLoss) {
        bestLoss = log.valLoss;
        bestEpoch = epoch;
        wait = 0;
        if (patience > 0) best = vars.map((v) => v.dataSync().slice() as Float32Array);
      } else if (patience > 0 && ++wait >= patience) {
        status = 'early-stopped';
      }
      await opts.onEpoch?.(log);
      if (opts.signal?.aborted && status === 'completed') status = 'cancelled';
    }

    const restoreBest = patience > 0;
    if (restoreBest && best) tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(best![i], v.shape))));
    const weights: Weights | null = !history.length
      ? null
      : restoreBest
        ? { epoch: bestEpoch, rule: 'best-val-loss' }
        : { epoch: history[history.length - 1].epoch, rule: 'final' };
    const probs = tf.tidy(() => tf.softmax(forward(params, xVal, null).logits));
    const argmax = tf.argMax(probs, 1);
    const probabilities = (await probs.data()) as Float32Array;
    const predicted = Int32Array.from(await argmax.data());
    tf.dispose([probs, argmax]);
    return { status, history, bestEpoch, weights, valPredictions: { predicted, probabilities }, trainMs: performance.now() - t0, model };
  } finally {
    tf.dispose([xVal, yVal, yValIdx]);
    adam.dispose();
  }
}
