import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The shared goldens live beside the clone (`../shared`), overridable with SER_SHARED_DIR. */
export function sharedDir(): string {
  const fromEnv = process.env.SER_SHARED_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  return path.resolve(process.cwd(), '..', 'shared');
}

export function goldenDir(set: 'synth' | 'emodb'): string {
  return path.join(sharedDir(), 'golden', set);
}

export function goldenExists(set: 'synth' | 'emodb'): boolean {
  return existsSync(path.join(goldenDir(set), 'index.json'));
}

export interface GoldenClip {
  file: string;
  sha256: string;
  sr: number;
  n_samples: number;
  n_frames: number;
  vector166: number[];
  blocks: Record<'mfcc' | 'chroma' | 'mel' | 'contrast' | 'tonnetz', number[][]>;
  tuning: { chroma_stft_bins_per_octave_12: number; cqt_on_harmonic_bins_per_octave_36: number };
}

const jsonCache = new Map<string, unknown>();

export function readJson<T>(file: string): T {
  let v = jsonCache.get(file);
  if (v === undefined) {
    v = JSON.parse(readFileSync(file, 'utf8'));
    jsonCache.set(file, v);
  }
  return v as T;
}

/** Every per-clip golden JSON of a set (not index.json / intermediates.json). */
export function goldenClipFiles(set: 'synth' | 'emodb'): string[] {
  const dir = goldenDir(set);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'index.json' && f !== 'intermediates.json')
    .sort()
    .map((f) => path.join(dir, f));
}

export function goldenAudioPath(set: 'synth' | 'emodb', relative: string): string {
  return path.join(goldenDir(set), 'audio', relative);
}

/** max|a - b| / max|b| over a nested array (b is the golden). */
export function maxRelError(ours: ArrayLike<number>[] | ArrayLike<number>, golden: number[][] | number[]): number {
  let maxDiff = 0;
  let maxRef = 0;
  const visit = (a: ArrayLike<number>, b: number[]): void => {
    if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
    for (let i = 0; i < b.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      maxRef = Math.max(maxRef, Math.abs(b[i]));
    }
  };
  if (Array.isArray(golden[0])) {
    const g = golden as number[][];
    const o = ours as ArrayLike<number>[];
    if (o.length !== g.length) throw new Error(`row count mismatch ${o.length} vs ${g.length}`);
    for (let r = 0; r < g.length; r++) visit(o[r], g[r]);
  } else {
    visit(ours as ArrayLike<number>, golden as number[]);
  }
  return maxDiff / Math.max(maxRef, 1e-30);
}
