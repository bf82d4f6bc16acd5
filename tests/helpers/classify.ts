import fs from 'node:fs';
import path from 'node:path';
import { runExperiment } from '../../src/core/experiments/run';
import type { Workspace } from '../../src/core/workspace/workspace';
import type { TrainRequest } from '../../src/shared/experiment';
import { pcm16Wav, writeFile } from './make-wav';

/** A small real model of the demo set: no augmentation, a few epochs on the pure-JS backend. */
export async function trainDemoModel(ws: Workspace, extra: Partial<TrainRequest> = {}): Promise<number> {
  const r = await runExperiment(ws, { dataset: 'demo', augment: [], copies: 0, epochs: 4, patience: 0, backend: 'cpu', seed: 3, ...extra });
  if (r.status !== 'completed') throw new Error(`training ended ${r.status}`);
  return r.experimentId;
}

/** The same with 20 MFCCs: a 173-number feature vector instead of 166. */
export function trainDemoModelMfcc20(ws: Workspace): Promise<number> {
  return trainDemoModel(ws, { features: { nMfcc: 20 } });
}

/** Copies the demo clips of `labels` into `root`/<label>/ (a folder per label, as import reads it). */
export function copyDemoClips(root: string, labels: string[], perLabel = Infinity): string[] {
  const out: string[] = [];
  for (const label of labels) {
    const src = path.resolve('resources/demo', label);
    for (const name of fs.readdirSync(src).sort().slice(0, perLabel)) out.push(writeFile(root, `${label}/${name}`, fs.readFileSync(path.join(src, name))));
  }
  return out;
}

/** A WAV header that declares more data than the file holds (cut short). */
export function truncatedWav(): Buffer {
  return pcm16Wav({ seconds: 0.5, seed: 9 }).subarray(0, 44 + 1000);
}

/** A valid WAV with no samples at all. */
export function headerOnlyWav(): Buffer {
  return pcm16Wav({ seconds: 0 });
}

/** The broken files every classification must list (relative path -> expected error code). */
export function writeBrokenFiles(root: string, folder: string): Record<string, string> {
  writeFile(root, `${folder}/empty.wav`, Buffer.alloc(0));
  writeFile(root, `${folder}/truncated.wav`, truncatedWav());
  writeFile(root, `${folder}/not-audio.wav`, '<html><body>a saved web page</body></html>');
  writeFile(root, `${folder}/short.wav`, pcm16Wav({ seconds: 0.05, seed: 4 }));
  writeFile(root, `${folder}/header-only.wav`, headerOnlyWav());
  return {
    [`${folder}/empty.wav`]: 'empty',
    [`${folder}/truncated.wav`]: 'truncated',
    [`${folder}/not-audio.wav`]: 'unsupported_format',
    [`${folder}/short.wav`]: 'too_short',
    [`${folder}/header-only.wav`]: 'empty',
  };
}
