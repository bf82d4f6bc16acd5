// Feature-extraction benchmark (not a test): ser-studio vs librosa 0.11 measured in the same run.
//   npx tsx bench/features/run.ts [--runs 30] [--no-librosa] [--no-throughput]
// 1. ms per clip, one core, for the same 3.0 s clip: per block and end to end (after warm-up).
// 2. throughput over every clip of ../shared/data/emodb with 1 and 2 workers (processes by default).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadMono } from '../../src/core/audio/decode';
import { initFft } from '../../src/core/dsp/fft';
import { resolveFeatureConfig } from '../../src/core/features/config';
import { extractFeatures } from '../../src/core/features/extract';
import type { FeatureTask, FeatureTaskOutput } from '../../src/core/jobs/feature-task';
import { runPool } from '../../src/core/jobs/pool';
import { fmt, median, referencePython, runPythonJson, sharedDir } from '../lib';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '30' }, 'no-librosa': { type: 'boolean' }, 'no-throughput': { type: 'boolean' } },
});
const runs = Number(values.runs);
const shared = sharedDir();

// The 3.0 s clip: the first 3 s of a golden synthetic clip (22050 Hz PCM16), written once to a temp file.
function threeSecondClip(): string {
  const src = path.join(shared, 'golden/synth/audio/sadness/sadness_05_en-f3.wav');
  const buf = fs.readFileSync(src);
  const dataAt = buf.indexOf('data') + 8;
  const n = 3 * 22050;
  const out = Buffer.concat([buf.subarray(0, 44), buf.subarray(dataAt, dataAt + n * 2)]);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + n * 2, 4);
  out.writeUInt32LE(n * 2, 40);
  const file = path.join(os.tmpdir(), 'ser-bench-3s.wav');
  fs.writeFileSync(file, out);
  return file;
}

const PY_TIMING = `
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np
import features
path, runs = sys.argv[2], int(sys.argv[3])
y, sr = features.load(path)
for _ in range(3): features.timed_blocks(y, sr)          # numba JIT + caches
per = []; e2e = []
for _ in range(runs):
    t0 = time.perf_counter(); y2, _ = features.load(path); vec, t = features.timed_blocks(y2, sr); e2e.append(time.perf_counter() - t0); per.append(t)
blocks = {k: 1e3 * float(np.median([p[k] for p in per])) for k in per[0]}
print(json.dumps({"e2e_ms": 1e3 * float(np.median(e2e)), "blocks_ms": blocks, "librosa": __import__("librosa").__version__}))
`;

interface Timing {
  e2eMs: number;
  stagesMs: Record<string, number>;
  e2eAll: number[];
  stagesAll: Record<string, number[]>;
}

function pooled(a: Timing, b: Timing): Timing {
  const e2eAll = [...a.e2eAll, ...b.e2eAll];
  const stagesAll = Object.fromEntries(Object.keys(a.stagesAll).map((k) => [k, [...a.stagesAll[k], ...(b.stagesAll[k] ?? [])]]));
  return { e2eMs: median(e2eAll), stagesMs: Object.fromEntries(Object.entries(stagesAll).map(([k, v]) => [k, median(v)])), e2eAll, stagesAll };
}

async function ours(file: string): Promise<Timing> {
  await initFft();
  const config = resolveFeatureConfig();
  const { y } = await loadMono(file);
  for (let i = 0; i < 20; i++) extractFeatures(y, config);
  const e2e: number[] = [];
  const stages: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const sig = await loadMono(file);
    const timings: Record<string, number> = {};
    extractFeatures(sig.y, config, { timings });
    e2e.push(performance.now() - t0);
    for (const [k, v] of Object.entries(timings)) (stages[k] ??= []).push(v);
  }
  return { e2eMs: median(e2e), stagesMs: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, median(v)])), e2eAll: e2e, stagesAll: stages };
}

/**
 * Steady-state clips/s: the corpus is run twice through one pool and only the second pass is timed,
 * so thread start-up, WASM compilation and first-use filter banks are not counted against either size.
 */
async function throughput(files: string[], workers: number): Promise<number> {
  const config = resolveFeatureConfig();
  const tasks = [...files, ...files].map((p): FeatureTask => ({ path: p, config, variants: [{ augId: '' }] }));
  let t0 = 0;
  let n = 0;
  let seen = 0;
  for await (const r of runPool<FeatureTask, FeatureTaskOutput>({ callerUrl: import.meta.url, name: 'feature-worker', source: '../../src/core/jobs/feature-worker.ts' }, tasks, { size: workers, isolation: (process.env.SER_POOL as 'thread' | 'process') ?? 'process' })) {
    if (!r.ok) throw new Error(`${r.input.path}: ${r.error.message}`);
    if (++seen === files.length) t0 = performance.now();
    else if (seen > files.length) n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

const clip = threeSecondClip();
console.log(`SER Studio feature benchmark — ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, node ${process.version}`);
console.log(`\n1) one 3.0 s clip, one core, median of ${runs} runs after warm-up`);
// ser-studio is timed before and after librosa and both halves pooled, so a slow spell of this
// (shared, virtualised) machine during one of the two measurements does not skew the ratio
const before = await ours(clip);
let ref: { e2e_ms: number; blocks_ms: Record<string, number>; librosa: string } | null = null;
const py = values['no-librosa'] ? null : referencePython();
if (py) ref = runPythonJson(py, PY_TIMING, [path.join(shared, 'reference'), clip, String(Math.max(5, Math.round(runs / 3)))]);
else if (!values['no-librosa']) console.log('   (no librosa venv found: see bench/README.md; showing ser-studio only)');
const after = ref ? await ours(clip) : null;
const mine = after ? pooled(before, after) : before;
if (after) console.log(`   ser-studio end to end before / after librosa: ${fmt(before.e2eMs, 2)} / ${fmt(after.e2eMs, 2)} ms`);
console.log(`   ${'stage'.padEnd(22)} ${'ser-studio ms'.padStart(14)} ${ref ? `${'librosa ms'.padStart(12)}  ${'speed-up'.padStart(8)}` : ''}`);
for (const [k, v] of Object.entries(mine.stagesMs)) console.log(`   ${k.padEnd(22)} ${fmt(v, 2).padStart(14)}`);
if (ref) for (const [k, v] of Object.entries(ref.blocks_ms)) console.log(`   librosa:${k.padEnd(14)} ${''.padStart(14)} ${fmt(v, 2).padStart(12)}`);
console.log(`   ${'END TO END (decode+all)'.padEnd(22)} ${fmt(mine.e2eMs, 2).padStart(14)} ${ref ? `${fmt(ref.e2e_ms, 2).padStart(12)}  ${(ref.e2e_ms / mine.e2eMs).toFixed(1).padStart(7)}x` : ''}`);
if (ref) console.log(`   ratio librosa/ser-studio end to end: ${(ref.e2e_ms / mine.e2eMs).toFixed(1)}x (target >= 20x; librosa ${ref.librosa})`);

if (!values['no-throughput']) {
  const manifest = path.join(shared, 'data/emodb/manifest.csv');
  if (!fs.existsSync(manifest)) console.log('\n2) throughput: ../shared/data/emodb not found, skipped');
  else {
    const files = fs.readFileSync(manifest, 'utf8').trim().split('\n').slice(1).map((l) => path.join(path.dirname(manifest), l.split(',')[0]));
    console.log(`\n2) steady-state throughput over ${files.length} EmoDB clips (2.0 s each; a warm-up pass, then a timed pass), decode + features`);
    const one = await throughput(files, 1);
    const two = await throughput(files, 2);
    console.log(`   1 worker : ${one.toFixed(1)} clips/s`);
    console.log(`   2 workers: ${two.toFixed(1)} clips/s`);
    console.log(`   ratio 2 workers / 1 worker: ${(two / one).toFixed(2)}x (target >= 1.7x)`);
  }
}
