import crypto from 'node:crypto';
import fs from 'node:fs';
import { decodeCompressed } from './decode-compressed';
import { AudioError, describeStart, unreadable } from './errors';
import { id3v2Length, oggCodec, sniffContainer, type AudioContainer } from './sniff';
import { parseFlacStreamInfo } from './flac';
import { checkFlacStreamInfo, checkPlausible } from './plausible';
import { NeedMoreBytes, parseWavHeader, type WavInfo } from './wav';

export interface AudioProbe {
  container: AudioContainer;
  /** e.g. 'pcm_s16', 'pcm_s24', 'pcm_u8', 'float32', 'flac', 'mp3', 'vorbis', 'opus'. */
  codec: string;
  sampleRate: number;
  channels: number;
  frames: number;
  durationSec: number;
  /** For PCM-like codecs (WAV, FLAC). */
  bitsPerSample?: number;
}

const HEAD_BYTES = 64 * 1024;

async function readHead(file: string, size: number, bytes: number): Promise<Uint8Array> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, bytes));
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

export function wavCodec(info: Pick<WavInfo, 'encoding' | 'bitsPerSample'>): string {
  if (info.encoding === 'float') return `float${info.bitsPerSample}`;
  if (info.encoding === 'pcm') return info.bitsPerSample === 8 ? 'pcm_u8' : `pcm_s${info.bitsPerSample}`;
  return info.encoding;
}

/**
 * What a file holds, for dataset import: reads only the header for WAV and FLAC (MP3 and Ogg
 * have no reliable length in their headers, so those are decoded). Every failure is an
 * AudioError with a code and a sentence naming the file.
 */
export async function probeAudio(file: string): Promise<AudioProbe> {
  let size: number;
  try {
    const st = await fs.promises.stat(file);
    size = st.isDirectory() ? -1 : st.size;
  } catch (err) {
    throw unreadable(file, err);
  }
  if (size < 0) throw new AudioError('unreadable', 'is a folder, not a file', file);
  if (size === 0) throw new AudioError('empty', 'the file is empty (0 bytes)', file);
  let head: Uint8Array;
  try {
    head = await readHead(file, size, HEAD_BYTES);
  } catch (err) {
    throw unreadable(file, err);
  }
  return probeHead(head, size, file, async () => {
    try {
      return await fs.promises.readFile(file);
    } catch (err) {
      throw unreadable(file, err);
    }
  });
}

/**
 * probeAudio on bytes already read: `head` is the file's first bytes (64 KiB or all of it), `size` its length,
 * `readAll` gives the whole file when the header is not enough (a WAV with long chunks before its data, MP3,
 * Ogg, FLAC of unknown length). `file` names the file in error messages.
 */
export async function probeHead(head: Uint8Array, size: number, file: string, readAll: () => Promise<Uint8Array>): Promise<AudioProbe> {
  if (size === 0) throw new AudioError('empty', 'the file is empty (0 bytes)', file);
  const container = sniffContainer(head.subarray(0, HEAD_BYTES));
  if (container === 'wav') {
    let info: WavInfo;
    try {
      info = parseWavHeader(head, size, file);
    } catch (err) {
      if (!(err instanceof NeedMoreBytes)) throw err;
      info = parseWavHeader(await readAll(), size, file);
    }
    checkPlausible({ container: 'wav', sampleRate: info.sampleRate, channels: info.channels }, file);
    return {
      container: 'wav',
      codec: wavCodec(info),
      sampleRate: info.sampleRate,
      channels: info.channels,
      frames: info.frames,
      durationSec: info.frames / info.sampleRate,
      bitsPerSample: info.bitsPerSample,
    };
  }
  if (container === 'flac') {
    const streamInfo = parseFlacStreamInfo(head, size, file);
    checkFlacStreamInfo(head, file);
    checkPlausible(streamInfo, file);
    if (streamInfo.frames > 0) return streamInfo;
    // STREAMINFO may leave the length unknown (streamed encoders): count by decoding.
  }
  if (container === 'flac' || container === 'mp3' || container === 'ogg') {
    const bytes = await readAll();
    const decoded = await decodeCompressed(bytes, container, file);
    checkPlausible({ container, sampleRate: decoded.sampleRate, channels: decoded.channels.length }, file);
    const frames = decoded.channels[0]?.length ?? 0;
    return {
      container,
      codec: container === 'ogg' ? oggCodec(head) : container,
      sampleRate: decoded.sampleRate,
      channels: decoded.channels.length,
      frames,
      durationSec: decoded.sampleRate > 0 ? frames / decoded.sampleRate : 0,
      ...(container === 'flac' ? { bitsPerSample: parseFlacStreamInfo(head, size, file).bitsPerSample } : {}),
    };
  }
  if (size < 12 && [0x52, 0x66, 0x4f].includes(head[0])) {
    throw new AudioError('truncated', `only ${size} bytes: too short to hold an audio header`, file);
  }
  throw new AudioError('unsupported_format', `not a WAV/FLAC/MP3/OGG file (${describeStart(head)})`, file);
}

/** SHA-256 of a file's bytes, streamed so that large files never sit in memory. */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = crypto.createHash('sha256');
    const s = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    s.on('data', (chunk) => h.update(chunk));
    s.on('error', (err) => reject(unreadable(file, err)));
    s.on('end', () => resolve(h.digest('hex')));
  });
}
