// Manual parity check on the EmoDB goldens (not a test): the EmoDB clips may not be committed, so the
// test suite checks the committed `synth` and `speech` sets; this runs the same comparisons (the 166-d
// vector per block, per frame and pooled, both tuning estimates, and every DSP intermediate the
// tests/core/dsp tests check) on ../shared/golden/emodb when it is there.
//
//   npx tsx bench/parity/emodb-goldens.ts               # ../shared/golden/emodb (SER_SHARED_DIR overrides ../shared)
//   npx tsx bench/parity/emodb-goldens.ts --dir D       # any golden.py output directory with its audio/ beside the JSON
//   npx tsx bench/parity/emodb-goldens.ts --set speech  # a committed set (tests/fixtures/golden/<set>)
//
// Prints the max relative error (max|ours - librosa| / max|librosa|) per block and whether the tunings are
// identical, each against the tolerance the tests use; exits 1 when any comparison fails.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decimateHalfSoxrHq } from '../../src/core/audio/resample';
import { chromaFilterBank } from '../../src/core/dsp/chroma';
import { cqtMagnitude } from '../../src/core/dsp/cqt';
import { initFft } from '../../src/core/dsp/fft';
import { harmonicSignal } from '../../src/core/dsp/hpss';
import { melSpectrogram } from '../../src/core/dsp/mel';
import { powerToDb } from '../../src/core/dsp/power_to_db';
import { stft } from '../../src/core/dsp/stft';
import { chromaCqt, tonnetz } from '../../src/core/dsp/tonnetz';
import { estimateTuning } from '../../src/core/dsp/tuning';
import { FEATURE_BLOCKS } from '../../src/core/features/config';
import { extractFeatures } from '../../src/core/features/extract';
import { type Intermediates, binRows, rowsOf } from '../../tests/core/dsp/intermediates';
import { applyFilterBank } from '../../tests/core/dsp/oracles/filterbank';
import { magnitude } from '../../tests/core/dsp/oracles/stft';
import { type GoldenClip, type GoldenSet, goldenAudioPath, goldenClipFiles, goldenDir, maxRelError, readGolden, readJson } from '../../tests/helpers/golden';
import { readWavMono } from '../../tests/helpers/wav';
import { sharedDir } from '../lib';

// the tests' tolerances: tests/core/features/parity.test.ts and tests/core/dsp/*.test.ts
const TOLERANCE = { mfcc: 1e-4, chroma: 1e-4, mel: 1e-4, contrast: 1e-4, tonnetz: 1e-3 } as const;

const { values } = parseArgs({ options: { dir: { type: 'string' }, set: { type: 'string' } } });

interface Source {
  label: string;
  clips: { name: string; golden: GoldenClip; wav: string }[];
  intermediates?: { it: Intermediates; wav: string };
}

function fromJsonDir(dir: string): Source {
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json' && f !== 'intermediates.json').sort();
  const clips = names.map((name) => {
    const golden = readJson<GoldenClip>(path.join(dir, name));
    return { name, golden, wav: path.join(dir, 'audio', golden.file) };
  });
  const inter = path.join(dir, 'intermediates.json');
  const it = fs.existsSync(inter) ? readJson<Intermediates>(inter) : undefined;
  return { label: dir, clips, intermediates: it && { it, wav: path.join(dir, 'audio', it.file) } };
}

function fromCommittedSet(set: GoldenSet): Source {
  const clips = goldenClipFiles(set).map((file) => {
    const golden = readGolden<GoldenClip>(file);
    return { name: path.basename(file), golden, wav: goldenAudioPath(set, golden.file) };
  });
  const it = readGolden<Intermediates>(path.join(goldenDir(set), 'intermediates.bin.gz'));
  return { label: `tests/fixtures/golden/${set}`, clips, intermediates: { it, wav: goldenAudioPath(set, it.file) } };
}

const dir = values.dir ?? path.join(sharedDir(), 'golden', 'emodb');
if (!values.set && !fs.existsSync(dir)) {
  console.log(`${dir} not found: nothing to check (the EmoDB goldens live in ../shared, never in the project)`);
  process.exit(0);
}
const source = values.set ? fromCommittedSet(values.set as GoldenSet) : fromJsonDir(dir);

let failures = 0;
function check(what: string, ok: boolean, detail: string): void {
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what.padEnd(44)} ${detail}`);
}
const e = (x: number): string => x.toExponential(1);
const rel = (what: string, err: number, tol: number): void => check(what, err < tol, `${e(err)} (tol ${e(tol)})`);

await initFft();
console.log(`parity with librosa 0.11 on ${source.label}: ${source.clips.length} clips`);
const worst: Record<string, { frame: number; pooled: number }> = {};
let tuningsIdentical = 0;
for (const { name, golden: g, wav } of source.clips) {
  const y = readWavMono(wav).samples;
  const r = extractFeatures(y, {}, { returnBlocks: true });
  const tuningSame = r.tuning.chroma === g.tuning.chroma_stft_bins_per_octave_12 && r.tuning.cqt === g.tuning.cqt_on_harmonic_bins_per_octave_36;
  if (tuningSame) tuningsIdentical++;
  const parts: string[] = [];
  let ok = tuningSame && y.length === g.n_samples && r.nFrames === g.n_frames;
  let offset = 0;
  for (const block of FEATURE_BLOCKS) {
    const golden = g.blocks[block];
    const frame = maxRelError(r.blocks![block]!, golden);
    const pooled = maxRelError(r.vector.subarray(offset, offset + golden.length), g.vector166.slice(offset, offset + golden.length));
    offset += golden.length;
    ok &&= frame < TOLERANCE[block] && pooled < TOLERANCE[block];
    worst[block] = { frame: Math.max(worst[block]?.frame ?? 0, frame), pooled: Math.max(worst[block]?.pooled ?? 0, pooled) };
    parts.push(`${block} ${e(frame)}/${e(pooled)}`);
  }
  const t = (v: number | null): string => (v === null ? 'none' : String(Number(v.toFixed(6))));
  const tunings = tuningSame
    ? `tunings identical (chroma ${t(r.tuning.chroma)}, cqt ${t(r.tuning.cqt)})`
    : `tunings DIFFERENT: chroma ${r.tuning.chroma} vs ${g.tuning.chroma_stft_bins_per_octave_12}, cqt ${r.tuning.cqt} vs ${g.tuning.cqt_on_harmonic_bins_per_octave_36}`;
  check(name, ok, `${parts.join('  ')} (per frame/pooled); ${tunings}`);
}
console.log(`\nmax rel error over the clips, per frame / pooled (tolerance):`);
for (const block of FEATURE_BLOCKS) {
  console.log(`  ${block.padEnd(9)} ${e(worst[block].frame)} / ${e(worst[block].pooled)}  (${e(TOLERANCE[block])})`);
}
console.log(`tunings identical on ${tuningsIdentical} of ${source.clips.length} clips (chroma_stft and CQT estimates)`);

if (source.intermediates) {
  const { it: g, wav } = source.intermediates;
  const y = readWavMono(wav).samples;
  console.log(`\nDSP intermediates on ${g.file}:`);
  const spec = stft(y);
  const S = magnitude(spec);
  const T = spec.nFrames;
  const rows = binRows(S, T, spec.nBins);
  let same = 0;
  for (let k = 0; k < rows.length; k++) for (let t = 0; t < T; t++) if (rows[k][t] === g.stft.magnitude[k][t]) same++;
  rel('|STFT|', maxRelError(rows, g.stft.magnitude), 1e-7);
  check('|STFT| values bit-identical', same / (rows.length * T) > 0.999, `${((100 * same) / (rows.length * T)).toFixed(3)} % (> 99.9 %)`);
  const opts = { sr: 22050, nFft: 2048, nMels: 128 };
  const mel = melSpectrogram(S.map((v) => Math.fround(v * v)), T, opts);
  rel('mel power', maxRelError(rowsOf(mel, 128, T), g.mel_power), 1e-6);
  rel('log-mel (power_to_db)', maxRelError(rowsOf(powerToDb(mel), 128, T), g.log_mel_db.matrix), 1e-6);
  const tChroma = estimateTuning(S, T, spec.nBins, { sr: 22050, nFft: 2048, binsPerOctave: 12 });
  check('chroma tuning (12 bins/octave on |X|)', tChroma === g.chroma_stft.tuning_estimated, `${tChroma} vs ${g.chroma_stft.tuning_estimated} (exact)`);
  const raw = applyFilterBank(chromaFilterBank({ sr: 22050, nFft: 2048, tuning: g.chroma_stft.tuning_estimated }), S, T);
  rel('chroma before normalisation', maxRelError(rowsOf(raw, 12, T), g.chroma_stft.raw_chroma_before_norm), 1e-6);
  const yh = harmonicSignal(y, spec, S);
  rel('HPSS harmonic signal', maxRelError(yh, g.hpss_harmonic_signal), 1e-5);
  const hs = stft(g.hpss_harmonic_signal);
  const tCqt = estimateTuning(magnitude(hs), hs.nFrames, hs.nBins, { sr: 22050, nFft: 2048, binsPerOctave: 36 });
  check('CQT tuning (36 bins/octave on the harmonic)', tCqt === g.cqt.tuning_estimated, `${tCqt} vs ${g.cqt.tuning_estimated} (exact)`);
  const yhG = Float64Array.from(g.hpss_harmonic_signal);
  const half = decimateHalfSoxrHq(Float32Array.from(g.hpss_harmonic_signal));
  rel('soxr HQ 2:1 decimation', maxRelError(half, g.soxr_hq_half_of_harmonic.signal.map((v) => v * Math.SQRT1_2)), 1e-6);
  for (const precision of ['f32', 'f64'] as const) {
    const C = cqtMagnitude(yhG, { sr: 22050, tuning: g.cqt.tuning_estimated, decimate: decimateHalfSoxrHq, precision });
    rel(`|CQT|, 7 octaves (${precision} FFT)`, maxRelError(rowsOf(C.magnitude, 252, C.nFrames), g.cqt.magnitude), 1e-5);
  }
  const chroma = chromaCqt(Float64Array.from(g.cqt.magnitude.flat()), 252, T, 36);
  rel('chroma_cqt from the golden |CQT|', maxRelError(rowsOf(chroma, 12, T), g.chroma_cqt), 1e-6);
  rel('tonnetz from the golden chroma_cqt', maxRelError(rowsOf(tonnetz(Float64Array.from(g.chroma_cqt.flat()), T), 6, T), g.tonnetz.matrix), 1e-6);
}
console.log(failures ? `\n${failures} comparison(s) FAILED` : '\nall comparisons within the tests\' tolerances');
process.exit(failures ? 1 : 0);
