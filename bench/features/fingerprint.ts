// Fingerprints of the feature pipeline's outputs on the benchmark corpora (not a test): the 166-d
// vector and both tunings of every clip, as a JSON file, and a comparison with an earlier one. An
// optimisation that claims to change no arithmetic must leave every bit as it was:
//   npx tsx bench/features/fingerprint.ts --out before.json
//   npx tsx bench/features/fingerprint.ts --compare before.json
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadMono } from '../../src/core/audio/decode';
import { initFft } from '../../src/core/dsp/fft';
import { resolveFeatureConfig } from '../../src/core/features/config';
import { extractFeatures } from '../../src/core/features/extract';
import { runFeatureTask } from '../../src/core/jobs/feature-task';
import { longCorpus, shortCorpus } from './corpora';

const { values } = parseArgs({ options: { out: { type: 'string' }, compare: { type: 'string' }, clips: { type: 'string', default: '60' } } });
const n = Number(values.clips);
const corpora = [16000, 22050, 24414, 44100, 48000].map((r) => shortCorpus(r, n));
corpora.push(longCorpus(44100, 30, 2));
await initFft();
const config = resolveFeatureConfig();
const sha = (a: Float32Array | Float64Array): string => crypto.createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex').slice(0, 16);
const out: Record<string, { y: string; vector: number[]; tuning: [number | null, number | null] }> = {};
for (const c of corpora) {
  for (const clip of c.clips) {
    const { y } = await loadMono(clip);
    // the production path (runFeatureTask: WAV files decoded and analysed in WASM memory), checked
    // against loadMono + extractFeatures on the same clip
    const r = (await runFeatureTask({ path: clip, config, variants: [{ augId: '' }] })).items[0];
    const ref = extractFeatures(y, config);
    if (ref.vector.some((v, i) => !Object.is(v, r.vector[i])) || ref.tuning.cqt !== r.tuning.cqt || ref.tuning.chroma !== r.tuning.chroma) {
      console.log(`runFeatureTask differs from loadMono + extractFeatures on ${clip}`);
    }
    out[clip] = { y: sha(y), vector: Array.from(r.vector), tuning: [r.tuning.chroma, r.tuning.cqt] };
  }
}
if (values.out) fs.writeFileSync(values.out, JSON.stringify(out));
if (values.compare) {
  const before = JSON.parse(fs.readFileSync(values.compare, 'utf8')) as typeof out;
  const BLOCKS: [string, number][] = [['mfcc', 13], ['chroma', 12], ['mel', 128], ['contrast', 7], ['tonnetz', 6]];
  const blockErr = new Map<string, number>();
  let clips = 0, ySame = 0, tSame = 0, vSame = 0, maxRel = 0;
  for (const [k, a] of Object.entries(before)) {
    const b = out[k];
    if (!b) continue;
    clips++;
    if (a.y === b.y) ySame++;
    if (a.tuning[0] === b.tuning[0] && a.tuning[1] === b.tuning[1]) tSame++;
    let same = true;
    for (let i = 0; i < a.vector.length; i++) {
      if (a.vector[i] !== b.vector[i]) same = false;
      maxRel = Math.max(maxRel, Math.abs(a.vector[i] - b.vector[i]) / Math.max(1e-30, Math.abs(a.vector[i])));
    }
    if (same) vSame++;
    // per block: max |difference| / max |value| (the parity tests' measure)
    let at = 0;
    for (const [name, dim] of BLOCKS) {
      let d = 0, m = 0;
      for (let i = at; i < at + dim; i++) {
        d = Math.max(d, Math.abs(a.vector[i] - b.vector[i]));
        m = Math.max(m, Math.abs(a.vector[i]));
      }
      blockErr.set(name, Math.max(blockErr.get(name) ?? 0, d / Math.max(m, 1e-300)));
      at += dim;
    }
  }
  console.log(`${clips} clips: resampled signal identical ${ySame}, tunings identical ${tSame}, vectors bit-identical ${vSame}; max relative difference ${maxRel.toExponential(2)}; per block max|diff|/max|value|: ${[...blockErr].map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ')}`);
}
