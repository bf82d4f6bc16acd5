// Test data the e2e test builds itself: a folder-per-label dataset with the usual faults
// (a stray text file, a zero-byte WAV, a truncated WAV, an exact duplicate), and a reader for CSV manifests.
import fs from 'node:fs';
import path from 'node:path';
import { floatWavBytes, wavBytes, writeWav } from './wav';

export interface GeneratedFolder {
  root: string;
  /** Clips that must be imported, per label (duplicates included: they are reported, not dropped). */
  classes: Record<string, number>;
  /** Files that must be reported as errors. */
  badFiles: string[];
  duplicateFiles: string[];
}

const PLAN: Record<string, { count: number; freq: number }> = {
  anger: { count: 5, freq: 210 },
  neutral: { count: 3, freq: 120 },
  sadness: { count: 4, freq: 95 },
};

export function makeFolderDataset(root: string): GeneratedFolder {
  const classes: Record<string, number> = {};
  let seed = 1;
  for (const [label, { count, freq }] of Object.entries(PLAN)) {
    fs.mkdirSync(path.join(root, label), { recursive: true });
    for (let i = 0; i < count; i++) {
      writeWav(path.join(root, label, `${label}_${String(i + 1).padStart(2, '0')}.wav`), {
        seconds: 0.5 + 0.15 * i,
        freq: freq * (1 + 0.05 * i),
        seed: seed++,
      });
    }
    classes[label] = count;
  }
  // An exact copy of a clip under another name: imported, and reported as a duplicate.
  fs.copyFileSync(path.join(root, 'anger', 'anger_01.wav'), path.join(root, 'anger', 'anger_01_copy.wav'));
  classes.anger += 1;

  fs.writeFileSync(path.join(root, 'neutral', 'notes.txt'), 'recording notes, not audio\n');
  fs.writeFileSync(path.join(root, 'neutral', 'empty.wav'), Buffer.alloc(0));
  const whole = wavBytes({ seconds: 0.8, freq: 100, seed: 99 });
  fs.writeFileSync(path.join(root, 'sadness', 'truncated.wav'), whole.subarray(0, Math.floor(whole.length / 3)));

  return {
    root,
    classes,
    badFiles: ['neutral/empty.wav', 'neutral/notes.txt', 'sadness/truncated.wav'],
    duplicateFiles: ['anger/anger_01.wav', 'anger/anger_01_copy.wav'],
  };
}

export interface DemoCopy {
  root: string;
  /** Files import takes (the NaN file included: its header is sound). */
  clips: number;
  /** Files import refuses, with their code. */
  refused: { file: string; code: string }[];
  /** A clip that imports but that training must leave out, with its code. */
  leftOut: { file: string; label: string; code: string } | null;
}

/**
 * The bundled demo recordings copied folder-per-label into `root` (the first `perLabel` of each label), and with
 * `broken`: a zero-byte WAV (import refuses it: empty) and a 32-bit float WAV holding NaN samples (import takes it,
 * its samples cannot be used: training leaves it out with not_finite).
 */
export function makeDemoCopy(manifest: string, root: string, opts: { perLabel?: number; broken?: boolean } = {}): DemoCopy {
  const taken: Record<string, number> = {};
  let clips = 0;
  for (const row of readManifest(manifest)) {
    if ((taken[row.label] = (taken[row.label] ?? 0) + 1) > (opts.perLabel ?? Infinity)) continue;
    fs.mkdirSync(path.join(root, row.label), { recursive: true });
    fs.copyFileSync(path.join(path.dirname(manifest), row.path), path.join(root, row.label, path.basename(row.path)));
    clips++;
  }
  if (!opts.broken) return { root, clips, refused: [], leftOut: null };
  const [first, second] = Object.keys(taken).sort();
  fs.writeFileSync(path.join(root, first, 'zero-bytes.wav'), Buffer.alloc(0));
  const samples = new Float32Array(16000);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / 16000);
  for (let i = 1000; i < samples.length; i += 997) samples[i] = Number.NaN;
  fs.writeFileSync(path.join(root, second, 'float-nan.wav'), floatWavBytes(samples));
  return {
    root,
    clips: clips + 1,
    refused: [{ file: `${first}/zero-bytes.wav`, code: 'empty' }],
    leftOut: { file: `${second}/float-nan.wav`, label: second, code: 'not_finite' },
  };
}

export interface ManifestRow {
  path: string;
  label: string;
  speaker: string;
}

/** Reads a plain path,label,speaker manifest (no quoted fields: ours never need them). */
export function readManifest(file: string): ManifestRow[] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim());
  const cols = header.split(',').map((c) => c.trim().toLowerCase());
  const at = (name: string) => cols.indexOf(name);
  return lines.map((line) => {
    const f = line.split(',');
    return { path: f[at('path')], label: f[at('label')], speaker: at('speaker') >= 0 ? f[at('speaker')] : '' };
  });
}

export function countBy<T>(rows: T[], key: (row: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
  return out;
}
