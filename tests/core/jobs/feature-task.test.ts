import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMono } from '../../../src/core/audio/decode';
import { initFft } from '../../../src/core/dsp/fft';
import { resolveFeatureConfig } from '../../../src/core/features/config';
import { extractFeatures } from '../../../src/core/features/extract';
import { extractPreset } from '../../../src/core/features/presets';
import { runFeatureTask } from '../../../src/core/jobs/feature-task';
import { FEATURE_PRESET_INFO } from '../../../src/shared/params';
import { buildWav } from '../audio/wav-bytes';

// runFeatureTask decodes plain WAV files (16/32-bit PCM, 32-bit float) straight into WASM memory and
// analyses them there; every other file goes through loadMono. Both must give the same numbers.

const formats = path.resolve(process.cwd(), 'tests/fixtures/audio/formats');
const config = resolveFeatureConfig();
let dir = '';

function tone(n: number, sr: number, ch: number): Float32Array {
  return Float32Array.from({ length: n * ch }, (_, i) => {
    const t = Math.floor(i / ch) / sr;
    return 0.3 * Math.sin(2 * Math.PI * (196 + 40 * (i % ch)) * t) + 0.05 * Math.sin(2 * Math.PI * 1318 * t);
  });
}

function pcm16(x: Float32Array): Uint8Array {
  const b = Buffer.alloc(2 * x.length);
  x.forEach((v, i) => b.writeInt16LE(Math.round(v * 32767), 2 * i));
  return b;
}

beforeAll(async () => {
  await initFft();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-feature-task-'));
  const write = (name: string, bytes: Uint8Array): void => fs.writeFileSync(path.join(dir, name), bytes);
  write('s16_22k_mono.wav', buildWav({ sampleRate: 22050, data: pcm16(tone(22050, 22050, 1)) }));
  write('s16_24k414_stereo.wav', buildWav({ sampleRate: 24414, channels: 2, data: pcm16(tone(30000, 24414, 2)) }));
  write('s16_48k_3ch.wav', buildWav({ sampleRate: 48000, channels: 3, data: pcm16(tone(40000, 48000, 3)) }));
  const f32 = tone(20000, 16000, 1);
  write('f32_16k_mono.wav', buildWav({ sampleRate: 16000, formatTag: 3, bitsPerSample: 32, data: new Uint8Array(f32.buffer) }));
  // a chunk before the data: samples at an offset that is 2- but not 4-aligned
  write('s16_44k1_list.wav', buildWav({ sampleRate: 44100, extraChunks: [{ id: 'LIST', body: new Uint8Array(6) }], data: pcm16(tone(30000, 44100, 1)) }));
  write('short_100.wav', buildWav({ sampleRate: 22050, data: pcm16(tone(100, 22050, 1)) }));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('runFeatureTask', () => {
  const files = (): string[] => [
    ...fs.readdirSync(dir).map((f) => path.join(dir, f)),
    ...['s16_44k1_stereo.wav', 's32_16k_mono.wav', 'f32_48k_mono.wav', 's24_48k_mono.wav', 'u8_44k1_mono.wav', 'flac_s16_44k1_stereo.flac'].map((f) => path.join(formats, f)),
  ];

  it('gives loadMono + extractFeatures bit for bit, whichever way the file is decoded', async () => {
    for (const file of files()) {
      const got = await runFeatureTask({ path: file, config, variants: [{ augId: '' }, { augId: 'again' }] });
      const { y, nSamples } = await loadMono(file);
      const want = extractFeatures(y, config);
      expect(got.nSamples, file).toBe(nSamples);
      expect(got.items.length).toBe(2);
      for (const item of got.items) {
        expect(Array.from(item.vector), file).toEqual(Array.from(want.vector));
        expect(item.tuning, file).toEqual(want.tuning);
        expect(item.nFrames).toBe(want.nFrames);
      }
    }
  });

  it('reads a long WAV file (16 MB or more) piece by piece with the same numbers', async () => {
    // 100 s of 48 kHz stereo PCM16: 19 MB, read, converted and resampled a piece at a time
    const file = path.join(dir, 'long_48k_stereo.wav');
    fs.writeFileSync(file, buildWav({ sampleRate: 48000, channels: 2, data: pcm16(tone(4_800_000, 48000, 2)) }));
    expect(fs.statSync(file).size).toBeGreaterThan(16 * 1024 * 1024);
    const got = await runFeatureTask({ path: file, config, variants: [{ augId: '' }] });
    const { y } = await loadMono(file);
    const want = extractFeatures(y, config);
    expect(got.nSamples).toBe(y.length);
    expect(Array.from(got.items[0].vector)).toEqual(Array.from(want.vector));
    expect(got.items[0].tuning).toEqual(want.tuning);
  }, 60_000);

  it('computes a preset in the worker: extended on the resident and the copying path alike', async () => {
    const file = path.join(dir, 's16_22k_mono.wav');
    const got = await runFeatureTask({ path: file, config, preset: 'extended', variants: [{ augId: '' }] });
    const { y } = await loadMono(file);
    const want = extractPreset(y, 'extended');
    expect(got.items[0].vector).toHaveLength(FEATURE_PRESET_INFO.extended.dimension);
    expect(Array.from(got.items[0].vector)).toEqual(Array.from(want.vector));
    expect(Array.from(got.items[0].vector.subarray(0, 166))).toEqual(Array.from(extractFeatures(y, config).vector));
    // an augmented copy decodes through loadMono: the same preset there
    const aug = await runFeatureTask({ path: file, config, preset: 'extended', variants: [{ augId: 'g', params: { aug: 'gain', gain: 1 } }] });
    expect(Array.from(aug.items[0].vector)).toEqual(Array.from(want.vector));
  });

  it('reports a broken file as loadMono does', async () => {
    const bad = path.join(dir, 'truncated.wav');
    const wav = buildWav({ sampleRate: 22050, data: pcm16(tone(1000, 22050, 1)) });
    fs.writeFileSync(bad, wav.subarray(0, 500));
    await expect(runFeatureTask({ path: bad, config, variants: [{ augId: '' }] })).rejects.toMatchObject({ code: 'truncated' });
    await expect(runFeatureTask({ path: path.join(dir, 'missing.wav'), config, variants: [{ augId: '' }] })).rejects.toMatchObject({ code: 'unreadable' });
  });
});
