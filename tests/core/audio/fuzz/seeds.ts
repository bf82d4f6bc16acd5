/**
 * The fuzzer's seed files: every committed audio fixture (WAV variants, FLAC, MP3, Ogg Vorbis/Opus) plus a few
 * WAV layouts built here that the fixtures lack (RF64 with ds64, an odd-sized chunk without its pad byte, a LIST
 * chunk, A-law, a streamed data size of 0, 8-bit stereo). All short, so thousands of cases fit in CI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildWav, int16Bytes } from '../wav-bytes';
import type { Seed, SeedFormat } from './mutate';

const FIXTURES = path.resolve(process.cwd(), 'tests/fixtures/audio');

function formatOf(name: string): SeedFormat {
  if (name.endsWith('.flac')) return 'flac';
  if (name.endsWith('.mp3')) return 'mp3';
  if (name.endsWith('.ogg')) return 'ogg';
  return 'wav';
}

function tone(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin((i * (seed + 3)) / 7) + 300 * Math.sin(i * seed)));
}

function rf64(wav: Buffer): Buffer {
  // 'RF64', sizes 0xFFFFFFFF, a ds64 chunk right after 'WAVE' holding the real sizes.
  const dataAt = wav.indexOf('data');
  const dataBytes = wav.readUInt32LE(dataAt + 4);
  const ds64 = Buffer.alloc(8 + 28);
  ds64.write('ds64', 0, 'ascii');
  ds64.writeUInt32LE(28, 4);
  ds64.writeUInt32LE(wav.length - 8 + 36, 8);
  ds64.writeUInt32LE(dataBytes, 16);
  ds64.writeUInt32LE(dataBytes / 2, 24);
  const out = Buffer.concat([Buffer.from('RF64'), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from('WAVE'), ds64, wav.subarray(12)]);
  out.writeUInt32LE(0xffffffff, out.indexOf('data') + 4);
  return out;
}

function built(): Seed[] {
  const pcm = int16Bytes(tone(4000, 1));
  const plain = buildWav({ sampleRate: 16000, data: pcm });
  const list = Buffer.concat([Buffer.from('INFOISFT'), Buffer.from([5, 0, 0, 0]), Buffer.from('fuzz\0'), Buffer.alloc(1)]);
  const alaw = Uint8Array.from(tone(3000, 2), (v) => (v >> 8) & 0xff);
  const u8stereo = Uint8Array.from(tone(6000, 3), (v) => 128 + (v >> 8));
  return [
    { name: 'built/rf64_s16_16k.wav', format: 'wav', bytes: rf64(plain) },
    {
      name: 'built/odd_chunk_no_pad.wav',
      format: 'wav',
      bytes: buildWav({ sampleRate: 22050, data: pcm, extraChunks: [{ id: 'junk', body: new Uint8Array(7).fill(0x41), omitPad: true }] }),
    },
    { name: 'built/list_chunk.wav', format: 'wav', bytes: buildWav({ sampleRate: 8000, data: pcm, extraChunks: [{ id: 'LIST', body: list }] }) },
    { name: 'built/alaw_8k.wav', format: 'wav', bytes: buildWav({ formatTag: 6, bitsPerSample: 8, sampleRate: 8000, data: alaw }) },
    { name: 'built/streamed_size0.wav', format: 'wav', bytes: buildWav({ sampleRate: 16000, data: pcm, declaredDataBytes: 0 }) },
    { name: 'built/u8_stereo_11k.wav', format: 'wav', bytes: buildWav({ bitsPerSample: 8, channels: 2, sampleRate: 11025, data: u8stereo }) },
  ];
}

/** Every seed, in a fixed order (case indices depend on it). */
export function loadSeeds(): Seed[] {
  const files = ['formats', 'lossy'].flatMap((dir) =>
    fs
      .readdirSync(path.join(FIXTURES, dir))
      .sort()
      .map((f) => `${dir}/${f}`),
  );
  const fixtures = files.map((name): Seed => ({ name, format: formatOf(name), bytes: new Uint8Array(fs.readFileSync(path.join(FIXTURES, name))) }));
  return [...fixtures, ...built()];
}
