/**
 * Seconds per epoch of the lean tfjs trainer on every available backend vs the reference Keras model,
 * on the same standardised feature matrix, measured in the same run (interleaved rounds, so background
 * load hits both alike). Not a test.
 *
 *   npx tsx bench/train/run.ts [--epochs 10] [--rounds 2] [--matrix DIR] [--python PATH] [--backends wasm,cpu] [--fit]
 *
 * --matrix DIR reads DIR/meta.json {features, classes} + x_train.f32, y_train.i32, x_val.f32, y_val.i32
 * (e.g. EmoDB + 5 augmented copies, exported by the app); default: a synthetic matrix of that shape
 * (2568 x 166 train, 107 val, 7 classes). --fit also times plain tfjs `model.fit` on wasm, for the record.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { availableBackends, selectBackend, type BackendName } from '../../src/core/train/backend';
import type { Matrix } from '../../src/core/train/matrix';
import { referencePython } from '../lib';
import { mlpSpec } from '../../src/core/train/mlp-spec';
import { buildMlp } from '../../src/core/train/model';
import { Rng } from '../../src/core/train/rng';
import { applyStandardizer, fitStandardizer } from '../../src/core/train/standardize';
import { trainModel, type TrainData } from '../../src/core/train/trainer';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    matrix: { type: 'string' },
    python: { type: 'string' },
    backends: { type: 'string' },
    fit: { type: 'boolean', default: false },
  },
});
const epochs = Number(args.epochs);
const rounds = Number(args.rounds);
// A venv with tensorflow-cpu: --python, $SER_KERAS_PYTHON, then bench/lib's usual places ($SER_REFERENCE_PYTHON,
// ../venv-tf, .venv). Keras keeps its default threading, as train.py runs it (the harder comparison: ours is
// single-threaded).
const python = args.python ?? process.env.SER_KERAS_PYTHON ?? referencePython([path.resolve('../venv-tf/bin/python')]) ?? '';

function synthetic(): TrainData {
  const r = new Rng(2024);
  const dim = 166;
  const classes = 7;
  const centres = Array.from({ length: classes }, () => Array.from({ length: dim }, () => r.next() * 2 - 1));
  const make = (n: number): { x: Matrix; y: Int32Array } => {
    const data = new Float32Array(n * dim);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = r.int(classes);
      for (let j = 0; j < dim; j++) data[i * dim + j] = 10 * (centres[y[i]][j] * 0.3 + (r.next() + r.next() + r.next() - 1.5) * 1.5) + j;
    }
    return { x: { rows: n, cols: dim, data }, y };
  };
  const tr = make(2568);
  const va = make(107);
  return { xTrain: tr.x, yTrain: tr.y, xVal: va.x, yVal: va.y, nClasses: classes };
}

function readMatrix(dir: string): TrainData {
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { features: number; classes: number };
  const f32 = (name: string) => {
    const b = readFileSync(path.join(dir, name));
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const i32 = (name: string) => {
    const b = readFileSync(path.join(dir, name));
    return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const xt = f32('x_train.f32');
  const xv = f32('x_val.f32');
  return {
    xTrain: { rows: xt.length / meta.features, cols: meta.features, data: xt },
    yTrain: i32('y_train.i32'),
    xVal: { rows: xv.length / meta.features, cols: meta.features, data: xv },
    yVal: i32('y_val.i32'),
    nClasses: meta.classes,
  };
}

function writeMatrix(dir: string, d: TrainData): void {
  const raw = (a: Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(path.join(dir, 'x_train.f32'), raw(d.xTrain.data));
  writeFileSync(path.join(dir, 'y_train.i32'), raw(d.yTrain));
  writeFileSync(path.join(dir, 'x_val.f32'), raw(d.xVal.data));
  writeFileSync(path.join(dir, 'y_val.i32'), raw(d.yVal));
  writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ features: d.xTrain.cols, classes: d.nClasses, seed: 42 }));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Timing {
  epochS: number[];
  cpuS: number[];
}

async function timeOurs(backend: BackendName, data: TrainData, n: number): Promise<Timing> {
  await selectBackend(backend);
  const model = buildMlp(mlpSpec({ inputDim: data.xTrain.cols, nClasses: data.nClasses, seed: 42 }));
  const epochS: number[] = [];
  const cpuS: number[] = [];
  let cpu = process.cpuUsage();
  await trainModel(model, data, {
    seed: 42,
    epochs: n,
    patience: 0,
    onEpoch: (log) => {
      const now = process.cpuUsage(cpu);
      cpuS.push((now.user + now.system) / 1e6);
      epochS.push(log.ms / 1000);
      cpu = process.cpuUsage();
    },
  });
  model.dispose();
  return { epochS, cpuS };
}

async function timeFit(data: TrainData, n: number): Promise<Timing> {
  await selectBackend('wasm');
  const model = buildMlp(mlpSpec({ inputDim: data.xTrain.cols, nClasses: data.nClasses, seed: 42 }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor2d(data.xTrain.data, [data.xTrain.rows, data.xTrain.cols]);
  const y = tf.tensor1d(data.yTrain, 'float32');
  const xv = tf.tensor2d(data.xVal.data, [data.xVal.rows, data.xVal.cols]);
  const yv = tf.tensor1d(data.yVal, 'float32');
  const epochS: number[] = [];
  let t = performance.now();
  await model.fit(x, y, {
    epochs: n,
    batchSize: 32,
    validationData: [xv, yv],
    shuffle: true,
    verbose: 0,
    callbacks: { onEpochBegin: async () => void (t = performance.now()), onEpochEnd: async () => void epochS.push((performance.now() - t) / 1000) },
  });
  tf.dispose([x, y, xv, yv]);
  model.dispose();
  return { epochS, cpuS: [] };
}

// Keras runs with the environment this bench started with: selectBackend('tensorflow') later sets
// TF_NUM_*_THREADS=1 for tfjs-node in this process, which must not leak into the reference.
const kerasEnv = { ...process.env };

function timeKeras(dir: string, n: number): Timing & { versions: string } {
  const out = spawnSync(python, [path.join(import.meta.dirname, 'keras_epochs.py'), dir, String(n)], { encoding: 'utf8', env: kerasEnv });
  if (out.status !== 0) throw new Error(`keras run failed: ${out.stderr.slice(-800)}`);
  const line = out.stdout.trim().split('\n').pop()!;
  const r = JSON.parse(line) as { epoch_s: number[]; epoch_cpu_s: number[]; keras: string; tensorflow: string };
  return { epochS: r.epoch_s, cpuS: r.epoch_cpu_s, versions: `keras ${r.keras}, tensorflow ${r.tensorflow}` };
}

async function main(): Promise<void> {
  const raw = args.matrix ? readMatrix(args.matrix) : synthetic();
  // Standardised once, fitted on the training rows; Keras reads these very bytes.
  const s = fitStandardizer(raw.xTrain);
  const data: TrainData = { ...raw, xTrain: applyStandardizer(s, raw.xTrain), xVal: applyStandardizer(s, raw.xVal) };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ser-bench-train-'));
  writeMatrix(dir, data);
  const backends = args.backends ? (args.backends.split(',') as BackendName[]) : await availableBackends();
  const haveKeras = python !== '' && existsSync(python);
  console.log(`matrix: ${data.xTrain.rows} x ${data.xTrain.cols} train, ${data.xVal.rows} val, ${data.nClasses} classes (${args.matrix ?? 'synthetic'})`);
  console.log(`epochs per run: ${epochs} (cpu: ${Math.min(epochs, 3)}), rounds: ${rounds}; backends: ${backends.join(', ')}; keras: ${haveKeras ? python : 'not found'}`);

  const results = new Map<string, Timing>();
  const add = (name: string, t: Timing, skipFirst: boolean) => {
    const r = results.get(name) ?? { epochS: [], cpuS: [] };
    // The first epoch pays for tracing / kernel compilation / wasm warm-up: reported apart, not in the median.
    r.epochS.push(...t.epochS.slice(skipFirst ? 1 : 0));
    r.cpuS.push(...t.cpuS.slice(skipFirst ? 1 : 0));
    results.set(name, r);
  };
  let kerasVersions = '';
  for (let round = 1; round <= rounds; round++) {
    if (haveKeras) {
      const k = timeKeras(dir, epochs);
      kerasVersions = k.versions;
      add('keras', k, true);
    }
    for (const b of backends) add(b, await timeOurs(b, data, b === 'cpu' ? Math.min(epochs, 3) : epochs), true);
    if (args.fit) add('wasm model.fit', await timeFit(data, Math.min(epochs, 4)), true);
  }
  rmSync(dir, { recursive: true, force: true });

  const keras = results.get('keras');
  const kerasMedian = keras ? median(keras.epochS) : NaN;
  console.log(`\n${'backend'.padEnd(16)} ${'s/epoch'.padStart(8)} ${'cpu s/ep'.padStart(9)} ${'vs keras'.padStart(9)}  (median over ${rounds} rounds, first epoch excluded)`);
  for (const [name, t] of results) {
    const m = median(t.epochS);
    const cpu = t.cpuS.length ? median(t.cpuS).toFixed(3) : '-';
    console.log(`${name.padEnd(16)} ${m.toFixed(3).padStart(8)} ${cpu.padStart(9)} ${(keras ? (m / kerasMedian).toFixed(2) : '-').padStart(9)}`);
  }
  if (kerasVersions) console.log(`keras: ${kerasVersions}; tfjs ${tf.version_core}; node ${process.version}; ${os.cpus().length} cpus, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const ours = [...results].filter(([n]) => n !== 'keras' && n !== 'wasm model.fit');
  if (keras && ours.length) {
    const [bestName, bestT] = ours.sort((a, b) => median(a[1].epochS) - median(b[1].epochS))[0];
    const ratio = median(bestT.epochS) / kerasMedian;
    console.log(`best backend: ${bestName}, ratio ${ratio.toFixed(2)} (target <= 1.00) ${ratio <= 1 ? 'OK' : 'SLOWER'}`);
  }
}

await main();
