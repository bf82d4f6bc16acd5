// Peak memory while extracting features for many files (not a test):
//   npx tsx bench/features/memory.ts [--files 10000] [--workers 2]
// Cycles through the EmoDB clips until --files tasks have run; prints the process's peak RSS
// (worker threads included) against the 500 MB target.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveFeatureConfig } from '../../src/core/features/config';
import type { FeatureTask, FeatureTaskOutput } from '../../src/core/jobs/feature-task';
import { runPool } from '../../src/core/jobs/pool';
import { sharedDir } from '../lib';

const { values } = parseArgs({ options: { files: { type: 'string', default: '10000' }, workers: { type: 'string', default: '2' } } });
const total = Number(values.files);
const manifest = path.join(sharedDir(), 'data/emodb/manifest.csv');
const files = fs.readFileSync(manifest, 'utf8').trim().split('\n').slice(1).map((l) => path.join(path.dirname(manifest), l.split(',')[0]));
const config = resolveFeatureConfig();

function* tasks(): Generator<FeatureTask> {
  for (let i = 0; i < total; i++) yield { path: files[i % files.length], config, variants: [{ augId: '' }] };
}

const t0 = performance.now();
let done = 0;
let peak = 0;
for await (const r of runPool<FeatureTask, FeatureTaskOutput>({ callerUrl: import.meta.url, name: 'feature-worker', source: '../../src/core/jobs/feature-worker.ts' }, tasks(), { size: Number(values.workers) })) {
  if (!r.ok) throw new Error(r.error.message);
  done++;
  if (done % 500 === 0) {
    const rss = process.memoryUsage().rss / 2 ** 20;
    peak = Math.max(peak, rss);
    process.stderr.write(`\r${done}/${total} files, rss ${rss.toFixed(0)} MB`);
  }
}
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(`\n${done} files in ${((performance.now() - t0) / 1000).toFixed(0)} s; peak RSS ${maxRssMb.toFixed(0)} MB (target < 500 MB): ${maxRssMb < 500 ? 'OK' : 'OVER'}`);
