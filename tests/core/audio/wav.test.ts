import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudioError } from '../../../src/core/audio/errors';
import { decodeWav, parseWavHeader } from '../../../src/core/audio/wav';
import { buildWav, int16Bytes, int24Bytes } from './wav-bytes';

const fixtures = path.resolve(process.cwd(), 'tests/fixtures/audio');

interface Expected {
  sample_rate: number;
  channels: number;
  frames: number;
  subtype: string;
  slice_start: number;
  slice: number[][];
  channel_sum: number[];
  channel_sumsq: number[];
}
const expected: Record<string, Expected> = JSON.parse(readFileSync(path.join(fixtures, 'decode-expected.json'), 'utf8')).files;
const wavFiles = Object.keys(expected).filter((f) => f.endsWith('.wav'));

describe('decodeWav vs soundfile.read(dtype=float32)', () => {
  it('covers the formats the issue asks for', () => {
    const subtypes = new Set(wavFiles.map((f) => expected[f].subtype));
    for (const s of ['PCM_U8', 'PCM_16', 'PCM_24', 'PCM_32', 'FLOAT', 'DOUBLE', 'ULAW']) expect(subtypes).toContain(s);
    expect(wavFiles.some((f) => f.includes('extensible'))).toBe(true);
  });

  it.each(wavFiles)('%s decodes to the same float32 samples', (name) => {
    const e = expected[name];
    const { channels, sampleRate, info } = decodeWav(readFileSync(path.join(fixtures, name)), name);
    expect(sampleRate).toBe(e.sample_rate);
    expect(channels.length).toBe(e.channels);
    expect(info.frames).toBe(e.frames);
    for (let c = 0; c < e.channels; c++) {
      expect(channels[c].length).toBe(e.frames);
      // bit-exact: the same integer scaling and float32 rounding as libsndfile
      expect(Array.from(channels[c].subarray(e.slice_start, e.slice_start + e.slice[c].length))).toEqual(e.slice[c]);
      let sum = 0;
      let sumsq = 0;
      for (const v of channels[c]) {
        sum += v;
        sumsq += v * v;
      }
      expect(sum).toBeCloseTo(e.channel_sum[c], 6);
      expect(Math.abs(sumsq - e.channel_sumsq[c]) / e.channel_sumsq[c]).toBeLessThan(1e-12);
    }
  });
});

describe('WAV scaling (soundfile conventions)', () => {
  it('16-bit: x / 32768', () => {
    const { channels } = decodeWav(buildWav({ data: int16Bytes([-32768, -1, 0, 1, 32767]) }));
    expect(Array.from(channels[0])).toEqual([-1, -1 / 32768, 0, 1 / 32768, Math.fround(32767 / 32768)]);
  });

  it('24-bit: x / 2^23, interleaved stereo split into channels', () => {
    const { channels } = decodeWav(buildWav({ bitsPerSample: 24, channels: 2, data: int24Bytes([-8388608, 8388607, 4096, -1]) }));
    expect(Array.from(channels[0])).toEqual([-1, 4096 / 8388608]);
    expect(Array.from(channels[1])).toEqual([Math.fround(8388607 / 8388608), -1 / 8388608]);
  });

  it('8-bit unsigned: (x - 128) / 128', () => {
    const { channels } = decodeWav(buildWav({ bitsPerSample: 8, data: Uint8Array.from([0, 64, 128, 255]) }));
    expect(Array.from(channels[0])).toEqual([-1, -0.5, 0, 127 / 128]);
  });

  it('32-bit int and 64-bit float', () => {
    const i32 = Buffer.alloc(8);
    i32.writeInt32LE(-2147483648, 0);
    i32.writeInt32LE(1073741824, 4);
    expect(Array.from(decodeWav(buildWav({ bitsPerSample: 32, data: i32 })).channels[0])).toEqual([-1, 0.5]);
    const f64 = Buffer.alloc(16);
    f64.writeDoubleLE(0.1, 0);
    f64.writeDoubleLE(-2.5, 8);
    const out = decodeWav(buildWav({ formatTag: 3, bitsPerSample: 64, data: f64 })).channels[0];
    expect(Array.from(out)).toEqual([Math.fround(0.1), -2.5]);
  });

  it('WAVE_FORMAT_EXTENSIBLE: the sub-format decides (24-bit PCM, float)', () => {
    const wav = buildWav({ extensible: true, bitsPerSample: 24, validBits: 20, channels: 2, data: int24Bytes([256, -256]) });
    const { channels, info } = decodeWav(wav);
    expect(info.extensible).toBe(true);
    expect(info.validBits).toBe(20);
    expect(channels[0][0]).toBe(256 / 8388608); // scaled by the container size, as libsndfile does
    const f = Buffer.alloc(8);
    f.writeFloatLE(0.25, 0);
    f.writeFloatLE(-0.75, 4);
    expect(Array.from(decodeWav(buildWav({ extensible: true, formatTag: 3, bitsPerSample: 32, data: f })).channels[0])).toEqual([0.25, -0.75]);
  });

  it('mu-law and A-law follow G.711', () => {
    const mu = decodeWav(buildWav({ formatTag: 7, bitsPerSample: 8, data: Uint8Array.from([0x00, 0x80, 0xff, 0x7f]) })).channels[0];
    expect(Array.from(mu).map((v) => v * 32768)).toEqual([-32124, 32124, 0, 0]);
    const a = decodeWav(buildWav({ formatTag: 6, bitsPerSample: 8, data: Uint8Array.from([0xd5, 0x55, 0x2a, 0xaa]) })).channels[0];
    expect(Array.from(a).map((v) => v * 32768)).toEqual([8, -8, -32256, 32256]);
  });
});

describe('WAV chunk walking', () => {
  const data = int16Bytes([1000, -1000, 2000]);

  it('skips an odd-sized chunk and its pad byte', () => {
    const wav = buildWav({ extraChunks: [{ id: 'LIST', body: Uint8Array.from([1, 2, 3]) }], data });
    expect(Array.from(decodeWav(wav).channels[0]).map((v) => v * 32768)).toEqual([1000, -1000, 2000]);
  });

  it('tolerates a writer that forgot the pad byte', () => {
    const wav = buildWav({ extraChunks: [{ id: 'junk', body: Uint8Array.from([1, 2, 3]), omitPad: true }], data });
    expect(Array.from(decodeWav(wav).channels[0]).map((v) => v * 32768)).toEqual([1000, -1000, 2000]);
  });

  it('reads to the end when a streaming writer left the size at 0xFFFFFFFF', () => {
    const info = parseWavHeader(buildWav({ data, declaredDataBytes: 0xffffffff }));
    expect(info.frames).toBe(3);
  });

  it('reports a data chunk shorter than declared as truncated', () => {
    const wav = buildWav({ data, declaredDataBytes: 600 });
    expect(() => parseWavHeader(wav, wav.length, 'cut.wav')).toThrow(AudioError);
    try {
      decodeWav(wav, 'cut.wav');
    } catch (err) {
      expect((err as AudioError).code).toBe('truncated');
      expect((err as AudioError).message).toMatch(/^cut\.wav: .*600 bytes.*only 6/);
    }
  });

  it('rejects sample formats it cannot decode with a sentence', () => {
    const adpcm = buildWav({ formatTag: 2, bitsPerSample: 4, data });
    expect(() => decodeWav(adpcm, 'x.wav')).toThrow(/x\.wav: WAV sample format 0x0002 is not supported/);
    try {
      decodeWav(adpcm);
    } catch (err) {
      expect((err as AudioError).code).toBe('unsupported_format');
    }
  });

  it('reports a header without data chunk', () => {
    const wav = buildWav({ data: new Uint8Array(0) }).subarray(0, 36); // RIFF + WAVE + fmt only
    expect(() => parseWavHeader(wav)).toThrow(/ends before its data chunk/);
  });
});

describe('RF64', () => {
  it('takes the data size from the ds64 chunk', () => {
    const wav = buildWav({ extraChunks: [], data: int16Bytes([5, -5, 7, -7]) });
    // Rewrite as RF64: 'RF64', 0xFFFFFFFF sizes, and a ds64 chunk right after 'WAVE'.
    const ds64 = Buffer.alloc(8 + 28);
    ds64.write('ds64', 0, 'ascii');
    ds64.writeUInt32LE(28, 4);
    ds64.writeUInt32LE(wav.length - 8 + 36, 8); // riff size (low)
    ds64.writeUInt32LE(8, 16); // data size (low)
    ds64.writeUInt32LE(4, 24); // sample count (low)
    const body = Buffer.concat([wav.subarray(8, 12), ds64, wav.subarray(12)]);
    // A trailing chunk after the data: only the ds64 size stops the data at the right place.
    const trailer = Buffer.from('junk\x04\x00\x00\x00abcd', 'binary');
    const rf64 = Buffer.concat([Buffer.from('RF64'), Buffer.from([0xff, 0xff, 0xff, 0xff]), body, trailer]);
    const dataAt = rf64.indexOf('data');
    rf64.writeUInt32LE(0xffffffff, dataAt + 4);
    const { channels, info } = decodeWav(rf64);
    expect(info.container).toBe('rf64');
    expect(Array.from(channels[0]).map((v) => v * 32768)).toEqual([5, -5, 7, -7]);
  });
});
