// Peak memory while extracting features for many files (not a test):
//   npx tsx bench/features/memory.ts [--files 10000] [--workers 2] [--isolation process|thread]
// Cycles through the EmoDB clips until --files tasks have run; prints the peak RSS of the whole
// extraction — this process plus its worker processes (sampled from /proc), or the one process
// when the workers are threads — against the 500 MB target.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveFeatureConfig } from '../../src/core/features/config';
import type { FeatureTask, FeatureTaskOutput } from '../../src/core/jobs/feature-task';
import { runPool } from '../../src/core/jobs/pool';
import { sharedDir } from '../lib';

const { values } = parseArgs({
  options: { files: { type: 'string', default: '10000' }, workers: { type: 'string', default: '2' }, isolation: { type: 'string', default: 'process' } },
});
const isolation = values.isolation as 'process' | 'thread';

/** Resident memory (MB) of this process's children, from /proc (Linux). */
function childrenRssMb(): number {
  let kb = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return kb / 1024;
}
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
for await (const r of runPool<FeatureTask, FeatureTaskOutput>({ callerUrl: import.meta.url, name: 'feature-worker', source: '../../src/core/jobs/feature-worker.ts' }, tasks(), { size: Number(values.workers), isolation })) {
  if (!r.ok) throw new Error(r.error.message);
  done++;
  if (done % 100 === 0) {
    const rss = process.memoryUsage().rss / 2 ** 20 + (isolation === 'process' ? childrenRssMb() : 0);
    peak = Math.max(peak, rss);
    process.stderr.write(`\r${done}/${total} files, rss ${rss.toFixed(0)} MB`);
  }
}
const maxRssMb = isolation === 'thread' ? process.resourceUsage().maxRSS / 1024 : peak;
console.log(
  `\n${done} files in ${((performance.now() - t0) / 1000).toFixed(0)} s with ${values.workers} worker ${isolation}es; ` +
    `peak RSS ${maxRssMb.toFixed(0)} MB (${isolation === 'process' ? 'this process + workers, sampled every 100 files' : 'whole process'}; target < 500 MB): ${maxRssMb < 500 ? 'OK' : 'OVER'}`,
);
