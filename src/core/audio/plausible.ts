/**
 * Headers checked for what the decoder and the resampler will need before any sample is read: a sample rate and
 * a channel count a recording can have (AUDIO_LIMITS), and for FLAC a STREAMINFO whose block sizes are possible.
 * A random or damaged header fails here with implausible_header and a sentence, instead of becoming a clip of
 * 27 hours (1 Hz) or an error deep in the resampler.
 */
import { AUDIO_LIMITS } from '../../shared/dataset-params';
import { AudioError } from './errors';
import { id3v2Length } from './sniff';

export interface HeaderFacts {
  container: string;
  sampleRate: number;
  channels: number;
}

function rate(hz: number): string {
  if (hz >= 1_000_000) return `${+(hz / 1_000_000).toFixed(3)} MHz`;
  if (hz >= 1000) return `${+(hz / 1000).toFixed(3)} kHz`;
  return `${hz} Hz`;
}

/** Throws implausible_header when the rate or the channel count is not one a recording has. */
export function checkPlausible(h: HeaderFacts, file?: string): void {
  const what = h.container === 'ogg' ? 'Ogg' : h.container.toUpperCase();
  const sr = AUDIO_LIMITS.sampleRate;
  if (!(h.sampleRate >= sr.min && h.sampleRate <= sr.max)) {
    throw new AudioError(
      'implausible_header',
      `the ${what} header declares a sample rate of ${rate(h.sampleRate)}, which no recording has (SER Studio reads ${rate(sr.min)} to ${rate(sr.max)}); the header is damaged`,
      file,
    );
  }
  const ch = AUDIO_LIMITS.channels;
  if (!(h.channels >= ch.min && h.channels <= ch.max)) {
    throw new AudioError(
      'implausible_header',
      `the ${what} header declares ${h.channels} channels (SER Studio reads ${ch.min} to ${ch.max}); the header is damaged`,
      file,
    );
  }
}

/**
 * FLAC's STREAMINFO beyond rate and channels: block sizes of 16 to 65535 samples, the smallest not above the
 * largest, 4 to 32 bits per sample (the format's own limits). A random STREAMINFO fails one of these.
 */
export function checkFlacStreamInfo(head: Uint8Array, file?: string): void {
  const s = head.subarray(id3v2Length(head) + 8);
  if (s.length < 18) return; // parseFlacStreamInfo reports the short header
  const minBlock = (s[0] << 8) | s[1];
  const maxBlock = (s[2] << 8) | s[3];
  const bits = (((s[12] & 1) << 4) | (s[13] >> 4)) + 1;
  const bad =
    minBlock < 16 || maxBlock < 16 || minBlock > maxBlock
      ? `block sizes of ${minBlock} to ${maxBlock} samples (FLAC's are 16 to 65535, the smallest first)`
      : bits < 4
        ? `${bits} bits per sample (FLAC's are 4 to 32)`
        : '';
  if (bad) throw new AudioError('implausible_header', `the FLAC STREAMINFO declares ${bad}; the header is damaged`, file);
}
