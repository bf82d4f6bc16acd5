import { AudioError, describeStart } from './errors';

/** Sample encodings a WAV file can hold that we decode ourselves. */
export type WavEncoding = 'pcm' | 'float' | 'alaw' | 'mulaw';

export interface WavInfo {
  container: 'wav' | 'rf64';
  encoding: WavEncoding;
  /** Bits per sample in the container (what the scaling uses, as in libsndfile). */
  bitsPerSample: number;
  /** WAVE_FORMAT_EXTENSIBLE's valid bits (equal to bitsPerSample otherwise). */
  validBits: number;
  extensible: boolean;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  dataOffset: number;
  /** Bytes of sample data present in the file (never more than declared). */
  dataBytes: number;
  /** Bytes the data chunk declares. */
  declaredDataBytes: number;
  frames: number;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function fourcc(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

function looksLikeChunkId(b: Uint8Array, at: number): boolean {
  if (at + 4 > b.length) return false;
  for (let i = 0; i < 4; i++) if (b[at + i] < 0x20 || b[at + i] > 0x7e) return false;
  return true;
}

/** Thrown when `head` ends before the data chunk's header: read more of the file and call again. */
export class NeedMoreBytes extends Error {
  constructor() {
    super('the WAV header continues beyond the bytes read');
  }
}

export function isWav(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const riff = fourcc(head, 0);
  return (riff === 'RIFF' || riff === 'RF64') && fourcc(head, 8) === 'WAVE';
}

/**
 * Reads the RIFF/RF64 chunk list up to the data chunk. `head` holds the first bytes of the file
 * (at least up to the data chunk's header) and `fileSize` its full length, so a probe never has to
 * read the samples. A data chunk shorter than it declares is reported as truncated.
 */
export function parseWavHeader(head: Uint8Array, fileSize: number = head.length, file?: string): WavInfo {
  if (fileSize === 0) throw new AudioError('empty', 'the file is empty (0 bytes)', file);
  if (!isWav(head)) {
    if (head.length >= 4 && (fourcc(head, 0) === 'RIFF' || fourcc(head, 0) === 'RIFX'))
      throw new AudioError('unsupported_format', `a RIFF file but not little-endian WAVE (${fourcc(head, 0)}/${head.length >= 12 ? fourcc(head, 8) : '?'})`, file);
    if (head.length < 12 && head.length > 0 && 'RIFF'.startsWith(String.fromCharCode(...head.subarray(0, 4))))
      throw new AudioError('truncated', `the WAV header is cut short (${fileSize} bytes)`, file);
    throw new AudioError('unsupported_format', `not a WAV file (${describeStart(head)})`, file);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const container = fourcc(head, 0) === 'RF64' ? 'rf64' : 'wav';
  let rf64DataSize: number | undefined;
  let fmt: Omit<WavInfo, 'container' | 'dataOffset' | 'dataBytes' | 'declaredDataBytes' | 'frames'> | undefined;
  let at = 12;
  for (;;) {
    if (at + 8 > head.length) {
      if (head.length < fileSize) throw new NeedMoreBytes();
      if (at + 8 > fileSize) {
        throw new AudioError(fmt ? 'truncated' : 'corrupt', fmt ? 'the WAV file ends before its data chunk' : 'the WAV file has no fmt chunk', file);
      }
    }
    const id = fourcc(head, at);
    let size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id !== 'data' && body + size > fileSize) {
      throw new AudioError('truncated', `the WAV file ends inside its '${id.trim()}' chunk (${fileSize} bytes; the file was cut short)`, file);
    }
    if (id === 'ds64' && body + 16 <= head.length) {
      rf64DataSize = view.getUint32(body + 8, true) + view.getUint32(body + 12, true) * 2 ** 32;
    } else if (id === 'fmt ') {
      if (body + Math.min(size, 40) > head.length && head.length < fileSize) throw new NeedMoreBytes();
      if (size < 16 || body + 16 > head.length) throw new AudioError('corrupt', `the WAV fmt chunk is too short (${size} bytes)`, file);
      fmt = parseFmt(view, body, size, file);
    } else if (id === 'data') {
      if (!fmt) throw new AudioError('corrupt', 'the WAV data chunk comes before any fmt chunk', file);
      const available = Math.max(0, fileSize - body);
      if (container === 'rf64' && size === 0xffffffff && rf64DataSize !== undefined) size = rf64DataSize;
      // Writers that stream (ffmpeg to a pipe, some recorders) leave 0 or 0xFFFFFFFF: the data runs to the end.
      const streamed = (size === 0 || size === 0xffffffff) && available > 0;
      const declared = streamed ? available : size;
      if (declared > available) {
        const missing = declared - available;
        throw new AudioError('truncated', `the WAV data chunk declares ${declared} bytes but only ${available} are present (${missing} missing; the file was cut short)`, file);
      }
      const frames = Math.floor(declared / fmt.blockAlign);
      return { container, ...fmt, dataOffset: body, dataBytes: declared, declaredDataBytes: declared, frames };
    }
    let next = body + size + (size & 1);
    // Some writers forget the pad byte after an odd-sized chunk; trust the byte that starts a chunk id.
    if (size & 1 && !looksLikeChunkId(head, next) && looksLikeChunkId(head, next - 1)) next -= 1;
    if (next <= at) throw new AudioError('corrupt', `the WAV chunk '${id}' has an impossible size`, file);
    at = next;
  }
}

function parseFmt(view: DataView, body: number, size: number, file?: string) {
  let tag = view.getUint16(body, true);
  const channels = view.getUint16(body + 2, true);
  const sampleRate = view.getUint32(body + 4, true);
  const blockAlign = view.getUint16(body + 12, true);
  const bitsPerSample = view.getUint16(body + 14, true);
  let validBits = bitsPerSample;
  const extensible = tag === WAVE_FORMAT_EXTENSIBLE;
  if (extensible) {
    if (size < 40) throw new AudioError('corrupt', `WAVE_FORMAT_EXTENSIBLE fmt chunk is too short (${size} bytes)`, file);
    validBits = view.getUint16(body + 18, true) || bitsPerSample;
    tag = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
  }
  let encoding: WavEncoding;
  if (tag === WAVE_FORMAT_PCM) encoding = 'pcm';
  else if (tag === WAVE_FORMAT_IEEE_FLOAT) encoding = 'float';
  else if (tag === WAVE_FORMAT_ALAW) encoding = 'alaw';
  else if (tag === WAVE_FORMAT_MULAW) encoding = 'mulaw';
  else throw new AudioError('unsupported_format', `WAV sample format 0x${tag.toString(16).padStart(4, '0')} is not supported (PCM, IEEE float, A-law and mu-law are)`, file);
  if (channels === 0) throw new AudioError('corrupt', 'the WAV header declares 0 channels', file);
  if (sampleRate === 0) throw new AudioError('corrupt', 'the WAV header declares a sample rate of 0 Hz', file);
  const okBits =
    (encoding === 'pcm' && [8, 16, 24, 32].includes(bitsPerSample)) ||
    (encoding === 'float' && (bitsPerSample === 32 || bitsPerSample === 64)) ||
    ((encoding === 'alaw' || encoding === 'mulaw') && bitsPerSample === 8);
  if (!okBits) throw new AudioError('unsupported_format', `${bitsPerSample}-bit ${encoding === 'float' ? 'float' : encoding.toUpperCase()} WAV is not supported`, file);
  const minAlign = channels * (bitsPerSample / 8);
  if (blockAlign < minAlign) throw new AudioError('corrupt', `the WAV block size (${blockAlign}) is smaller than one frame (${minAlign} bytes)`, file);
  return { encoding, bitsPerSample, validBits, extensible, channels, sampleRate, blockAlign };
}

export interface DecodedAudio {
  channels: Float32Array[];
  sampleRate: number;
}

/** Decodes a whole WAV file held in memory; values are scaled exactly as soundfile/libsndfile return float32. */
export function decodeWav(bytes: Uint8Array, file?: string): DecodedAudio & { info: WavInfo } {
  const info = parseWavHeader(bytes, bytes.length, file);
  const { channels: nch, frames, blockAlign, dataOffset, bitsPerSample, encoding } = info;
  const out = Array.from({ length: nch }, () => new Float32Array(frames));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bytesPer = bitsPerSample >> 3;
  const packed = blockAlign === nch * bytesPer;
  const abs = bytes.byteOffset + dataOffset;

  if (encoding === 'pcm' && bitsPerSample === 16 && packed && abs % 2 === 0) {
    const s = new Int16Array(bytes.buffer, abs, frames * nch);
    deinterleave(s, out, nch, frames, 1 / 32768);
  } else if (encoding === 'pcm' && bitsPerSample === 32 && packed && abs % 4 === 0) {
    const s = new Int32Array(bytes.buffer, abs, frames * nch);
    deinterleave(s, out, nch, frames, 1 / 2147483648);
  } else if (encoding === 'float' && bitsPerSample === 32 && packed && abs % 4 === 0) {
    deinterleave(new Float32Array(bytes.buffer, abs, frames * nch), out, nch, frames, 1);
  } else {
    for (let c = 0; c < nch; c++) {
      const o = out[c];
      let p = dataOffset + c * bytesPer;
      for (let i = 0; i < frames; i++, p += blockAlign) o[i] = readSample(bytes, view, p, encoding, bitsPerSample);
    }
  }
  return { channels: out, sampleRate: info.sampleRate, info };
}

function deinterleave(src: ArrayLike<number>, out: Float32Array[], nch: number, frames: number, scale: number): void {
  if (nch === 1) {
    const o = out[0];
    for (let i = 0; i < frames; i++) o[i] = src[i] * scale;
    return;
  }
  for (let c = 0; c < nch; c++) {
    const o = out[c];
    for (let i = 0, p = c; i < frames; i++, p += nch) o[i] = src[p] * scale;
  }
}

function readSample(b: Uint8Array, view: DataView, p: number, encoding: WavEncoding, bits: number): number {
  switch (encoding) {
    case 'pcm':
      if (bits === 8) return (b[p] - 128) / 128;
      if (bits === 16) return view.getInt16(p, true) / 32768;
      if (bits === 24) return ((b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) << 8 >> 8) / 8388608;
      return view.getInt32(p, true) / 2147483648;
    case 'float':
      return bits === 32 ? view.getFloat32(p, true) : view.getFloat64(p, true);
    case 'mulaw':
      return MULAW[b[p]] / 32768;
    case 'alaw':
      return ALAW[b[p]] / 32768;
  }
}

/** G.711 expansion tables (the values libsndfile's ulaw/alaw decoders produce before /32768). */
const MULAW = new Int16Array(256);
const ALAW = new Int16Array(256);
for (let i = 0; i < 256; i++) {
  const u = ~i & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  MULAW[i] = u & 0x80 ? 0x84 - t : t - 0x84;

  const a = i ^ 0x55;
  let v = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) v += 8;
  else {
    v += 0x108;
    if (seg > 1) v <<= seg - 1;
  }
  ALAW[i] = a & 0x80 ? v : -v;
}
