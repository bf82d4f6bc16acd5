import { isWav } from './wav';

export type AudioContainer = 'wav' | 'flac' | 'mp3' | 'ogg';

/** Length of an ID3v2 tag at the start of `b` (0 if none): MP3 and some FLAC files carry one. */
export function id3v2Length(b: Uint8Array): number {
  if (b.length < 10 || b[0] !== 0x49 || b[1] !== 0x44 || b[2] !== 0x33) return 0; // "ID3"
  const size = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
  const footer = b[5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

function isMpegFrameSync(b: Uint8Array, at: number): boolean {
  if (at + 4 > b.length) return false;
  if (b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[at + 1] >> 3) & 3; // 1 is reserved
  const layer = (b[at + 1] >> 1) & 3; // 0 is reserved
  const bitrate = b[at + 2] >> 4; // 15 is invalid
  const rate = (b[at + 2] >> 2) & 3; // 3 is reserved
  return version !== 1 && layer !== 0 && bitrate !== 15 && rate !== 3;
}

/**
 * Identifies the container from its first bytes, never from the file name: a renamed file is
 * common in scraped datasets. Returns null when it is none of the four we read.
 */
export function sniffContainer(head: Uint8Array): AudioContainer | null {
  if (isWav(head)) return 'wav';
  const skip = id3v2Length(head);
  const b = skip > 0 ? head.subarray(Math.min(skip, head.length)) : head;
  if (b.length >= 4 && b[0] === 0x66 && b[1] === 0x4c && b[2] === 0x61 && b[3] === 0x43) return 'flac'; // fLaC
  if (b.length >= 4 && b[0] === 0x4f && b[1] === 0x67 && b[2] === 0x67 && b[3] === 0x53) return 'ogg'; // OggS
  if (isMpegFrameSync(b, 0)) return 'mp3';
  // An ID3v2 tag is MP3's (FLAC's was tested above): whatever follows it, the file is meant as an MP3, and if its
  // frames cannot be decoded that is what the user is told (not "not an audio file").
  if (skip > 0) return 'mp3';
  return null;
}

/** The codec inside an Ogg stream, read from the first packet of its first page. */
export function oggCodec(head: Uint8Array): 'vorbis' | 'opus' | 'flac' | 'speex' | 'unknown' {
  if (head.length < 28) return 'unknown';
  const segments = head[26];
  const at = 27 + segments;
  const s = (o: number, n: number) => String.fromCharCode(...head.subarray(at + o, at + o + n));
  if (head[at] === 0x01 && s(1, 6) === 'vorbis') return 'vorbis';
  if (s(0, 8) === 'OpusHead') return 'opus';
  if (head[at] === 0x7f && s(1, 4) === 'FLAC') return 'flac';
  if (s(0, 5) === 'Speex') return 'speex';
  return 'unknown';
}
