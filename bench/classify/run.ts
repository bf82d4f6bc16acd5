// Classification benchmark (not a test): `classify` beside feature extraction alone, same run, same clips.
//   npx tsx bench/classify/run.ts [--workers 1,2] [--repeats 2] [--backend auto] [--no-cli]
//
// Over every clip of ../shared/data/emodb (its manifest: 535 distinct clips), for each worker count:
//   extraction  extractMany with those workers (the clips' sha256 computed beforehand, not timed)
//   classify    classifyFiles end to end: model check, hashing + probing each file, the same extraction,
//               standardisation, tfjs inference in batches, evaluation, storing every row
// each in a fresh workspace (empty feature cache, so everything is computed), alternating which goes first
// and pooled over --repeats. The model is a small one trained on the bundled demo set and exported as a
// folder (classification cost does not depend on how good it is). The tfjs backend is loaded once before
// timing: a CLI run pays that once per process, overlapped with reading the files; the last column times
// the built CLI (`npm run build`) end to end, process start and backend load included, for reference.
// Target: classify costs no more than 10% above extraction (clips/s ratio >= 0.91).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sha256File } from '../../src/core/audio/probe';
import { classifyFiles } from '../../src/core/classify/classify';
import { exportModel } from '../../src/core/classify/export';
import { importDataset } from '../../src/core/dataset/import';
import { parseCsv } from '../../src/core/dataset/csv';
import { runExperiment } from '../../src/core/experiments/run';
import { resolveFeatureConfig } from '../../src/core/features/config';
import { extractMany } from '../../src/core/jobs/extract-many';
import { selectBackend, type BackendChoice } from '../../src/core/train/backend';
import { openWorkspace } from '../../src/core/workspace/workspace';
import { median, sharedDir } from '../lib';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2' },
    repeats: { type: 'string', default: '2' },
    backend: { type: 'string', default: 'auto' },
    'no-cli': { type: 'boolean' },
  },
});
const workerCounts = values.workers!.split(',').map(Number);
const repeats = Number(values.repeats);
const backendChoice = values.backend as BackendChoice;
const manifest = path.join(sharedDir(), 'data/emodb/manifest.csv');
if (!fs.existsSync(manifest)) throw new Error(`EmoDB manifest not found: ${manifest}`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-bench-classify-'));
const freshWorkspace = (name: string) => openWorkspace(fs.mkdtempSync(path.join(work, `${name}-`)));
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

console.log(`SER Studio classification benchmark — ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, node ${process.version}`);
console.log(`load average at start: ${load()}`);

// The model: trained on the demo set, exported as a folder.
const setup = freshWorkspace('setup');
await importDataset(setup.db, { source: path.resolve('resources/demo/manifest.csv'), name: 'demo' });
const trained = await runExperiment(setup, { dataset: 'demo', augment: [], copies: 0, epochs: 10, backend: 'cpu' });
const modelDir = path.join(work, 'model');
await exportModel(setup, { experimentId: trained.experimentId }, modelDir);
setup.close();

// The clips, hashed once (the extraction baseline is given their sha256, as import would have it).
const root = path.dirname(manifest);
const rows = parseCsv(fs.readFileSync(manifest, 'utf8'));
const pathCol = rows[0].indexOf('path');
const files = rows.slice(1).map((r) => path.resolve(root, r[pathCol]));
const hashes = await Promise.all(files.map((f) => sha256File(f)));
const config = resolveFeatureConfig();
const t0 = performance.now();
const backend = await selectBackend(backendChoice);
console.log(`${files.length} EmoDB clips; model: demo set, experiment ${trained.experimentId} (val acc ${trained.accuracy?.toFixed(3)}); backend ${backend.name} loaded in ${(performance.now() - t0).toFixed(0)} ms (before timing)\n`);

async function extraction(workers: number): Promise<number> {
  const ws = freshWorkspace('extract');
  try {
    const t = performance.now();
    const out = await extractMany(
      ws.db,
      files.map((f, i) => ({ key: String(i), path: f, sha256: hashes[i], variants: [{ augId: '' }] })),
      { config, workers },
    );
    if (out.length !== files.length) throw new Error(`extraction returned ${out.length} of ${files.length}`);
    return files.length / ((performance.now() - t) / 1000);
  } finally {
    ws.close();
  }
}

const stages: Record<number, { read: number[]; features: number[]; inference: number[]; total: number[] }> = {};
async function classify(workers: number): Promise<number> {
  const ws = freshWorkspace('classify');
  try {
    const t = performance.now();
    const r = await classifyFiles(ws, { model: { dir: modelDir }, source: { kind: 'manifest', path: manifest }, workers, backend: backendChoice });
    const sec = (performance.now() - t) / 1000;
    if (r.counts.classified !== files.length) throw new Error(`classified ${r.counts.classified} of ${files.length}`);
    const s = (stages[workers] ??= { read: [], features: [], inference: [], total: [] });
    s.read.push(r.timings!.readMs);
    s.features.push(r.timings!.featuresMs);
    s.inference.push(r.timings!.inferenceMs);
    s.total.push(sec * 1000);
    return files.length / sec;
  } finally {
    ws.close();
  }
}

function cli(workers: number): number | null {
  const bin = path.resolve('out/cli/index.js');
  if (values['no-cli'] || !fs.existsSync(bin)) return null;
  const ws = fs.mkdtempSync(path.join(work, 'cli-'));
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, 'classify', '--model', modelDir, manifest, '--workers', String(workers), '--backend', backendChoice, '--json', '--workspace', ws], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`ser-studio classify failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return files.length / ((performance.now() - t) / 1000);
}

const f1 = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' / ');
console.log(`${'workers'.padEnd(8)} ${'extraction clips/s'.padEnd(26)} ${'classify clips/s'.padEnd(26)} ${'ratio'.padStart(6)}  ${'CLI clips/s'.padStart(11)}`);
for (const workers of workerCounts) {
  const ext: number[] = [];
  const cls: number[] = [];
  for (let i = 0; i < repeats; i++) {
    // Alternate which goes first so a slow spell of the (shared) machine does not always hit the same one.
    if (i % 2 === 0) {
      ext.push(await extraction(workers));
      cls.push(await classify(workers));
    } else {
      cls.push(await classify(workers));
      ext.push(await extraction(workers));
    }
  }
  const e = median(ext);
  const c = median(cls);
  const viaCli = cli(workers);
  console.log(
    `${String(workers).padEnd(8)} ${`${e.toFixed(1)} (${f1(ext)})`.padEnd(26)} ${`${c.toFixed(1)} (${f1(cls)})`.padEnd(26)} ${(c / e).toFixed(3).padStart(6)}  ${viaCli === null ? '-'.padStart(11) : viaCli.toFixed(1).padStart(11)}`,
  );
}
// On a shared machine the wall-clock ratio swings with other people's jobs; what classification adds to the
// extraction it runs is measured inside each classify run: everything but its features phase (the same
// extractMany call the baseline times), as a share of that phase.
console.log('\nclassify stages, median ms (reading = hashing + probing every file once; the network is built while features are extracted):');
for (const [w, s] of Object.entries(stages)) {
  const added = s.total.map((t, i) => t - s.features[i]);
  const share = added.map((a, i) => a / s.features[i]);
  console.log(
    `  ${w} worker(s): reading ${median(s.read).toFixed(0)}, features ${median(s.features).toFixed(0)}, inference ${median(s.inference).toFixed(0)}; ` +
      `added to extraction ${median(added).toFixed(0)} ms = ${(100 * median(share)).toFixed(1)}% of its features phase (runs: ${share.map((x) => `${(100 * x).toFixed(1)}%`).join(' / ')})`,
  );
}
console.log(`\ntarget: classify costs no more than 10% above extraction (clips/s ratio >= 0.91, added share <= 10%); load average now ${load()}`);
fs.rmSync(work, { recursive: true, force: true });
