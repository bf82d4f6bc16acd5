/**
 * Trains the reference MLP with the lean trainer on an exported reference matrix (see
 * export_reference_matrix.py) and prints the classification report, to compare with train.py's numbers.
 *
 *   npx tsx bench/train/parity.ts DIR [--backend wasm] [--seed 42] [--repeat 1]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend, type BackendChoice } from '../../src/core/train/backend';
import { formatClassificationReport } from '../../src/core/train/metrics';
import { trainAndEvaluate } from '../../src/core/train/train-evaluate';
import { formatMeanSd, meanSd } from '../../src/shared/outcome';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { backend: { type: 'string', default: 'wasm' }, seed: { type: 'string', default: '42' }, repeat: { type: 'string', default: '1' } },
});
const dir = positionals[0];
const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { features: number; classes: number; labels: string[]; split: string };
const f32 = (n: string) => {
  const b = readFileSync(path.join(dir, n));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const i32 = (n: string) => {
  const b = readFileSync(path.join(dir, n));
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const xt = f32('x_train.f32');
const xv = f32('x_val.f32');
const input = {
  xTrain: { rows: xt.length / meta.features, cols: meta.features, data: xt },
  yTrain: i32('y_train.i32'),
  xVal: { rows: xv.length / meta.features, cols: meta.features, data: xv },
  yVal: i32('y_val.i32'),
  labels: meta.labels,
};
const info = await selectBackend(args.backend as BackendChoice);
const accs: number[] = [];
const f1s: number[] = [];
for (let r = 0; r < Number(args.repeat); r++) {
  const seed = Number(args.seed) + r;
  const { result, report, summary } = await trainAndEvaluate(input, { seed });
  if (r === 0) console.log(formatClassificationReport(report));
  console.log(
    `[${info.name} seed ${seed}] ${meta.split}: epochs ${result.history.length} (best ${result.bestEpoch}), ` +
      `val acc final ${summary?.finalValAcc.toFixed(3)} best ${summary?.bestValAcc.toFixed(3)}; ` +
      `restored acc ${report.accuracy.toFixed(3)} macro-F1 ${report.macro.f1.toFixed(3)}; ${(result.trainMs / result.history.length).toFixed(0)} ms/epoch`,
  );
  accs.push(report.accuracy);
  f1s.push(report.macro.f1);
  result.model.dispose();
}
if (accs.length > 1) {
  const a = meanSd(accs);
  const f = meanSd(f1s);
  const f3 = (v: number) => v.toFixed(3);
  console.log(`over ${accs.length} seeds: accuracy ${formatMeanSd(a, f3)}, macro-F1 ${formatMeanSd(f, f3)}`);
}
