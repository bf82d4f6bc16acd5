// Speed check of the extended preset (not a test; issue 13's target: >= 10x librosa): its vector (version 2,
// 377 values with pYIN; features/presets.ts) vs librosa 0.11 computing the same blocks and statistics, on the same distinct
// EmoDB clips (../shared/data/emodb), in the same run, both pinned to the same core.
//   npx tsx bench/features/extended.ts [--clips 60] [--warmup 5] [--cpu 1|none]
// ser-studio: a fresh process runs what the feature worker runs per file (runFeatureTask: decode, the
// extended vector), before and after librosa, pooled; warm-up clips outside the set first (5: a fresh
// process's first ~4 extended clips cost 2-20x a later one while V8 compiles pyin.ts, a once-per-worker
// cost that is printed apart; librosa gets the same warm-up clips). It also
// times reference-166 on each clip in the same process (alternating which goes first), for the
// extended preset's cost over it. librosa: a fresh
// process loads each clip and computes the reference's five blocks as the reference does, then
// |stft|, rms, zero_crossing_rate, spectral_centroid/bandwidth/rolloff/flatness, delta(mfcc) and
// librosa.pyin(y, fmin=C2, fmax=C7, sr=22050) (the arguments presets.ts gives dsp/pyin.ts), and the same
// means and standard deviations, and pYIN's statistics as pyinStats takes them (nanmean, nanstd,
// nanpercentile 10/50/90 of f0, 0 when nothing is voiced; mean voiced flag; mean voiced probability).
// Wall time and CPU time (user + system; the steadier one while other jobs load the machine) are both
// printed. The two vectors are compared too (max |diff| / max |value| per part), as a check that both
// computed the same thing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { referencePython, runPythonJson, sharedDir } from '../lib';
import { emodbFiles } from './corpora';

interface ChildResult {
  /** CPU time of the warm-up clips (extended then reference-166 each): a fresh worker's one-time JIT cost */
  warmupCpuMs: number;
  extendedMs: number[];
  referenceMs: number[];
  /** CPU time (user + system) per clip: steadier than wall time on a shared, loaded machine */
  extendedCpuMs: number[];
  referenceCpuMs: number[];
  vectors: number[][];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

async function child(): Promise<void> {
  // the ser-studio side, in its own process
  const { resolveFeatureConfig } = await import('../../src/core/features/config');
  const { runFeatureTask } = await import('../../src/core/jobs/feature-task');
  const { initFft } = await import('../../src/core/dsp/fft');
  const { initResampler } = await import('../../src/core/audio/resample');
  // the feature worker's V8 settings (src/core/jobs/feature-worker.ts)
  (await import('../../src/core/jobs/v8-tiering')).tuneV8ForFeatureWork();
  const list = JSON.parse(fs.readFileSync(process.argv[3], 'utf8')) as { warmup: string[]; clips: string[] };
  await Promise.all([initFft(), initResampler()]);
  const config = resolveFeatureConfig();
  const task = (p: string, preset: 'reference-166' | 'extended') => ({ path: p, config, preset, variants: [{ augId: '' }] });
  const cpuMs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const w0 = cpuMs();
  for (const clip of list.warmup) {
    await runFeatureTask(task(clip, 'extended'));
    await runFeatureTask(task(clip, 'reference-166'));
  }
  const out: ChildResult = { warmupCpuMs: cpuMs() - w0, extendedMs: [], referenceMs: [], extendedCpuMs: [], referenceCpuMs: [], vectors: [] };
  // per clip both presets, in alternating order (a shared machine's load drifts: neither gets the quieter half)
  for (const [i, clip] of list.clips.entries()) {
    for (const preset of i % 2 ? (['reference-166', 'extended'] as const) : (['extended', 'reference-166'] as const)) {
      const c0 = cpuMs();
      const t0 = performance.now();
      const r = await runFeatureTask(task(clip, preset));
      const ms = performance.now() - t0;
      const cpu = cpuMs() - c0;
      if (preset === 'extended') {
        out.extendedMs.push(ms);
        out.extendedCpuMs.push(cpu);
        out.vectors.push(Array.from(r.items[0].vector));
      } else {
        out.referenceMs.push(ms);
        out.referenceCpuMs.push(cpu);
      }
    }
  }
  // (written before exit: a process.exit() could cut a long line written to a pipe)
  await new Promise<void>((resolve) => process.stdout.write(JSON.stringify(out) + '\n', () => resolve()));
}

if (process.argv[2] === '--child') await child();
else await driver();

async function driver(): Promise<void> {

const { values } = parseArgs({
  options: { clips: { type: 'string', default: '60' }, warmup: { type: 'string', default: '5' }, cpu: { type: 'string', default: '1' } },
});
const cpu = values.cpu === 'none' ? null : values.cpu!;
const nClips = Number(values.clips);
const files = emodbFiles();
const nWarm = Math.max(1, Number(values.warmup));
if (files.length < nClips + nWarm) throw new Error(`${files.length} EmoDB clips, ${nClips + nWarm} needed`);
// distinct clips spread over the corpus (speakers, emotions), the warm-up one outside the set
const step = Math.floor(files.length / (nClips + nWarm));
const picked = Array.from({ length: nClips + nWarm }, (_, i) => files[i * step]);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-bench-ext-'));
const list = path.join(work, 'clips.json');
fs.writeFileSync(list, JSON.stringify({ warmup: picked.slice(0, nWarm), clips: picked.slice(nWarm) }));
const warmPageCache = (): void => picked.forEach((f) => fs.readFileSync(f));

function ours(): ChildResult {
  warmPageCache();
  const argv = ['--import', 'tsx', path.join(here, 'extended.ts'), '--child', list];
  const r = spawnSync(cpu === null ? process.execPath : 'taskset', cpu === null ? argv : ['-c', cpu, process.execPath, ...argv], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr.slice(-3000)}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as ChildResult;
}

const PY = `
import json, sys, time, warnings
sys.path.insert(0, sys.argv[1])
import numpy as np, librosa
import features
warnings.simplefilter("ignore")
def extended(p):
    y, sr = features.load(p)
    blocks = features.frame_blocks_from_signal(y, sr)          # the reference's five blocks, as it computes them
    S = np.abs(librosa.stft(y))
    extra = [
        librosa.feature.rms(y=y),
        librosa.feature.zero_crossing_rate(y),
        librosa.feature.spectral_centroid(S=S, sr=sr),
        librosa.feature.spectral_bandwidth(S=S, sr=sr),
        librosa.feature.spectral_rolloff(S=S, sr=sr, roll_percent=0.85),
        librosa.feature.spectral_flatness(S=S),
    ]
    d = librosa.feature.delta(blocks["mfcc"], width=9, order=1)
    f0, flag, prob = librosa.pyin(y, fmin=librosa.note_to_hz("C2"), fmax=librosa.note_to_hz("C7"), sr=sr)
    ref = [blocks[k] for k in features.BLOCK_ORDER]
    parts = [np.mean(b, axis=1) for b in ref] + [np.std(b, axis=1) for b in ref]
    for e in extra: parts += [np.mean(e, axis=1), np.std(e, axis=1)]
    parts += [np.mean(d, axis=1), np.std(d, axis=1)]
    v = f0[flag & np.isfinite(f0)]
    f0s = [np.mean(v), np.std(v), *np.percentile(v, [10, 50, 90])] if v.size else [0.0] * 5
    parts += [np.array(f0s), np.array([np.mean(flag), np.mean(prob)])]
    return np.hstack(parts)
lst = json.load(open(sys.argv[2]))
for p in lst["warmup"]: extended(p)
ms, cpu, vecs = [], [], []
for p in lst["clips"]:
    c0 = time.process_time(); t0 = time.perf_counter(); v = extended(p)
    ms.append(1e3 * (time.perf_counter() - t0)); cpu.append(1e3 * (time.process_time() - c0)); vecs.append(v.tolist())
print(json.dumps({"ms": ms, "cpuMs": cpu, "vectors": vecs, "librosa": librosa.__version__}))
`;

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const py = referencePython();
if (!py) throw new Error('no librosa venv (.venv/bin/python or SER_REFERENCE_PYTHON): see bench/README.md');

console.log(`extended preset vs librosa — ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
console.log(`${nClips} distinct EmoDB clips (${sharedDir()}/data/emodb), pinned to cpu ${cpu ?? '(none)'}; load average at start ${load()}`);
const a = ours();
warmPageCache();
const ref = runPythonJson<{ ms: number[]; cpuMs: number[]; vectors: number[][]; librosa: string }>(py, PY, [path.join(sharedDir(), 'reference'), list], 60 * 60_000, cpu);
const b = ours();
const extMs = mean([...a.extendedMs, ...b.extendedMs]);
const refMs = mean([...a.referenceMs, ...b.referenceMs]);
const libMs = mean(ref.ms);
console.log(`  ser-studio extended     ${extMs.toFixed(2)} ms/clip (runs ${mean(a.extendedMs).toFixed(2)} / ${mean(b.extendedMs).toFixed(2)})`);
console.log(`  ser-studio reference-166 ${refMs.toFixed(2)} ms/clip (the extended preset adds ${(extMs - refMs).toFixed(2)} ms)`);
console.log(`  librosa ${ref.librosa} extended ${libMs.toFixed(1)} ms/clip`);
console.log(`  ratio librosa / ser-studio (extended): ${(libMs / extMs).toFixed(1)}x  (target >= 10x); load average now ${load()}`);
console.log(
  `  a fresh process's ${nWarm} warm-up clips (both presets, outside the set; once per feature worker, mostly V8 compiling pyin.ts): ` +
    `${a.warmupCpuMs.toFixed(0)} / ${b.warmupCpuMs.toFixed(0)} ms CPU in total`,
);
const extCpu = mean([...a.extendedCpuMs, ...b.extendedCpuMs]);
const refCpu = mean([...a.referenceCpuMs, ...b.referenceCpuMs]);
const libCpu = mean(ref.cpuMs);
console.log(
  `  CPU time: ser-studio extended ${extCpu.toFixed(2)} ms/clip (runs ${mean(a.extendedCpuMs).toFixed(2)} / ${mean(b.extendedCpuMs).toFixed(2)}), ` +
    `reference-166 ${refCpu.toFixed(2)} ms, librosa ${libCpu.toFixed(1)} ms; ratio ${(libCpu / extCpu).toFixed(1)}x`,
);

// the same numbers? per part of the vector: max over clips of max |diff| / max |librosa value|
const { EXTENDED } = await import('../../src/core/features/presets');
const parts = new Map<string, number[]>();
EXTENDED.names.forEach((n, i) => {
  const key = n.replace(/_\d+_/, '_');
  parts.set(key, [...(parts.get(key) ?? []), i]);
});
const worst: string[] = [];
for (const [key, idx] of parts) {
  let e = 0;
  for (let c = 0; c < nClips; c++) {
    const o = a.vectors[c];
    const l = ref.vectors[c];
    const scale = Math.max(...idx.map((i) => Math.abs(l[i])), 1e-30);
    e = Math.max(e, ...idx.map((i) => Math.abs(o[i] - l[i]) / scale));
  }
  worst.push(`${key} ${e.toExponential(1)}`);
}
console.log(`  parity with librosa (max |diff| / max |value| per part over the clips):\n    ${worst.join(', ')}`);
fs.rmSync(work, { recursive: true, force: true });
}
