import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/**
 * The librosa 0.11 goldens committed under tests/fixtures/golden (rebuilt by scripts/make-goldens.sh;
 * see tests/fixtures/golden/README.md): `synth` (espeak-ng clips) and `speech` (espeak-ng + sox
 * clips with noise, reverb, band limits and a 16 kHz recording, standing in for EmoDB).
 */
export type GoldenSet = 'synth' | 'speech';

export const GOLDEN_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'golden');

export function goldenDir(set: GoldenSet): string {
  return path.join(GOLDEN_ROOT, set);
}

export function goldenExists(set: GoldenSet): boolean {
  return existsSync(path.join(goldenDir(set), 'intermediates.bin.gz'));
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

const MAGIC = 'SERGOLD1';

/**
 * Reads a packed golden (scripts/goldens/pack.py): gzip of 'SERGOLD1' | uint32 LE header length |
 * JSON header | padding to 8 | payload, where each array of the header is
 * {$array: 'f32'|'f64', shape, offset} and its little-endian bytes sit in the payload shuffled into
 * planes (all byte 0s, then all byte 1s, ...). Returns the golden JSON's own shape: plain number[]
 * and number[][] holding exactly the values the JSON held (float32 arrays widen exactly).
 */
export function readGolden<T>(file: string): T {
  let v = jsonCache.get(file);
  if (v !== undefined) return v as T;
  const buf = gunzipSync(readFileSync(file));
  if (buf.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${file}: not a packed golden`);
  const headerLength = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + headerLength));
  const payload = 12 + headerLength + ((8 - ((12 + headerLength) % 8)) % 8);
  if (endianness() !== 'LE') throw new Error('packed goldens are little-endian');
  const revive = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(revive);
    if (node === null || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    if (typeof o.$array !== 'string') return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
    const width = o.$array === 'f32' ? 4 : o.$array === 'f64' ? 8 : 0;
    if (!width) throw new Error(`${file}: unknown array type ${o.$array}`);
    const shape = o.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    const start = payload + (o.offset as number);
    if (start + n * width > buf.length) throw new Error(`${file}: truncated`);
    const bytes = new Uint8Array(n * width);
    for (let b = 0; b < width; b++) {
      const plane = start + b * n;
      for (let i = 0; i < n; i++) bytes[i * width + b] = buf[plane + i];
    }
    const flat = Array.from(width === 4 ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer));
    if (shape.length === 1) return flat;
    if (shape.length !== 2) throw new Error(`${file}: arrays are 1-D or 2-D`);
    return Array.from({ length: shape[0] }, (_, r) => flat.slice(r * shape[1], (r + 1) * shape[1]));
  };
  v = revive(header);
  jsonCache.set(file, v);
  return v as T;
}

/** Every per-clip golden of a set (not intermediates), sorted. */
export function goldenClipFiles(set: GoldenSet): string[] {
  const dir = goldenDir(set);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bin.gz') && f !== 'intermediates.bin.gz')
    .sort()
    .map((f) => path.join(dir, f));
}

/** One clip's golden by name, e.g. goldenClip('synth', 'anger__anger_18_ru'). */
export function goldenClip(set: GoldenSet, name: string): GoldenClip {
  return readGolden<GoldenClip>(path.join(goldenDir(set), `${name}.bin.gz`));
}

/** The extended preset's blocks beyond the reference ones (golden.py --extended), one value per frame. */
export const EXTENDED_GOLDEN_BLOCKS = ['rms', 'zcr', 'centroid', 'bandwidth', 'rolloff', 'flatness', 'mfcc_delta'] as const;

export interface GoldenExtended {
  file: string;
  sha256: string;
  sr: number;
  n_samples: number;
  n_frames: number;
  /** rms .. flatness: one row [T]; mfcc_delta [13][T]. */
  blocks: Record<Exclude<(typeof EXTENDED_GOLDEN_BLOCKS)[number], 'mfcc_delta'>, number[]> & { mfcc_delta: number[][] };
}

/** One clip's extended-preset golden (tests/fixtures/golden/<set>/extended/<name>.bin.gz). */
export function goldenExtended(set: GoldenSet, name: string): GoldenExtended {
  return readGolden<GoldenExtended>(path.join(goldenDir(set), 'extended', `${name}.bin.gz`));
}

/** The clip names of a set ('anger__anger_18_ru', ...), sorted. */
export function goldenClipNames(set: GoldenSet): string[] {
  return goldenClipFiles(set).map((f) => path.basename(f, '.bin.gz'));
}

export function goldenAudioPath(set: GoldenSet, relative: string): string {
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
