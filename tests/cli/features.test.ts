import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_PRESET_INFO } from '../../src/shared/params';
import { goldenAudioPath, goldenClip } from '../helpers/golden';
import { tempDir, writeFile } from '../helpers/make-wav';

const bin = path.resolve('bin/ser-studio.js');

describe('ser-studio features', () => {
  it('prints one JSON line per file, in order, with blocks on request; a bad file fails alone', () => {
    const good = goldenAudioPath('synth', 'neutral/neutral_03_en-f3.wav');
    const bad = writeFile(tempDir('feat'), 'notes.wav', 'just text');
    const r = spawnSync(process.execPath, [bin, 'features', '--blocks', good, bad, good], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual([good, bad, good]);
    const golden = goldenClip('synth', 'neutral__neutral_03_en-f3');
    const [first, err] = lines;
    expect(first.vector).toHaveLength(166);
    expect(first.sampleRate).toBe(22050);
    expect(first.nSamples).toBe(golden.n_samples);
    expect(first.tuning).toEqual({ chroma: golden.tuning.chroma_stft_bins_per_octave_12, cqt: golden.tuning.cqt_on_harmonic_bins_per_octave_36 });
    expect(first.blocks.mfcc).toHaveLength(13);
    expect(first.blocks.mfcc[0]).toHaveLength(golden.n_frames);
    expect(first.blocks.tonnetz).toHaveLength(6);
    const maxAbs = Math.max(...golden.vector166.map(Math.abs));
    expect(Math.max(...golden.vector166.map((v: number, i: number) => Math.abs(v - first.vector[i]))) / maxAbs).toBeLessThan(1e-4);
    expect(err.error.code).toBe('unsupported_format');
    expect(err.error.message).toContain('notes.wav');
  });

  it('--preset extended prints its vector (377 values in version 2) with its dimension; it starts with the 166-d one', () => {
    const good = goldenAudioPath('synth', 'neutral/neutral_03_en-f3.wav');
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'features', ...args, good], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const ext = run('--preset', 'extended');
    expect(ext.status).toBe(0);
    const line = JSON.parse(ext.stdout);
    expect(line.preset).toBe('extended');
    expect(line.dimension).toBe(FEATURE_PRESET_INFO.extended.dimension);
    expect(line.vector).toHaveLength(FEATURE_PRESET_INFO.extended.dimension);
    const ref = JSON.parse(run().stdout);
    expect(ref.preset).toBe('reference-166');
    expect(ref.dimension).toBe(166);
    expect(line.vector.slice(0, 166)).toEqual(ref.vector);
    const fixed = run('--preset', 'extended', '--only', 'mfcc');
    expect(fixed.status).toBe(2);
    expect(fixed.stderr).toContain('--only: the extended preset is fixed');
    const unknown = run('--preset', 'huge');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown feature preset: huge');
  });

  it('rejects a bad option plainly', () => {
    const r = spawnSync(process.execPath, [bin, 'features', '--only', 'mfcc,zcr', 'x.wav'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown feature block: zcr');
  });
});
