/**
 * One of audio-decode's codecs (WASM builds of mpg123, libFLAC, libvorbis, libopus) over a whole file's bytes, as
 * the codec our sniffing chose (never audio-decode's own guess: a damaged MP3 is decoded as MP3 or refused). The
 * channels come back in buffers of their own (a decoder's may be views of its WASM memory), ready to be
 * transferred. Runs in the decoder thread (decode-worker.ts, guarded by decode-guard.ts).
 */
import decode from 'audio-decode';

/** audio-decode's names of the codecs we let it decode. */
export type GuardCodec = 'mp3' | 'flac' | 'oga' | 'opus';

type StreamDecoder = ((chunk?: Uint8Array) => Promise<{ channelData: Float32Array[]; sampleRate: number }>) & { free(): void };
const registry = decode as unknown as Record<GuardCodec, () => Promise<StreamDecoder>>;

export async function decodeWithCodec(bytes: Uint8Array, codec: GuardCodec): Promise<{ channelData: Float32Array[]; sampleRate: number }> {
  const dec = await registry[codec]();
  const parts: { channelData: Float32Array[]; sampleRate: number }[] = [];
  try {
    parts.push(await dec(bytes));
    parts.push(await dec());
  } catch (err) {
    dec.free();
    throw err;
  }
  const filled = parts.filter((p) => p.channelData.length > 0 && p.channelData[0].length > 0);
  const nch = Math.max(0, ...filled.map((p) => p.channelData.length));
  const length = filled.reduce((n, p) => n + p.channelData[0].length, 0);
  const channelData = Array.from({ length: nch }, (_, c) => {
    const out = new Float32Array(length);
    let at = 0;
    for (const p of filled) {
      const n = p.channelData[0].length;
      out.set(p.channelData[c % p.channelData.length].subarray(0, n), at);
      at += n;
    }
    return out;
  });
  return { channelData, sampleRate: filled[0]?.sampleRate ?? 0 };
}
