import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioError } from '../../../src/core/audio/errors';
import { probeAudio, sha256File } from '../../../src/core/audio/probe';
import { buildWav, int16Bytes } from './wav-bytes';

const fixtures = path.resolve(process.cwd(), 'tests/fixtures/audio');
const expected: Record<string, { sample_rate: number; channels: number; frames: number }> = JSON.parse(
  fs.readFileSync(path.join(fixtures, 'decode-expected.json'), 'utf8'),
).files;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-probe-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, bytes: Uint8Array | string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, bytes);
  return p;
}

async function probeError(file: string): Promise<AudioError> {
  try {
    await probeAudio(file);
  } catch (err) {
    expect(err).toBeInstanceOf(AudioError);
    return err as AudioError;
  }
  throw new Error(`${file}: probe did not fail`);
}

describe('probeAudio on real files', () => {
  const codecs: Record<string, string> = {
    'formats/s16_44k1_stereo.wav': 'pcm_s16',
    'formats/s24_48k_mono.wav': 'pcm_s24',
    'formats/u8_44k1_mono.wav': 'pcm_u8',
    'formats/f32_48k_mono.wav': 'float32',
    'formats/f64_22k05_mono.wav': 'float64',
    'formats/s32_16k_mono.wav': 'pcm_s32',
    'formats/ulaw_8k_mono.wav': 'mulaw',
    'formats/s24_48k_extensible.wav': 'pcm_s24',
    'formats/flac_s16_44k1_stereo.flac': 'flac',
    'formats/flac_s24_48k_mono.flac': 'flac',
    'lossy/mp3_48k_mono.mp3': 'mp3',
    'lossy/vorbis_48k_mono.ogg': 'vorbis',
    'lossy/opus_48k_mono.ogg': 'opus',
  };
  it.each(Object.keys(codecs))('%s', async (name) => {
    const p = await probeAudio(path.join(fixtures, name));
    const e = expected[name];
    expect(p.codec).toBe(codecs[name]);
    expect(p.container).toBe(name.endsWith('.mp3') ? 'mp3' : name.endsWith('.ogg') ? 'ogg' : name.endsWith('.flac') ? 'flac' : 'wav');
    expect(p.sampleRate).toBe(e.sample_rate);
    expect(p.channels).toBe(e.channels);
    expect(p.frames).toBe(e.frames);
    expect(p.durationSec).toBeCloseTo(e.frames / e.sample_rate, 9);
  });

  it('reports the bit depth of PCM formats', async () => {
    expect((await probeAudio(path.join(fixtures, 'formats/s24_48k_mono.wav'))).bitsPerSample).toBe(24);
    expect((await probeAudio(path.join(fixtures, 'formats/flac_s16_44k1_stereo.flac'))).bitsPerSample).toBe(16);
  });

  it('finds the data chunk behind a header larger than the first read', async () => {
    const big = new Uint8Array(200_001).fill(0x20);
    const file = write('bigheader.wav', buildWav({ extraChunks: [{ id: 'LIST', body: big }], data: int16Bytes([1, 2, 3, 4]) }));
    const p = await probeAudio(file);
    expect(p.frames).toBe(4);
  });

  it('identifies by content, not by extension', async () => {
    const file = write('actually-a-wav.mp3', buildWav({ sampleRate: 8000, data: int16Bytes([1, 2]) }));
    expect((await probeAudio(file)).container).toBe('wav');
  });
});

describe('probeAudio errors', () => {
  it('zero-byte file -> empty', async () => {
    const e = await probeError(write('zero.wav', new Uint8Array(0)));
    expect(e.code).toBe('empty');
    expect(e.message).toMatch(/zero\.wav: the file is empty \(0 bytes\)/);
  });

  it('data chunk shorter than declared -> truncated', async () => {
    const whole = buildWav({ data: int16Bytes(Array.from({ length: 1000 }, (_, i) => i)) });
    const e = await probeError(write('cut.wav', whole.subarray(0, 1200)));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/cut\.wav: the WAV data chunk declares 2000 bytes but only 1156 are present/);
  });

  it('a WAV cut inside its header -> truncated', async () => {
    const whole = buildWav({ data: int16Bytes([1, 2, 3]) });
    expect((await probeError(write('hdr.wav', whole.subarray(0, 30)))).code).toBe('truncated');
    expect((await probeError(write('tiny.wav', whole.subarray(0, 6)))).code).toBe('truncated');
  });

  it('text file -> unsupported_format, naming its first bytes', async () => {
    const e = await probeError(write('notes.txt', 'hello, this is not audio'));
    expect(e.code).toBe('unsupported_format');
    expect(e.message).toMatch(/notes\.txt: not a WAV\/FLAC\/MP3\/OGG file \(starts with 'hell'\)/);
  });

  it('binary junk -> unsupported_format with hex bytes', async () => {
    const e = await probeError(write('junk.bin', Uint8Array.from([0x00, 0x01, 0xfe, 0x7f, 9, 9, 9, 9, 9, 9, 9, 9, 9])));
    expect(e.code).toBe('unsupported_format');
    expect(e.message).toContain('starts with bytes 00 01 fe 7f');
  });

  it('unknown WAV sample format -> unsupported_format', async () => {
    const e = await probeError(write('adpcm.wav', buildWav({ formatTag: 0x11, bitsPerSample: 4, data: new Uint8Array(64) })));
    expect(e.code).toBe('unsupported_format');
    expect(e.message).toMatch(/0x0011/);
  });

  it('corrupt compressed data -> corrupt', async () => {
    const mp3 = fs.readFileSync(path.join(fixtures, 'lossy/mp3_48k_mono.mp3'));
    const bad = Buffer.concat([mp3.subarray(0, 4), Buffer.alloc(2000, 0xff)]);
    const file = write('bad.mp3', bad);
    const r = await probeAudio(file).then(
      (p) => ({ ok: true as const, frames: p.frames }),
      (err: AudioError) => ({ ok: false as const, code: err.code }),
    );
    // Either the decoder refuses the stream, or it recovers nothing: never a plausible clip.
    if (r.ok) expect(r.frames).toBeLessThan(5000);
    else expect(r.code).toBe('corrupt');
  });

  it('missing file and folder -> unreadable', async () => {
    expect((await probeError(path.join(tmp, 'nope.wav'))).code).toBe('unreadable');
    const e = await probeError(tmp);
    expect(e.code).toBe('unreadable');
    expect(e.message).toMatch(/folder/);
  });
});

describe('sha256File', () => {
  it('equals the hash of the whole content, streamed', async () => {
    const bytes = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const file = write('blob.bin', bytes);
    expect(await sha256File(file)).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
  });

  it('fails with an AudioError when the file is missing', async () => {
    await expect(sha256File(path.join(tmp, 'missing.bin'))).rejects.toMatchObject({ code: 'unreadable' });
  });
});

describe('Ogg codecs', () => {
  it('an Ogg stream that is neither Vorbis nor Opus -> unsupported_format', async () => {
    // One Ogg page whose first packet is a Speex header.
    const page = Buffer.alloc(28 + 80);
    page.write('OggS', 0, 'ascii');
    page[5] = 2; // beginning of stream
    page[26] = 1; // one segment
    page[27] = 80;
    page.write('Speex   1.2', 28, 'ascii');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-ogg-'));
    try {
      const file = path.join(dir, 'voice.ogg');
      fs.writeFileSync(file, page);
      const e = await probeAudio(file).then(
        () => null,
        (err: AudioError) => err,
      );
      expect(e?.code).toBe('unsupported_format');
      expect(e?.message).toMatch(/voice\.ogg: an Ogg file with speex audio/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
