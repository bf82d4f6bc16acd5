import { DecodeGuardError, decodeGuarded } from './decode-guard';
import { AudioError } from './errors';
import { parseFlacStreamInfo, rescaleFlacLikeSoundfile } from './flac';
import { checkFlacStreamInfo } from './plausible';
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
  // the sentence names what could not be decoded ("a.mp3: MP3 frames could not be decoded"), whether the decoder
  // threw or returned nothing
  const undecodable = (why: string) => new AudioError('corrupt', `${frameNoun(container, bytes)} could not be decoded (${why})`, file);
  if (container === 'flac') checkFlacStreamInfo(bytes, file);
  let out: { channelData: Float32Array[]; sampleRate: number };
  try {
    // in a thread of its own with a time budget (decode-guard.ts), as the codec our sniffing found
    out = await decodeGuarded(bytes, container === 'ogg' ? (oggCodec(bytes) === 'opus' ? 'opus' : 'oga') : (container as 'mp3' | 'flac'));
  } catch (err) {
    throw undecodable(err instanceof DecodeGuardError && err.reason !== 'decoder' ? err.message : `the decoder says: ${(err as Error)?.message ?? String(err)}`);
  }
  const channels = out.channelData.map((c) => (c instanceof Float32Array ? c : Float32Array.from(c)));
  if (channels.length === 0 || channels[0].length === 0) throw undecodable('the decoder found no audio in them');
  if (!(out.sampleRate > 0)) throw undecodable('the decoder reported no sample rate');
  if (container === 'flac') {
    rescaleFlacLikeSoundfile(channels, parseFlacStreamInfo(bytes, bytes.length, file).bitsPerSample);
  }
  return { channels, sampleRate: out.sampleRate };
}

/** What a container's audio comes in, for "… could not be decoded". */
function frameNoun(container: AudioContainer, bytes: Uint8Array): string {
  if (container === 'mp3') return 'MP3 frames';
  if (container === 'flac') return 'FLAC frames';
  const codec = oggCodec(bytes);
  return `Ogg ${codec === 'opus' ? 'Opus' : 'Vorbis'} packets`;
}
