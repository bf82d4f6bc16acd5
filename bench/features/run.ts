// Feature-extraction benchmark (not a test): ser-studio vs librosa 0.11 on distinct clips of real corpora
// at their native sample rates, measured in the same run, one core each.
//   npx tsx bench/features/run.ts [--clips 60] [--rates 16000,22050,24414,44100,48000] [--long 10,30]
//        [--cpu 1|none] [--no-librosa] [--tuning] [--no-profile] [--no-startup] [--no-scaling] [--scaling-rounds 4] [--no-single]
//        [--baseline DIR]
//
// 1. Distinct clips (the headline): per corpus, a fresh `ser-studio features --workers 1` process
//    (bench/features/clips-child.ts: the CLI's per-file path) and a fresh librosa process run the same
//    clips, one warm-up clip outside the set first; ms/clip is the mean over the clips (every clip's
//    own tuning estimate, filter banks and resampling included). ser-studio runs before and after
//    librosa and both runs are pooled; both are pinned to the same core (--cpu, default 1), and the
//    clips are read once before each run so that every run reads them from the page cache.
//    Corpora: the EmoDB clips of ../shared/data/emodb (22.05 kHz, 2.0 s), the same clips resampled
//    by sox to 16, 24.414, 44.1 and 48 kHz, and longer clips (consecutive clips joined: 10 s, 30 s
//    at 44.1 kHz), all made once under ~/.cache/ser-studio-bench ($SER_BENCH_CACHE).
//    --tuning also checks that ser-studio's two tuning estimates equal librosa's on every clip.
//    --baseline DIR: another checkout (e.g. `git worktree add DIR <commit>`, with this clips-child.ts
//    copied to its bench/features/) timed in the same run, interleaved with this one: before/after
//    under the same conditions.
// 2. CPU profile of ser-studio per corpus: the functions with the most self time.
// 3. Start-up: the built CLI (`npm run build`) on one file, wall clock, and the in-process split.
// 4. Scaling: steady-state clips/s with 1 and 2 worker processes over all EmoDB clips at 16 and 22.05 kHz
//    (distinct clips; each worker's first 20 results, its start-up and JIT warm-up, not counted), rounds alternating.
// 5. The old single-clip table: one 3.0 s 22.05 kHz clip repeated (per stage), for comparison only.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadMono } from '../../src/core/audio/decode';
import { initFft } from '../../src/core/dsp/fft';
import { resolveFeatureConfig } from '../../src/core/features/config';
import { extractFeatures } from '../../src/core/features/extract';
import type { FeatureTask, FeatureTaskOutput } from '../../src/core/jobs/feature-task';
import { runPool } from '../../src/core/jobs/pool';
import { fmt, median, referencePython, runPythonJson, sharedDir } from '../lib';
import { type Corpus, cacheDir, emodbFiles, longCorpus, shortCorpus } from './corpora';
import { summariseProfile } from './profile';

const { values } = parseArgs({
  options: {
    clips: { type: 'string', default: '60' },
    rates: { type: 'string', default: '16000,22050,24414,44100,48000' },
    long: { type: 'string', default: '10,30' },
    'long-rate': { type: 'string', default: '44100' },
    cpu: { type: 'string', default: '1' },
    runs: { type: 'string', default: '30' },
    top: { type: 'string', default: '8' },
    'no-librosa': { type: 'boolean' },
    tuning: { type: 'boolean' },
    'no-profile': { type: 'boolean' },
    'no-startup': { type: 'boolean' },
    'no-scaling': { type: 'boolean' },
    'scaling-rounds': { type: 'string', default: '4' },
    'no-single': { type: 'boolean' },
    baseline: { type: 'string' },
  },
});
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const cpu = values.cpu === 'none' ? null : values.cpu!;
const pin = (cmd: string, args: string[]): [string, string[]] => (cpu === null ? [cmd, args] : ['taskset', ['-c', cpu, cmd, ...args]]);
const py = values['no-librosa'] ? null : referencePython();
const nClips = Number(values.clips);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-bench-'));

interface ChildResult {
  startupMs: { processToMain: number; imports: number; init: number };
  warmupMs: number;
  ms: number[];
  tunings: [number | null, number | null][];
  rssMb: number;
}

function writeList(c: Corpus, name: string): string {
  const file = path.join(work, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ warmup: c.warmup, clips: c.clips }));
  return file;
}

/**
 * Reads every file of a list once, so that each timed run (ours and librosa's) reads its clips from
 * the page cache: what is compared is computation on one core, not whichever run met a cold disk
 * (on this shared machine other jobs evict the corpus between runs).
 */
function warmPageCache(list: string): void {
  const { warmup, clips } = JSON.parse(fs.readFileSync(list, 'utf8')) as { warmup: string | null; clips: string[] };
  for (const f of warmup ? [warmup, ...clips] : clips) fs.readFileSync(f);
}

/** A fresh ser-studio process over the corpus (optionally profiling the clip loop), from this checkout or `tree`. */
function ours(list: string, profile?: string, tree = root): ChildResult {
  warmPageCache(list);
  const env = { ...process.env, SER_SHARED_DIR: sharedDir(), ...(profile ? { SER_BENCH_PROFILE: profile } : {}) };
  const [cmd, args] = pin(process.execPath, ['--import', 'tsx', path.join(tree, 'bench/features/clips-child.ts'), list]);
  const r = spawnSync(cmd, args, { cwd: tree, encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`clips-child failed (${r.status}): ${r.stderr.slice(-3000)}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as ChildResult;
}

const PY_CLIPS = `
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np, librosa
import features
lst = json.load(open(sys.argv[2]))
if lst["warmup"]: features.extract_feature(lst["warmup"])      # numba JIT, imports
ms = []
for p in lst["clips"]:
    t0 = time.perf_counter(); features.extract_feature(p); ms.append(1e3 * (time.perf_counter() - t0))
tun = []
if sys.argv[3] == "1":   # the two tuning estimates, as the extractor computes them (not timed)
    for p in lst["clips"]:
        y, sr = features.load(p)
        S = np.abs(librosa.stft(y))
        a = librosa.estimate_tuning(S=S, sr=sr, bins_per_octave=12)
        b = librosa.estimate_tuning(y=librosa.effects.harmonic(y), sr=sr, bins_per_octave=36)
        tun.append([float(a), float(b)])
print(json.dumps({"ms": ms, "tunings": tun, "librosa": librosa.__version__}))
`;

function librosa(list: string, withTuning: boolean): { ms: number[]; tunings: [number, number][]; librosa: string } {
  warmPageCache(list);
  return runPythonJson(py!, PY_CLIPS, [path.join(sharedDir(), 'reference'), list, withTuning ? '1' : '0'], 60 * 60_000, cpu);
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

console.log(`SER Studio feature benchmark — ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, node ${process.version}`);
console.log(`load average at start: ${load()}; pinned to cpu ${cpu ?? '(none)'}; corpus cache ${cacheDir()}`);

// ---------------------------------------------------------------------------------------------- 1.
const corpora: Corpus[] = [
  ...values.rates!.split(',').filter(Boolean).map((r) => shortCorpus(Number(r), nClips)),
  ...values.long!.split(',').filter(Boolean).map((s) => longCorpus(Number(values['long-rate']), Number(s), Number(s) >= 30 ? 10 : 20)),
];
console.log(`\n1) distinct clips, one core each, same run: ms per clip = decode + resample to 22.05 kHz + 166-d vector, mean over the clips`);
console.log(`   (ser-studio: a fresh process per corpus, run before and after librosa, pooled; one warm-up clip outside the set)`);
if (!py && !values['no-librosa']) console.log('   (no librosa venv found: see bench/README.md; showing ser-studio only)');
const baseline = values.baseline ? path.resolve(values.baseline) : null;
if (baseline) console.log(`   (baseline: ${baseline}, timed the same way, interleaved: ours, baseline, librosa, ours, baseline)`);
const head =
  `   ${'corpus'.padEnd(26)} ${'clips'.padStart(5)} ${'ser-studio'.padStart(11)} ${'(before/after)'.padStart(16)} ${'librosa'.padStart(9)} ${'ratio'.padStart(7)}` +
  (baseline ? ` ${'baseline'.padStart(9)} ${'ratio'.padStart(7)}` : '');
console.log(head);
const rows: { c: Corpus; list: string; oursMs: number; refMs: number | null }[] = [];
let tuningChecked = 0;
let tuningDiffers = 0;
for (const [i, c] of corpora.entries()) {
  const list = writeList(c, `corpus-${i}`);
  const a = ours(list);
  const base1 = baseline ? ours(list, undefined, baseline) : null;
  const ref = py ? librosa(list, !!values.tuning) : null;
  const b = py ? ours(list) : null;
  const base2 = baseline && py ? ours(list, undefined, baseline) : null;
  const baseMs = base1 ? mean(base2 ? [...base1.ms, ...base2.ms] : base1.ms) : null;
  const all = b ? [...a.ms, ...b.ms] : a.ms;
  const oursMs = mean(all);
  if (ref && values.tuning) {
    for (let k = 0; k < c.clips.length; k++) {
      tuningChecked++;
      const [x, y] = a.tunings[k];
      const [u, v] = ref.tunings[k];
      if (x !== u || y !== v) {
        tuningDiffers++;
        console.log(`   tuning differs on ${c.clips[k]}: ser-studio ${x}/${y}, librosa ${u}/${v}`);
      }
    }
  }
  const refMs = ref ? mean(ref.ms) : null;
  rows.push({ c, list, oursMs, refMs });
  const spread = b ? `${mean(a.ms).toFixed(1)}/${mean(b.ms).toFixed(1)}` : '';
  console.log(
    `   ${c.label.padEnd(26)} ${String(c.clips.length).padStart(5)} ${fmt(oursMs, 1).padStart(11)} ${spread.padStart(16)} ${refMs === null ? '' : fmt(refMs, 1).padStart(9)} ${refMs === null ? '' : `${(refMs / oursMs).toFixed(1)}x`.padStart(7)}` +
      (baseMs === null ? '' : ` ${fmt(baseMs, 1).padStart(9)} ${refMs === null ? '' : `${(refMs / baseMs).toFixed(1)}x`.padStart(7)}`),
  );
}
if (py) console.log(`   target: >= 20x at every rate (librosa ${py ? 'run by ' + py : ''}); load average now ${load()}`);
if (values.tuning) console.log(`   tuning estimates (chroma 12 bins/oct, CQT 36 bins/oct) identical to librosa's on ${tuningChecked - tuningDiffers} of ${tuningChecked} clips`);

// ---------------------------------------------------------------------------------------------- 2.
if (!values['no-profile']) {
  console.log(`\n2) where ser-studio spends its time (CPU profile of the clip loop, self time, top ${values.top})`);
  for (const r of rows) {
    const prof = path.join(work, `${path.basename(r.list, '.json')}.cpuprofile`);
    ours(r.list, prof);
    const top = summariseProfile(JSON.parse(fs.readFileSync(prof, 'utf8')), Number(values.top));
    console.log(`   ${r.c.label}: ${top.map((t) => `${t.name} ${t.percent.toFixed(0)}%`).join(', ')}`);
  }
}

// ---------------------------------------------------------------------------------------------- 3.
if (!values['no-startup']) {
  console.log('\n3) start-up: `ser-studio features FILE` on one 16 kHz clip, wall clock (built CLI)');
  const cli = path.join(root, 'out/cli/index.js');
  const file = shortCorpus(16000, nClips).clips[0];
  if (!fs.existsSync(cli)) console.log('   out/cli not built (npm run build): skipped');
  else {
    const walls: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      const [cmd, args] = pin(process.execPath, [path.join(root, 'bin/ser-studio.js'), 'features', file]);
      const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ser-studio features failed: ${r.stderr}`);
      walls.push(performance.now() - t0);
    }
    console.log(`   ${median(walls).toFixed(0)} ms median of ${walls.length} (min ${Math.min(...walls).toFixed(0)}, max ${Math.max(...walls).toFixed(0)}); target < 500 ms`);
  }
  const s = ours(writeList({ ...shortCorpus(16000, nClips), clips: [] }, 'startup'));
  console.log(
    `   in process (tsx, source): node start to main ${s.startupMs.processToMain.toFixed(0)} ms, engine imports ${s.startupMs.imports.toFixed(0)} ms, ` +
      `init ${s.startupMs.init.toFixed(1)} ms, first clip ${s.warmupMs.toFixed(1)} ms (kernels compiled on first use, JIT cold)`,
  );
}

// ---------------------------------------------------------------------------------------------- 4.
if (!values['no-scaling']) {
  // Steady-state throughput, as a corpus of thousands of clips sees it: each pool's first results (its start-up and
  // each worker's JIT warm-up, measured in section 3) and its last ones (the tail where one worker is left) are not
  // counted. Rounds alternate 1 and 2 workers, since the machine's speed drifts by more than the effect measured.
  const clips = [16000, 22050].flatMap((rate) => shortCorpus(rate, emodbFiles().length).clips);
  const rounds = Number(values['scaling-rounds']);
  const warm = 20;
  console.log(
    `\n4) scaling: ${clips.length} distinct EmoDB clips (16 and 22.05 kHz) through the worker pool (processes), clips/s without each ` +
      `worker's first ${warm} results and the pool's last ones, ${rounds} rounds alternating 1 and 2 workers`,
  );
  const config = resolveFeatureConfig();
  const throughput = async (workers: number): Promise<{ clipsPerS: number; parentMsPerClip: number }> => {
    const tasks = clips.map((p): FeatureTask => ({ path: p, config, variants: [{ augId: '' }] }));
    const at: number[] = [];
    const cpu: NodeJS.CpuUsage[] = [];
    for await (const r of runPool<FeatureTask, FeatureTaskOutput>({ callerUrl: import.meta.url, name: 'feature-worker', source: '../../src/core/jobs/feature-worker.ts' }, tasks, { size: workers, isolation: 'process' })) {
      if (!r.ok) throw new Error(`${r.input.path}: ${r.error.message}`);
      at.push(performance.now());
      cpu.push(process.cpuUsage());
    }
    const first = warm * workers;
    const last = at.length - 1 - workers;
    const parentUs = cpu[last].user + cpu[last].system - (cpu[first].user + cpu[first].system);
    return { clipsPerS: (last - first) / ((at[last] - at[first]) / 1000), parentMsPerClip: parentUs / 1000 / (last - first) };
  };
  const one: number[] = [];
  const two: number[] = [];
  const parentMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [w, into] of [[1, one], [2, two]] as const) {
      const t = await throughput(w);
      into.push(t.clipsPerS);
      if (w === 2) parentMs.push(t.parentMsPerClip);
    }
  }
  console.log(`   1 worker : ${one.map((x) => x.toFixed(1)).join(', ')} clips/s`);
  console.log(`   2 workers: ${two.map((x) => x.toFixed(1)).join(', ')} clips/s (this process, which feeds them: ${median(parentMs).toFixed(2)} ms CPU per clip)`);
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  console.log(
    `   ratio 2 workers / 1 worker: ${(median(two) / median(one)).toFixed(2)}x of the medians, ${(sum(two) / sum(one)).toFixed(2)}x of the sums ` +
      `(target >= 1.8x; load average now ${load()})`,
  );
}

// ---------------------------------------------------------------------------------------------- 5.
if (!values['no-single']) {
  const runs = Number(values.runs);
  console.log(`\n5) for comparison only: one 3.0 s 22.05 kHz clip repeated (caches warm, no resampling), median of ${runs} runs, this process (not pinned)`);
  const src = path.join(sharedDir(), 'golden/synth/audio/sadness/sadness_05_en-f3.wav');
  const buf = fs.readFileSync(src);
  const dataAt = buf.indexOf('data') + 8;
  const n = 3 * 22050;
  const wav = Buffer.concat([buf.subarray(0, 44), buf.subarray(dataAt, dataAt + n * 2)]);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + n * 2, 4);
  wav.writeUInt32LE(n * 2, 40);
  const clip = path.join(work, 'ser-bench-3s.wav');
  fs.writeFileSync(clip, wav);
  await initFft();
  const config = resolveFeatureConfig();
  const { y } = await loadMono(clip);
  for (let i = 0; i < 20; i++) extractFeatures(y, config);
  const e2e: number[] = [];
  const stages: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const sig = await loadMono(clip);
    const timings: Record<string, number> = {};
    extractFeatures(sig.y, config, { timings });
    e2e.push(performance.now() - t0);
    for (const [k, v] of Object.entries(timings)) (stages[k] ??= []).push(v);
  }
  console.log(`   stages (ms): ${Object.entries(stages).map(([k, v]) => `${k} ${median(v).toFixed(2)}`).join(', ')}`);
  let line = `   end to end ${median(e2e).toFixed(2)} ms`;
  if (py) {
    const single = JSON.stringify({ warmup: clip, clips: Array(Math.max(5, Math.round(runs / 3))).fill(clip) });
    fs.writeFileSync(path.join(work, 'single.json'), single);
    const ref = librosa(path.join(work, 'single.json'), false);
    line += `, librosa ${median(ref.ms).toFixed(1)} ms: ${(median(ref.ms) / median(e2e)).toFixed(1)}x`;
  }
  console.log(line);
}
fs.rmSync(work, { recursive: true, force: true });
