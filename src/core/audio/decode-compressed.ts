import decode from 'audio-decode';
import { AudioError } from './errors';
import { parseFlacStreamInfo, rescaleFlacLikeSoundfile } from './flac';
import { oggCodec, type AudioContainer } from './sniff';
import type { DecodedAudio } from './wav';

/** FLAC, MP3 and Ogg (Vorbis/Opus) through the maintained `audio-decode` package, scaled like soundfile. */
export async function decodeCompressed(bytes: Uint8Array, container: AudioContainer, file?: string): Promise<DecodedAudio> {
  if (container === 'ogg') {
    const codec = oggCodec(bytes);
    if (codec !== 'vorbis' && codec !== 'opus') {
      throw new AudioError('unsupported_format', `an Ogg file with ${codec === 'unknown' ? 'an unknown codec' : `${codec} audio`} (Vorbis and Opus are supported)`, file);
    }
  }
  let out: { channelData: Float32Array[]; sampleRate: number };
  try {
    out = await decode(bytes);
  } catch (err) {
    const why = (err as Error)?.message ?? String(err);
    throw new AudioError('corrupt', `the ${container.toUpperCase()} data cannot be decoded (${why})`, file);
  }
  const channels = out.channelData.map((c) => (c instanceof Float32Array ? c : Float32Array.from(c)));
  if (channels.length > 0 && !(out.sampleRate > 0)) {
    throw new AudioError('corrupt', `the ${container.toUpperCase()} decoder reported no sample rate`, file);
  }
  if (container === 'flac' && channels.length > 0) {
    rescaleFlacLikeSoundfile(channels, parseFlacStreamInfo(bytes, bytes.length, file).bitsPerSample);
  }
  return { channels, sampleRate: out.sampleRate };
}
