import fs from 'node:fs';
import { decodeCompressed } from './decode-compressed';
import { AudioError, describeStart, unreadable } from './errors';
import { wavCodec } from './probe';
import { type WasmF32, arena, residentAt, soxrStagesResident, wavToMonoResident } from '../dsp/wasm/kernels';
import { runPlanChunked } from './soxr-chunked';
import { initResampler, resample, resampleF32, resamplesExactly, soxrHqPlan, soxrOutputLength, type RealFftFactory } from './resample';
import { checkPlausible } from './plausible';
import { planRuns } from './soxr-exact';
import { initSoxrPffft } from './soxr-pffft';
import { oggCodec, sniffContainer, type AudioContainer } from './sniff';
import { decodeWav, parseWavHeader, type DecodedAudio } from './wav';

export interface DecodedFile extends DecodedAudio {
  container: AudioContainer;
  codec: string;
}

const SYNC_READ_LIMIT = 16 * 1024 * 1024;

async function readBytes(src: string | Uint8Array): Promise<Uint8Array> {
  if (typeof src !== 'string') return src;
  try {
    // Small files are read synchronously: clips are decoded in pool workers that do nothing else, and the
    // async path costs ~0.3 ms per clip in promise and thread-pool hops. Large files stay async.
    const size = fs.statSync(src).size;
    return size < SYNC_READ_LIMIT ? fs.readFileSync(src) : await fs.promises.readFile(src);
  } catch (err) {
    throw unreadable(src, err);
  }
}

/**
 * Decodes a file (or its bytes) to float32 channels at the native rate: WAV with our own decoder
 * (scaled as soundfile returns it), FLAC / MP3 / Ogg through `audio-decode`.
 */
export async function decodeAudio(src: string | Uint8Array, name?: string): Promise<DecodedFile> {
  const file = name ?? (typeof src === 'string' ? src : undefined);
  const bytes = await readBytes(src);
  if (bytes.length === 0) throw new AudioError('empty', 'the file is empty (0 bytes)', file);
  const container = sniffContainer(bytes.subarray(0, 64 * 1024));
  if (container === 'wav') {
    const { channels, sampleRate, info } = decodeWav(bytes, file);
    checkPlausible({ container, sampleRate, channels: channels.length }, file);
    return { channels, sampleRate, container, codec: wavCodec(info) };
  }
  if (container) {
    const { channels, sampleRate } = await decodeCompressed(bytes, container, file);
    checkPlausible({ container, sampleRate, channels: channels.length }, file);
    return { channels, sampleRate, container, codec: container === 'ogg' ? oggCodec(bytes) : container };
  }
  throw new AudioError('unsupported_format', `not a WAV/FLAC/MP3/OGG file (${describeStart(bytes)})`, file);
}

/**
 * librosa's `to_mono`: the mean over channels in float32 (numpy adds the channel rows in order,
 * rounding each partial sum to float32, then divides).
 */
export function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0];
  const n = channels[0].length;
  const out = new Float32Array(n);
  const f = Math.fround;
  const c = channels.length;
  if (c === 2) {
    const a = channels[0], b = channels[1];
    for (let i = 0; i < n; i++) out[i] = f(a[i] + b[i]) / 2;
    return out;
  }
  for (let i = 0; i < n; i++) {
    let s = channels[0][i];
    for (let k = 1; k < c; k++) s = f(s + channels[k][i]);
    out[i] = s / c;
  }
  return out;
}

export interface MonoSignal {
  /** float32 mono samples at `sampleRate`, as `librosa.load(path, sr=sampleRate, mono=True)` returns them. */
  y: Float32Array;
  sampleRate: number;
  nSamples: number;
  nativeSampleRate: number;
  channels: number;
}

let resamplerLoad: Promise<void> | null = null;

/**
 * Loads libsoxr's FFT (WASM) once, for python-soxr's output bit for bit; should that fail,
 * resample() takes its generic float64 path (~3e-7 of soxr).
 */
function loadExactResampler(): Promise<void> {
  return (resamplerLoad ??= initResampler().catch(() => undefined));
}

/**
 * `librosa.load(path, sr=22050, mono=True)`: decode, downmix, and (only when the native rate
 * differs) soxr-HQ resample with fix_length to ceil(n · sr / sr_native).
 */
export async function loadMono(
  src: string | Uint8Array,
  opts: { sampleRate?: number; name?: string; fft?: RealFftFactory } = {},
): Promise<MonoSignal> {
  const target = opts.sampleRate ?? 22050;
  const decoded = await decodeAudio(src, opts.name);
  const mono = downmix(decoded.channels);
  if (decoded.sampleRate !== target && !opts.fft) await loadExactResampler();
  const y =
    decoded.sampleRate === target
      ? mono
      : opts.fft
        ? new Float32Array(resample(mono, decoded.sampleRate, target, { fft: opts.fft }))
        : resampleF32(mono, decoded.sampleRate, target);
  return { y, sampleRate: target, nSamples: y.length, nativeSampleRate: decoded.sampleRate, channels: decoded.channels.length };
}

export interface MonoSignalResident {
  /** As MonoSignal's y, in WASM memory (valid inside the withWasmSession it was made in). */
  y: WasmF32;
  sampleRate: number;
  nSamples: number;
  nativeSampleRate: number;
  channels: number;
}

/** A header buffer kept between calls (no per-file allocation). */
const head = new Uint8Array(64 * 1024);

/**
 * loadMono straight into WASM memory, for the feature workers (inside withWasmSession): a WAV file
 * of 16/32-bit PCM or 32-bit float is read into WASM memory, converted, downmixed and resampled
 * there (the same values as loadMono, bit for bit), so a clip makes no garbage on the JS heap.
 * Returns null for anything else (other encodings, other containers, files of 16 MB or more, any
 * header problem): loadMono then reads the file and reports what is wrong with it.
 */
export function loadMonoResident(src: string, opts: { sampleRate?: number } = {}): MonoSignalResident | null {
  const target = opts.sampleRate ?? 22050;
  let fd: number;
  try {
    fd = fs.openSync(src, 'r');
  } catch {
    return null;
  }
  try {
    const st = fs.fstatSync(fd);
    // (a folder opens on Linux; loadMono says what it is)
    if (!st.isFile()) return null;
    const size = st.size;
    if (size === 0) return null;
    const got = fs.readSync(fd, head, 0, Math.min(size, head.length), 0);
    let info;
    try {
      info = parseWavHeader(head.subarray(0, got), size, src);
      checkPlausible({ container: 'wav', sampleRate: info.sampleRate, channels: info.channels });
    } catch {
      return null;
    }
    const bytesPer = info.bitsPerSample >> 3;
    const kind =
      info.encoding === 'pcm' && info.bitsPerSample === 16 ? 0 : info.encoding === 'pcm' && info.bitsPerSample === 32 ? 1 : info.encoding === 'float' && info.bitsPerSample === 32 ? 2 : -1;
    if (kind < 0 || info.blockAlign !== info.channels * bytesPer) return null;
    // long files: read, converted and resampled a piece at a time (bounded memory, the same values)
    if (size >= SYNC_READ_LIMIT) return loadLongWav(fd, info, kind, target);
    // (samples at an offset not aligned to their size, e.g. after an unpadded odd chunk, take loadMono)
    if (info.dataOffset % bytesPer !== 0) return null;
    // the data chunk, read to a position whose alignment suits the samples
    const dataEnd = info.dataOffset + info.frames * info.blockAlign;
    const start = info.dataOffset - (info.dataOffset % 4);
    let mono = wavToMonoResident(
      dataEnd - start,
      (bytes) => {
        let at = 0;
        while (at < bytes.length) {
          const n = fs.readSync(fd, bytes, at, bytes.length - at, start + at);
          if (n <= 0) throw new AudioError('truncated', 'the file is shorter than its header says', src);
          at += n;
        }
      },
      info.dataOffset - start,
      kind,
      info.frames,
      info.channels,
    );
    if (info.sampleRate !== target) {
      void initSoxrPffft();
      if (!resamplesExactly(new Float32Array(0)) || mono.length === 0) return null;
      const nOut = soxrOutputLength(mono.length, info.sampleRate, target);
      if (nOut === 0) return null;
      const { stages, counts } = planRuns(soxrHqPlan(info.sampleRate / target), nOut);
      mono = soxrStagesResident(mono, stages, counts, Math.ceil(mono.length * (target / info.sampleRate)));
    }
    return { y: mono, sampleRate: target, nSamples: mono.length, nativeSampleRate: info.sampleRate, channels: info.channels };
  } finally {
    fs.closeSync(fd);
  }
}

/** Bytes of a WAV file read at a time by loadLongWav. */
const READ_CHUNK_BYTES = 4 << 20;

/**
 * loadMonoResident for a long WAV file: samples read in pieces straight into WASM memory, converted
 * to mono float32 there, and resampled output chunk by output chunk (soxr-chunked.ts), so memory
 * holds the result and a few MB, not the file or its native-rate signal.
 */
function loadLongWav(fd: number, info: ReturnType<typeof parseWavHeader>, kind: number, target: number): MonoSignalResident {
  const A = arena();
  const frames = info.frames;
  const nch = info.channels;
  const bpf = info.blockAlign;
  /** Native mono samples [lo, hi) to float32 at dst (zeros outside the file's samples). */
  const read = (lo: number, hi: number, dst: number): void => {
    const a = Math.max(0, lo);
    const b = Math.min(frames, hi);
    const v = A.f32(dst, hi - lo);
    if (a > lo) v.fill(0, 0, Math.min(hi, a) - lo);
    if (b < hi) v.fill(0, Math.max(lo, b) - lo, hi - lo);
    const per = Math.max(1, Math.floor(READ_CHUNK_BYTES / bpf));
    for (let f = a; f < b; f += per) {
      const count = Math.min(per, b - f);
      A.scope(() => {
        const p = A.alloc(count * bpf + 16);
        const bytes = new Uint8Array(A.x.memory.buffer, p, count * bpf);
        let at = 0;
        while (at < bytes.length) {
          const got = fs.readSync(fd, bytes, at, bytes.length - at, info.dataOffset + f * bpf + at);
          if (got <= 0) throw new AudioError('truncated', 'the file is shorter than its header says');
          at += got;
        }
        A.x.wav_to_mono(p, kind, count, nch, dst + 4 * (f - lo));
      });
    }
  };
  if (info.sampleRate === target) {
    const y = A.alloc(4 * Math.max(1, frames));
    read(0, frames, y);
    return { y: residentAt(y, frames), sampleRate: target, nSamples: frames, nativeSampleRate: info.sampleRate, channels: nch };
  }
  void initSoxrPffft();
  const nOut = soxrOutputLength(frames, info.sampleRate, target);
  const length = Math.ceil(frames * (target / info.sampleRate));
  const y = A.alloc(4 * Math.max(1, nOut, length));
  if (nOut > 0 && frames > 0) runPlanChunked(A, soxrHqPlan(info.sampleRate / target), frames, nOut, read, y);
  else A.f32(y, nOut).fill(0);
  if (length > nOut) A.f32(y + 4 * nOut, length - nOut).fill(0);
  return { y: residentAt(y, length), sampleRate: target, nSamples: length, nativeSampleRate: info.sampleRate, channels: nch };
}
