// pYIN speed check (not a test): src/core/dsp/pyin.ts vs librosa.pyin on distinct EmoDB clips, timed in
// the same run, one core each.
//   npx tsx bench/features/pyin.ts [--clips 30] [--cpu 1|none] [--runs 2]
//
// The clips (every k-th of ../shared/data/emodb's manifest, so all labels and speakers) are decoded
// once per process, outside the timing; three warm-up clips outside the set run first (librosa's numba
// JIT; V8 needs a few clips to optimise pyin.ts fully: a fresh process's first clip costs ~7x a
// warmed-up one, which a feature worker pays once per run, not per clip). Then each clip is timed
// alone: pyin(y) with librosa's call, fmin C2, fmax C7, sr 22050. ser-studio runs before and after
// librosa (pooled), each in a fresh process pinned to the same core (--cpu). Wall clock and CPU time
// are both printed: on a loaded machine the CPU time is the steadier of the two. Also printed: how
// far the two agree on these real recordings (voiced flags, f0 on frames voiced in both,
// voiced_prob), which the committed goldens cannot show (EmoDB's audio may not be committed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { fmt, median, referencePython, runPythonJson } from '../lib';
import { emodbFiles } from './corpora';

interface Track {
  /** wall clock per clip */
  ms: number[];
  /** CPU time per clip (user + system): steadier than wall time on a loaded machine */
  cpuMs: number[];
  f0: number[][];
  flag: number[][];
  prob: number[][];
}

const { values } = parseArgs({
  options: {
    clips: { type: 'string', default: '30' },
    cpu: { type: 'string', default: '1' },
    runs: { type: 'string', default: '2' },
    child: { type: 'string' },
  },
});

if (values.child) {
  // child: node --import tsx bench/features/pyin.ts --child LIST.json  -> one JSON line (Track)
  const { loadMono } = await import('../../src/core/audio/decode');
  const { pyin } = await import('../../src/core/dsp/pyin');
  const list = JSON.parse(fs.readFileSync(values.child, 'utf8')) as { warmup: string[]; clips: string[] };
  const signals: Float32Array[] = [];
  for (const f of list.clips) signals.push((await loadMono(f)).y);
  for (const f of list.warmup) pyin((await loadMono(f)).y);
  const out: Track = { ms: [], cpuMs: [], f0: [], flag: [], prob: [] };
  for (const y of signals) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = pyin(y);
    out.ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    out.cpuMs.push((c.user + c.system) / 1000);
    out.f0.push(Array.from(r.f0, (v) => (Number.isNaN(v) ? -1 : v)));
    out.flag.push(Array.from(r.voicedFlag));
    out.prob.push(Array.from(r.voicedProb));
  }
  console.log(JSON.stringify(out));
  process.exit(0);
}

const LIBROSA = `
import json, sys, time
import numpy as np, librosa
lst = json.load(open(sys.argv[1]))
ys = [librosa.load(f, sr=22050)[0] for f in lst["clips"]]
kw = dict(fmin=librosa.note_to_hz("C2"), fmax=librosa.note_to_hz("C7"), sr=22050)
for f in lst["warmup"]:
    librosa.pyin(librosa.load(f, sr=22050)[0], **kw)
out = {"ms": [], "cpuMs": [], "f0": [], "flag": [], "prob": []}
for y in ys:
    c0 = time.process_time()
    t0 = time.perf_counter()
    f0, flag, prob = librosa.pyin(y, **kw)
    out["ms"].append((time.perf_counter() - t0) * 1000)
    out["cpuMs"].append((time.process_time() - c0) * 1000)
    out["f0"].append([-1.0 if np.isnan(v) else float(v) for v in f0])
    out["flag"].append([int(v) for v in flag])
    out["prob"].append([float(v) for v in prob])
print(json.dumps(out))
`;

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const cpu = values.cpu === 'none' ? null : (values.cpu ?? '1');
const nClips = Number(values.clips);
const runs = Number(values.runs);

const all = emodbFiles();
const step = Math.max(1, Math.floor(all.length / (nClips + 1)));
const clips = Array.from({ length: nClips }, (_, i) => all[(i + 1) * step]);
const warmup = [all[0], all[1], all[2]];
for (const f of [...warmup, ...clips]) fs.readFileSync(f); // page cache for both
const listFile = path.join(os.tmpdir(), `ser-pyin-bench-${process.pid}.json`);
fs.writeFileSync(listFile, JSON.stringify({ warmup, clips }));

function ours(): Track {
  const argv = ['--import', 'tsx', path.join(here, 'pyin.ts'), '--child', listFile];
  const [cmd, args] = cpu === null ? [process.execPath, argv] : ['taskset', ['-c', cpu, process.execPath, ...argv]];
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`pyin child failed (${r.status}): ${r.stderr.slice(-3000)}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Track;
}

const python = referencePython();
if (!python) throw new Error('no reference Python (.venv/bin/python or $SER_REFERENCE_PYTHON): see bench/README.md');
console.log(`pyin: ${clips.length} distinct EmoDB clips (22.05 kHz), cpu ${cpu ?? 'any'}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const oursRuns: Track[] = [];
const refRuns: Track[] = [];
for (let r = 0; r < runs; r++) {
  oursRuns.push(ours());
  refRuns.push(runPythonJson<Track>(python, LIBROSA, [listFile], 30 * 60_000, cpu));
}
oursRuns.push(ours());
fs.rmSync(listFile, { force: true });

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const table = (key: 'ms' | 'cpuMs', label: string): void => {
  const o = oursRuns.flatMap((t) => t[key]);
  const l = refRuns.flatMap((t) => t[key]);
  console.log(`${label}: mean ms/clip  median ms/clip`);
  console.log(`  ser-studio   ${fmt(mean(o))}      ${fmt(median(o))}   (${oursRuns.length} runs: ${oursRuns.map((t) => mean(t[key]).toFixed(1)).join(', ')})`);
  console.log(`  librosa 0.11 ${fmt(mean(l))}      ${fmt(median(l))}   (${refRuns.length} runs: ${refRuns.map((t) => mean(t[key]).toFixed(1)).join(', ')})`);
  console.log(`  ratio        ${fmt(mean(l) / mean(o))}x     ${fmt(median(l) / median(o))}x`);
};
table('ms', 'wall clock');
table('cpuMs', 'CPU time');

// agreement on these clips (the first runs of each)
const a = oursRuns[0];
const b = refRuns[0];
let frames = 0;
let flagDiff = 0;
let f0Rel = 0;
let probAbs = 0;
const clipsWithFlagDiff: string[] = [];
for (let c = 0; c < clips.length; c++) {
  let d = 0;
  for (let t = 0; t < b.flag[c].length; t++) {
    frames++;
    if (a.flag[c][t] !== b.flag[c][t]) d++;
    if (a.flag[c][t] && b.flag[c][t]) f0Rel = Math.max(f0Rel, Math.abs(a.f0[c][t] / b.f0[c][t] - 1));
    probAbs = Math.max(probAbs, Math.abs(a.prob[c][t] - b.prob[c][t]));
  }
  if (a.flag[c].length !== b.flag[c].length) throw new Error(`${clips[c]}: ${a.flag[c].length} vs ${b.flag[c].length} frames`);
  flagDiff += d;
  if (d) clipsWithFlagDiff.push(`${path.basename(clips[c])} (${d})`);
}
console.log(
  `agreement: ${frames} frames, voiced flag differs on ${flagDiff}${clipsWithFlagDiff.length ? ` [${clipsWithFlagDiff.join(', ')}]` : ''}; ` +
    `f0 max rel diff ${f0Rel.toExponential(2)} (frames voiced in both); voiced_prob max abs diff ${probAbs.toExponential(2)}`,
);
