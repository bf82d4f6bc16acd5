import fs from 'node:fs';
import path from 'node:path';

/** Clips per speaker of the bundled demo dataset, read from its manifest (path,label,speaker). */
export function readManifestSpeakers(): Map<string, number> {
  const lines = fs.readFileSync(path.resolve('resources/demo/manifest.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const counts = new Map<string, number>();
  for (const line of lines) {
    const speaker = line.split(',')[2]?.trim() ?? '';
    counts.set(speaker, (counts.get(speaker) ?? 0) + 1);
  }
  return counts;
}
