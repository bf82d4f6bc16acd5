// The benchmark corpora: distinct EmoDB clips at their native 22.05 kHz, the same clips resampled once by
// sox to the rates real corpora are recorded at, and longer clips made by joining consecutive clips.
// Everything derived is written under a cache directory outside the repository (never the shared data).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedDir } from '../lib';

export interface Corpus {
  /** Row label, e.g. '16 kHz, 2.0 s'. */
  label: string;
  rate: number;
  clips: string[];
  /** A clip outside `clips` (same rate and length) for warm-up. */
  warmup: string;
  seconds: number;
}

/** $SER_BENCH_CACHE, else ~/.cache/ser-studio-bench. */
export function cacheDir(): string {
  return path.resolve(process.env.SER_BENCH_CACHE ?? path.join(os.homedir(), '.cache', 'ser-studio-bench'));
}

export function emodbFiles(): string[] {
  const manifest = path.join(sharedDir(), 'data/emodb/manifest.csv');
  if (!fs.existsSync(manifest)) throw new Error(`${manifest} not found: the benchmark needs ../shared/data/emodb (SER_SHARED_DIR)`);
  return fs
    .readFileSync(manifest, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => path.join(path.dirname(manifest), l.split(',')[0]));
}

function sox(args: string[]): void {
  const r = spawnSync('sox', args, { encoding: 'utf8' });
  if (r.error) throw new Error(`sox not found (apt-get install -y sox): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`sox ${args.join(' ')}: ${r.stderr}`);
}

/** `src` resampled by sox (its default high-quality rate effect, no dither: reproducible) to `rate`, 16-bit. */
function resampled(src: string, rate: number, dir: string): string {
  const out = path.join(dir, path.basename(path.dirname(src)) + '-' + path.basename(src));
  if (!fs.existsSync(out)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp.wav`;
    sox(['-D', src, '-b', '16', '-r', String(rate), tmp]);
    fs.renameSync(tmp, out);
  }
  return out;
}

/** The clips `srcs` joined end to end (22.05 kHz), then resampled to `rate` when it differs. */
function joined(srcs: string[], rate: number, dir: string, name: string): string {
  const out = path.join(dir, name);
  if (!fs.existsSync(out)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp.wav`;
    sox(['-D', ...srcs, '-b', '16', ...(rate === 22050 ? [] : ['-r', String(rate)]), tmp]);
    fs.renameSync(tmp, out);
  }
  return out;
}

/**
 * `count` distinct clips spread over the corpus (every k-th row, so speakers and emotions mix), the
 * same clips at every rate; the warm-up clip is the row after the first one (not in the set).
 */
export function shortCorpus(rate: number, count: number): Corpus {
  const all = emodbFiles();
  // (every clip when asked for the whole corpus: the scaling run; its warm-up clip is then in the set)
  const step = count >= all.length ? 1 : Math.max(2, Math.floor(all.length / count));
  const picked = Array.from({ length: Math.min(count, Math.floor(all.length / step)) }, (_, i) => all[i * step]);
  const warm = all[1];
  const kHz = rate === 24414 ? '24.414' : String(rate / 1000);
  if (rate === 22050) return { label: `${kHz} kHz, 2.0 s (EmoDB)`, rate, clips: picked, warmup: warm, seconds: 2 };
  const dir = path.join(cacheDir(), `emodb-${rate}`);
  return { label: `${kHz} kHz, 2.0 s`, rate, clips: picked.map((f) => resampled(f, rate, dir)), warmup: resampled(warm, rate, dir), seconds: 2 };
}

/** `count` clips of `seconds` (consecutive EmoDB clips joined, each clip used once) at `rate`. */
export function longCorpus(rate: number, seconds: number, count: number): Corpus {
  const all = emodbFiles();
  const per = Math.round(seconds / 2);
  const dir = path.join(cacheDir(), `long-${seconds}s-${rate}`);
  const groups: string[][] = [];
  for (let i = 0; groups.length < count + 1 && (i + 1) * per <= all.length; i++) groups.push(all.slice(i * per, (i + 1) * per));
  const files = groups.map((g, i) => joined(g, rate, dir, `long-${String(i).padStart(3, '0')}.wav`));
  const kHz = rate === 24414 ? '24.414' : String(rate / 1000);
  return { label: `${kHz} kHz, ${seconds} s`, rate, clips: files.slice(1), warmup: files[0], seconds };
}
