import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio, downmix, loadMono } from '../../../src/core/audio/decode';
import { AudioError } from '../../../src/core/audio/errors';
import { buildWav, int16Bytes } from './wav-bytes';

const fixtures = path.resolve(process.cwd(), 'tests/fixtures/audio');

interface Expected {
  sample_rate: number;
  channels: number;
  frames: number;
  slice_start: number;
  slice: number[][];
  channel_sumsq: number[];
  load22050: { n_samples: number; sum: number; sumsq: number; slice: number[] };
}
const expected: Record<string, Expected> = JSON.parse(readFileSync(path.join(fixtures, 'decode-expected.json'), 'utf8')).files;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Peak normalised cross-correlation over lags in [-maxLag, maxLag] (codecs may shift by their delay). */
function peakCorrelation(a: Float32Array, b: Float32Array, maxLag: number): number {
  let best = -1;
  const n = Math.min(a.length, b.length);
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let sab = 0, saa = 0, sbb = 0;
    for (let i = Math.max(0, -lag); i < n && i + lag < n; i++) {
      const x = a[i], y = b[i + lag];
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
    best = Math.max(best, sab / Math.sqrt(saa * sbb));
  }
  return best;
}

describe('FLAC / MP3 / Ogg decoding (audio-decode) vs soundfile', () => {
  it.each(['formats/flac_s16_44k1_stereo.flac', 'formats/flac_s24_48k_mono.flac'])('%s is sample-exact', async (name) => {
    const e = expected[name];
    const d = await decodeAudio(path.join(fixtures, name));
    expect(d.container).toBe('flac');
    expect(d.sampleRate).toBe(e.sample_rate);
    expect(d.channels.length).toBe(e.channels);
    for (let c = 0; c < e.channels; c++) {
      expect(d.channels[c].length).toBe(e.frames);
      expect(Array.from(d.channels[c].subarray(e.slice_start, e.slice_start + e.slice[c].length))).toEqual(e.slice[c]);
    }
  });

  it.each(['lossy/mp3_48k_mono.mp3', 'lossy/vorbis_48k_mono.ogg', 'lossy/opus_48k_mono.ogg'])(
    '%s: rate, length, and the speech of its WAV source',
    async (name) => {
      const e = expected[name];
      const d = await decodeAudio(path.join(fixtures, name));
      expect(d.sampleRate).toBe(48000);
      expect(d.channels.length).toBe(1);
      expect(d.channels[0].length / d.sampleRate).toBeCloseTo(0.5, 2);
      const source = (await decodeAudio(path.join(fixtures, 'formats/f32_48k_mono.wav'))).channels[0];
      expect(peakCorrelation(source, d.channels[0], 200)).toBeGreaterThan(0.95);
      // libsndfile decodes these streams to (nearly) the same samples
      expect(d.channels[0].length).toBe(e.frames);
      expect(maxAbsDiff(d.channels[0].subarray(e.slice_start), e.slice[0])).toBeLessThan(1e-4);
    },
  );

  it('rejects bytes that are no audio', async () => {
    await expect(decodeAudio(Buffer.from('hello world, not audio'), 'x.txt')).rejects.toMatchObject({
      code: 'unsupported_format',
      message: "x.txt: not a WAV/FLAC/MP3/OGG file (starts with 'hell')",
    });
    await expect(decodeAudio(new Uint8Array(0), 'e.wav')).rejects.toBeInstanceOf(AudioError);
  });
});

describe('downmix = librosa.to_mono (float32 mean over channels)', () => {
  it('averages in float32', () => {
    const a = Float32Array.from([1, 0.1, -0.3]);
    const b = Float32Array.from([0, 0.2, 0.7]);
    const m = downmix([a, b]);
    expect(Array.from(m)).toEqual([0.5, Math.fround(Math.fround(a[1] + b[1]) / 2), Math.fround(Math.fround(a[2] + b[2]) / 2)]);
    const three = downmix([a, b, Float32Array.from([0.5, 0.5, 0.5])]);
    expect(three[0]).toBe(Math.fround(1.5 / 3));
  });

  it('returns a mono signal as is', () => {
    const a = Float32Array.from([0.25]);
    expect(downmix([a])).toBe(a);
  });
});

describe('loadMono = librosa.load(path, sr=22050, mono=True)', () => {
  const names = Object.keys(expected);
  it.each(names)('%s', async (name) => {
    const e = expected[name].load22050;
    const m = await loadMono(path.join(fixtures, name));
    expect(m.sampleRate).toBe(22050);
    expect(m.nativeSampleRate).toBe(expected[name].sample_rate);
    expect(m.channels).toBe(expected[name].channels);
    expect(m.nSamples).toBe(e.n_samples);
    expect(m.y).toBeInstanceOf(Float32Array);
    // soxr runs in float32, we in float64: agreement at the float32 rounding level
    expect(maxAbsDiff(m.y.subarray(500), e.slice)).toBeLessThan(2e-6);
    let sumsq = 0;
    for (const v of m.y) sumsq += v * v;
    expect(Math.abs(sumsq - e.sumsq) / e.sumsq).toBeLessThan(1e-5);
  });

  it('leaves a file already at the target rate untouched, and honours sampleRate', async () => {
    const wav = buildWav({ sampleRate: 16000, data: int16Bytes([100, 200, 300, 400]) });
    const same = await loadMono(wav, { sampleRate: 16000 });
    expect(Array.from(same.y).map((v) => v * 32768)).toEqual([100, 200, 300, 400]);
    const up = await loadMono(wav);
    expect(up.nSamples).toBe(Math.ceil((4 * 22050) / 16000));
  });
});
