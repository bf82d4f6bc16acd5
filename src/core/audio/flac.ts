import { AudioError } from './errors';
import { id3v2Length } from './sniff';

export interface FlacStreamInfo {
  container: 'flac';
  codec: 'flac';
  sampleRate: number;
  channels: number;
  /** 0 when the encoder did not know the length. */
  frames: number;
  durationSec: number;
  bitsPerSample: number;
}

/** FLAC's STREAMINFO block: rate, channels, bits and total samples, all in the first 42 bytes. */
export function parseFlacStreamInfo(head: Uint8Array, size: number, file?: string): FlacStreamInfo {
  const at = id3v2Length(head);
  const b = head.subarray(at);
  if (b.length < 8 + 34) throw new AudioError('truncated', 'the FLAC header is cut short', file);
  const type = b[4] & 0x7f;
  const len = (b[5] << 16) | (b[6] << 8) | b[7];
  if (type !== 0 || len < 34) throw new AudioError('corrupt', 'the FLAC file does not start with a STREAMINFO block', file);
  const s = b.subarray(8);
  const sampleRate = (s[10] << 12) | (s[11] << 4) | (s[12] >> 4);
  const channels = ((s[12] >> 1) & 7) + 1;
  const bitsPerSample = (((s[12] & 1) << 4) | (s[13] >> 4)) + 1;
  const frames = (s[13] & 0x0f) * 2 ** 32 + ((s[14] << 24) >>> 0) + (s[15] << 16) + (s[16] << 8) + s[17];
  if (sampleRate === 0) throw new AudioError('corrupt', 'the FLAC header declares a sample rate of 0 Hz', file);
  if (at + 8 + len >= size) throw new AudioError('truncated', 'the FLAC file ends right after its header', file);
  return { container: 'flac', codec: 'flac', sampleRate, channels, frames, durationSec: frames / sampleRate, bitsPerSample };
}

/**
 * audio-decode's FLAC decoder scales integers by 1/(2^(b-1) - 1); soundfile (libsndfile) by
 * 1/2^(b-1). The float32 values still identify the integer exactly for b <= 24, so recover it and
 * rescale, in place.
 */
export function rescaleFlacLikeSoundfile(channels: Float32Array[], bitsPerSample: number): void {
  if (bitsPerSample < 4 || bitsPerSample > 32) return;
  const decoderScale = 2 ** (bitsPerSample - 1) - 1;
  const inv = 1 / 2 ** (bitsPerSample - 1);
  const exact = bitsPerSample <= 24;
  for (const ch of channels) {
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i] * decoderScale;
      ch[i] = (exact ? Math.round(v) : v) * inv;
    }
  }
}
