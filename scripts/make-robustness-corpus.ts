/**
 * The robustness corpus (issue 12): odd files a researcher meets in folders they did not make, written
 * deterministically into a folder at test time (nothing here is committed but this script; the compressed
 * cases start from the small committed fixtures in tests/fixtures/audio). Every case is one entry of CASES
 * with a stable id; docs/robustness.md has a row per id and tests/robustness/corpus.test.ts checks each.
 *
 *   npx tsx scripts/make-robustness-corpus.ts OUT [--long]     (--long adds the 30-minute file, ~58 MB)
 *
 * Layout of OUT:
 *   dataset/<label>/<file>   the import source (a folder per label: anger, sadness), cases and control clips
 *   outside/                 targets of the symbolic links (not part of the dataset)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LABELS = ['anger', 'sadness'] as const;
type Label = (typeof LABELS)[number];

export interface CorpusCase {
  id: string;
  /** Path under dataset/ as import names it (posix separators); the links and odd names are made by `make`. */
  file: string;
  label: Label;
  /** What the file is, in a few words (the first column of docs/robustness.md). */
  what: string;
  /** Only with --long (the 30-minute file). */
  long?: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (rel: string) => fs.readFileSync(path.join(here, '..', 'tests', 'fixtures', 'audio', rel));

// ---- deterministic signals ------------------------------------------------------------------------------

/** A numeric LCG (Numerical Recipes constants): the same bytes on every machine and Node version. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** A voiced-sounding tone per label (anger high and bright, sadness low and dull) with a little noise. */
function tone(label: Label, seconds: number, sampleRate: number, seed: number): Float64Array {
  const n = Math.max(0, Math.round(seconds * sampleRate));
  const f0 = label === 'anger' ? 260 + 15 * (seed % 5) : 140 + 8 * (seed % 5);
  const harmonics = label === 'anger' ? [1, 0.7, 0.5, 0.4, 0.3] : [1, 0.3, 0.08];
  const rnd = lcg(seed * 7919 + 17);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const vibrato = 1 + 0.01 * Math.sin(2 * Math.PI * 5 * t);
    let v = 0;
    harmonics.forEach((a, k) => (v += a * Math.sin(2 * Math.PI * f0 * (k + 1) * vibrato * t)));
    const env = Math.min(1, t / 0.02, (seconds - t) / 0.02);
    out[i] = 0.25 * env * v + 0.01 * (rnd() - 0.5);
  }
  return out;
}

// ---- WAV writing, byte by byte ---------------------------------------------------------------------------

interface WavSpec {
  /** 1 PCM, 3 IEEE float, 6 A-law, 7 mu-law; `extensible` wraps it in WAVE_FORMAT_EXTENSIBLE. */
  tag?: number;
  extensible?: boolean;
  channels?: number;
  sampleRate?: number;
  bits?: number;
  /** One signal per channel (or one for all), values in [-1, 1] (or anything, for float). */
  signal?: Float64Array | Float64Array[];
  /** The data chunk's size field (default: the data's length). */
  declaredDataBytes?: number;
  /** RF64 with a ds64 chunk instead of RIFF. */
  rf64?: boolean;
}

function encodeSample(v: number, tag: number, bits: number, out: Buffer, at: number): void {
  if (tag === 3) {
    if (bits === 64) out.writeDoubleLE(v, at);
    else out.writeFloatLE(v, at);
    return;
  }
  const c = Math.max(-1, Math.min(1, v));
  if (tag === 6 || tag === 7) {
    out[at] = tag === 7 ? muLaw(Math.round(c * 32767)) : aLaw(Math.round(c * 32767));
    return;
  }
  if (bits === 8) out[at] = Math.max(0, Math.min(255, Math.round(c * 127 + 128)));
  else if (bits === 16) out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(c * 32767))), at);
  else if (bits === 24) out.writeIntLE(Math.max(-8388608, Math.min(8388607, Math.round(c * 8388607))), at, 3);
  else if (bits === 32) out.writeInt32LE(Math.max(-2147483648, Math.min(2147483647, Math.round(c * 2147483647))), at);
  else if (bits === 12) out.writeInt16LE(Math.round(c * 2047) << 4, at); // 12 valid bits in 16
}

/** G.711 mu-law of a 16-bit sample (the reference g711.c). */
function muLaw(pcm: number): number {
  let v = pcm >> 2;
  let mask = 0xff;
  if (v < 0) {
    v = -v;
    mask = 0x7f;
  }
  v = Math.min(v, 8159) + 0x21;
  const seg = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff].findIndex((end) => v <= end);
  if (seg < 0) return 0x7f ^ mask;
  return ((seg << 4) | ((v >> (seg + 1)) & 0x0f)) ^ mask;
}

/** G.711 A-law of a 16-bit sample (the reference g711.c). */
function aLaw(pcm: number): number {
  let v = pcm >> 3;
  let mask = 0xd5;
  if (v < 0) {
    mask = 0x55;
    v = -v - 1;
  }
  const seg = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff].findIndex((end) => v <= end);
  if (seg < 0) return 0x7f ^ mask;
  return ((seg << 4) | (seg < 2 ? (v >> 1) & 0x0f : (v >> seg) & 0x0f)) ^ mask;
}

function wav(spec: WavSpec): Buffer {
  const tag = spec.tag ?? 1;
  const ch = spec.channels ?? 1;
  const sr = spec.sampleRate ?? 16000;
  const bits = spec.bits ?? 16;
  const bytesPer = bits === 12 ? 2 : bits / 8;
  const signals = spec.signal === undefined ? [] : Array.isArray(spec.signal) ? spec.signal : [spec.signal];
  const frames = signals.length ? signals[0].length : 0;
  const data = Buffer.alloc(frames * Math.max(1, ch) * bytesPer);
  for (let i = 0; i < frames; i++)
    for (let c = 0; c < ch; c++) encodeSample(signals[Math.min(c, signals.length - 1)][i], tag, bits, data, (i * ch + c) * bytesPer);
  const fmt = Buffer.alloc(spec.extensible ? 40 : tag === 1 && !spec.extensible ? 16 : 18);
  fmt.writeUInt16LE(spec.extensible ? 0xfffe : tag, 0);
  fmt.writeUInt16LE(ch, 2);
  fmt.writeUInt32LE(sr >>> 0, 4);
  fmt.writeUInt32LE((sr * ch * bytesPer) >>> 0, 8);
  fmt.writeUInt16LE(ch * bytesPer, 12);
  fmt.writeUInt16LE(bits, 14);
  if (spec.extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(bits === 12 ? 12 : bits, 18);
    fmt.writeUInt32LE(ch === 1 ? 4 : 3, 20);
    fmt.writeUInt16LE(tag, 24);
    Buffer.from([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]).copy(fmt, 26);
  }
  const chunk = (id: string, body: Buffer, size = body.length) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'ascii');
    head.writeUInt32LE(size >>> 0, 4);
    return Buffer.concat([head, body, body.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const declared = spec.declaredDataBytes ?? data.length;
  const parts: Buffer[] = [];
  if (spec.rf64) {
    const ds64 = Buffer.alloc(28);
    ds64.writeBigUInt64LE(BigInt(4 + 36 + 8 + 24 + 8 + data.length), 0); // RIFF size
    ds64.writeBigUInt64LE(BigInt(data.length), 8); // data size
    ds64.writeBigUInt64LE(BigInt(frames), 16); // sample count
    parts.push(chunk('ds64', ds64));
  }
  parts.push(chunk('fmt ', fmt));
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii');
  dataHead.writeUInt32LE(spec.rf64 ? 0xffffffff : declared >>> 0, 4);
  const body = Buffer.concat([Buffer.from('WAVE'), ...parts, dataHead, data]);
  const riff = Buffer.alloc(8);
  riff.write(spec.rf64 ? 'RF64' : 'RIFF', 0, 'ascii');
  const riffSize = spec.rf64 ? 0xffffffff : declared === data.length ? body.length : Math.min(0xffffffff, body.length - data.length + declared);
  riff.writeUInt32LE(riffSize >>> 0, 4);
  return Buffer.concat([riff, body]);
}

/** Bytes that look like nothing: no 0xFF (so no MPEG or FLAC frame sync can appear), no 'OggS'. */
function garbage(n: number, seed: number): Buffer {
  const rnd = lcg(seed);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 0x7f)));
}

/** Where a FLAC file's metadata blocks end (its first frame starts). */
function flacFramesStart(b: Buffer): number {
  let at = 4;
  for (;;) {
    const last = b[at] & 0x80;
    at += 4 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
    if (last) return at;
  }
}

/** The end of an Ogg stream's first two pages (the codec's identification and comment headers). */
function oggHeadersEnd(b: Buffer): number {
  let at = 0;
  for (let page = 0; page < 2; page++) {
    const segments = b[at + 26];
    let size = 27 + segments;
    for (let i = 0; i < segments; i++) size += b[at + 27 + i];
    at += size;
  }
  return at;
}

/** An ID3v2.3 tag of `bodyBytes` bytes (a TIT2 title frame and padding), as taggers put before MP3 audio. */
function id3Tag(bodyBytes: number): Buffer {
  const title = Buffer.from('\x00robustness corpus', 'latin1');
  const frame = Buffer.alloc(10);
  frame.write('TIT2', 0, 'ascii');
  frame.writeUInt32BE(title.length, 4);
  const body = Buffer.concat([frame, title, Buffer.alloc(Math.max(0, bodyBytes - 10 - title.length))]);
  const n = body.length;
  const head = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, (n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
  return Buffer.concat([head, body]);
}

// ---- the cases -------------------------------------------------------------------------------------------

/** Control clips (plain 16-bit WAV) so that a dataset of the corpus trains; not cases themselves. */
export const CONTROLS: { file: string; label: Label }[] = LABELS.flatMap((label) =>
  Array.from({ length: 6 }, (_, i) => ({ file: `${label}/control-${i + 1}.wav`, label })),
);

const LONG_NAME = `${'long-name-'.repeat(24)}x.wav`; // 245 characters (+ 'anger/'), near NAME_MAX (255 bytes)
export const NON_UTF8_DISPLAY = 'sadness/latin1-caf\\xe9.wav';

export const CASES: CorpusCase[] = [
  { id: 'zero-bytes', file: 'anger/zero-bytes.wav', label: 'anger', what: 'zero-byte file' },
  { id: 'text-as-wav', file: 'sadness/notes.wav', label: 'sadness', what: 'a text file named .wav' },
  { id: 'truncated-header', file: 'anger/truncated-header.wav', label: 'anger', what: 'WAV cut inside its header (30 bytes)' },
  { id: 'truncated-data', file: 'sadness/truncated-data.wav', label: 'sadness', what: 'WAV cut in the middle of its samples' },
  { id: 'header-claims-more', file: 'anger/claims-more.wav', label: 'anger', what: 'data chunk declares 10 MB, 8 KB present' },
  { id: 'data-size-ffffffff', file: 'sadness/streamed-ffffffff.wav', label: 'sadness', what: 'data size 0xFFFFFFFF (streamed writer)' },
  { id: 'rf64', file: 'anger/rf64.wav', label: 'anger', what: 'RF64 with a ds64 chunk' },
  { id: 'header-only', file: 'sadness/header-only.wav', label: 'sadness', what: 'WAV header with no samples (0 frames)' },
  { id: 'rate-0hz', file: 'anger/rate-0hz.wav', label: 'anger', what: 'sample rate 0 Hz' },
  { id: 'rate-1hz', file: 'sadness/rate-1hz.wav', label: 'sadness', what: 'sample rate 1 Hz' },
  { id: 'rate-1mhz', file: 'anger/rate-1mhz.wav', label: 'anger', what: 'sample rate 1 MHz' },
  { id: 'channels-0', file: 'sadness/channels-0.wav', label: 'sadness', what: '0 channels' },
  { id: 'channels-65', file: 'anger/channels-65.wav', label: 'anger', what: '65 channels' },
  { id: 'pcm-u8', file: 'sadness/pcm-u8.wav', label: 'sadness', what: '8-bit unsigned PCM' },
  { id: 'pcm-s24', file: 'anger/pcm-s24.wav', label: 'anger', what: '24-bit PCM' },
  { id: 'pcm-s32', file: 'sadness/pcm-s32.wav', label: 'sadness', what: '32-bit integer PCM' },
  { id: 'pcm-12bit', file: 'anger/pcm-12bit.wav', label: 'anger', what: '12-bit PCM (an unsupported depth)' },
  { id: 'float64', file: 'anger/float64.wav', label: 'anger', what: '64-bit float' },
  { id: 'float-nan', file: 'sadness/float-nan.wav', label: 'sadness', what: '32-bit float holding NaN samples' },
  { id: 'float-inf', file: 'anger/float-inf.wav', label: 'anger', what: '32-bit float holding +Inf/-Inf samples' },
  { id: 'extensible', file: 'sadness/extensible-s24.wav', label: 'sadness', what: 'WAVE_FORMAT_EXTENSIBLE (24-bit stereo)' },
  { id: 'alaw', file: 'anger/alaw.wav', label: 'anger', what: 'A-law' },
  { id: 'mulaw', file: 'sadness/mulaw.wav', label: 'sadness', what: 'mu-law' },
  { id: 'one-sample', file: 'anger/one-sample.wav', label: 'anger', what: 'a 1-sample clip' },
  { id: 'shorter-than-frame', file: 'sadness/shorter-than-frame.wav', label: 'sadness', what: 'a clip shorter than one analysis frame (60 ms)' },
  { id: 'silence', file: 'anger/silence.wav', label: 'anger', what: 'digital silence (all zeros)' },
  { id: 'clipping', file: 'sadness/clipping.wav', label: 'sadness', what: 'full-scale clipping (a square wave at ±1)' },
  { id: 'dc-offset', file: 'anger/dc-offset.wav', label: 'anger', what: 'DC offset only (a constant 0.5)' },
  { id: 'stereo-44k1', file: 'sadness/stereo-44k1.wav', label: 'sadness', what: 'stereo 44.1 kHz 16-bit (resampled, downmixed)' },
  { id: 'mp3-garbage-frames', file: 'anger/id3-garbage.mp3', label: 'anger', what: 'MP3: an ID3 tag, then garbage instead of frames' },
  { id: 'flac-garbage-frames', file: 'sadness/garbage-frames.flac', label: 'sadness', what: 'FLAC: valid STREAMINFO, garbage instead of frames' },
  { id: 'flac-random-streaminfo', file: 'anger/random-streaminfo.flac', label: 'anger', what: 'FLAC: random STREAMINFO, valid frames' },
  { id: 'ogg-garbage-pages', file: 'sadness/garbage-pages.ogg', label: 'sadness', what: 'Ogg Vorbis: headers, then garbage instead of audio pages' },
  { id: 'mp3-ok', file: 'anger/lossy.mp3', label: 'anger', what: 'a valid MP3 (control of the compressed path)' },
  { id: 'flac-ok', file: 'sadness/lossless.flac', label: 'sadness', what: 'a valid FLAC (control of the compressed path)' },
  { id: 'ogg-ok', file: 'anger/vorbis.ogg', label: 'anger', what: 'a valid Ogg Vorbis (control of the compressed path)' },
  { id: 'folder-named-wav', file: 'sadness/folder.wav/inside.wav', label: 'sadness', what: 'a folder named folder.wav (holding a clip)' },
  { id: 'symlink-file', file: 'anger/linked.wav', label: 'anger', what: 'a symbolic link to a WAV outside the dataset' },
  { id: 'symlink-folder', file: 'sadness/linked-folder/outside-clip.wav', label: 'sadness', what: 'a symbolic link to a folder outside the dataset' },
  { id: 'symlink-loop', file: 'anger/loop-a.wav', label: 'anger', what: 'two links pointing at each other (loop-a.wav, loop-b.wav)' },
  { id: 'symlink-folder-loop', file: 'sadness/again', label: 'sadness', what: 'a link to its own folder (a directory loop)' },
  { id: 'symlink-dangling', file: 'anger/dangling.wav', label: 'anger', what: 'a link to a file that does not exist' },
  { id: 'vanishes-before-read', file: 'sadness/vanishing.wav', label: 'sadness', what: 'a file deleted between scan and read (by the test)' },
  { id: 'vanishes-before-training', file: 'anger/gone-later.wav', label: 'anger', what: 'a file deleted after import, before training (by the test)' },
  { id: 'unreadable', file: 'sadness/no-permission.wav', label: 'sadness', what: 'a file without read permission (chmod 000)' },
  { id: 'non-utf8-name', file: NON_UTF8_DISPLAY, label: 'sadness', what: 'a file name that is not UTF-8 (Latin-1 é)' },
  { id: 'cyrillic-name', file: 'anger/гнев запись.wav', label: 'anger', what: 'a Cyrillic file name' },
  { id: 'space-name', file: 'sadness/with space  and  tabs.wav', label: 'sadness', what: 'spaces in the file name' },
  { id: 'long-name', file: `anger/${LONG_NAME}`, label: 'anger', what: 'a 245-character file name' },
  { id: 'long-30min', file: 'sadness/thirty-minutes.wav', label: 'sadness', what: 'a 30-minute WAV (16 kHz, 16-bit, 58 MB)', long: true },
];

/** Writes the corpus into `root` (created; must not exist or be empty). Returns the dataset folder. */
export function makeRobustnessCorpus(root: string, opts: { long?: boolean } = {}): { dataset: string; outside: string } {
  const dataset = path.join(root, 'dataset');
  const outside = path.join(root, 'outside');
  for (const l of LABELS) fs.mkdirSync(path.join(dataset, l), { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  const put = (rel: string, bytes: Buffer | string) => {
    const p = path.join(dataset, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, bytes);
  };
  const sec = (label: Label, seconds: number, sr: number, seed: number) => tone(label, seconds, sr, seed);

  CONTROLS.forEach((c, i) => put(c.file, wav({ signal: sec(c.label, 0.6, 16000, i + 1) })));

  const good = wav({ signal: sec('anger', 0.5, 16000, 40) });
  put('anger/zero-bytes.wav', Buffer.alloc(0));
  put('sadness/notes.wav', 'These are my notes for the session, not a recording.\n');
  put('anger/truncated-header.wav', good.subarray(0, 30));
  const truncated = wav({ signal: sec('sadness', 0.5, 16000, 41) });
  put('sadness/truncated-data.wav', truncated.subarray(0, 44 + 4001));
  put('anger/claims-more.wav', wav({ signal: sec('anger', 0.25, 16000, 42), declaredDataBytes: 10_000_000 }));
  put('sadness/streamed-ffffffff.wav', wav({ signal: sec('sadness', 0.5, 16000, 43), declaredDataBytes: 0xffffffff }));
  put('anger/rf64.wav', wav({ signal: sec('anger', 0.5, 16000, 44), rf64: true }));
  put('sadness/header-only.wav', wav({}));
  put('anger/rate-0hz.wav', wav({ sampleRate: 0, signal: sec('anger', 0.5, 16000, 45) }));
  put('sadness/rate-1hz.wav', wav({ sampleRate: 1, signal: sec('sadness', 0.5, 16000, 46) }));
  put('anger/rate-1mhz.wav', wav({ sampleRate: 1_000_000, signal: sec('anger', 0.5, 16000, 47) }));
  put('sadness/channels-0.wav', wav({ channels: 0, signal: sec('sadness', 0.5, 16000, 48) }));
  put('anger/channels-65.wav', wav({ channels: 65, signal: sec('anger', 0.05, 16000, 49) }));
  put('sadness/pcm-u8.wav', wav({ bits: 8, signal: sec('sadness', 0.5, 16000, 50) }));
  put('anger/pcm-s24.wav', wav({ bits: 24, signal: sec('anger', 0.5, 24000, 51), sampleRate: 24000 }));
  put('sadness/pcm-s32.wav', wav({ bits: 32, signal: sec('sadness', 0.5, 16000, 52) }));
  put('anger/pcm-12bit.wav', wav({ bits: 12, signal: sec('anger', 0.5, 16000, 53) }));
  put('anger/float64.wav', wav({ tag: 3, bits: 64, signal: sec('anger', 0.5, 22050, 54), sampleRate: 22050 }));
  const nan = sec('sadness', 0.5, 16000, 55);
  for (let i = 1000; i < nan.length; i += 997) nan[i] = Number.NaN;
  put('sadness/float-nan.wav', wav({ tag: 3, bits: 32, signal: nan }));
  const inf = sec('anger', 0.5, 16000, 56);
  inf[1234] = Number.POSITIVE_INFINITY;
  inf[4321] = Number.NEGATIVE_INFINITY;
  put('anger/float-inf.wav', wav({ tag: 3, bits: 32, signal: inf }));
  put('sadness/extensible-s24.wav', wav({ extensible: true, bits: 24, channels: 2, sampleRate: 48000, signal: [sec('sadness', 0.5, 48000, 57), sec('sadness', 0.5, 48000, 58)] }));
  put('anger/alaw.wav', wav({ tag: 6, bits: 8, sampleRate: 8000, signal: sec('anger', 0.5, 8000, 59) }));
  put('sadness/mulaw.wav', wav({ tag: 7, bits: 8, sampleRate: 8000, signal: sec('sadness', 0.5, 8000, 60) }));
  put('anger/one-sample.wav', wav({ signal: Float64Array.of(0.5) }));
  put('sadness/shorter-than-frame.wav', wav({ signal: sec('sadness', 0.06, 16000, 61) }));
  put('anger/silence.wav', wav({ signal: new Float64Array(8000) }));
  put('sadness/clipping.wav', wav({ signal: Float64Array.from({ length: 8000 }, (_, i) => (Math.floor(i / 40) % 2 ? 1 : -1)) }));
  put('anger/dc-offset.wav', wav({ signal: new Float64Array(8000).fill(0.5) }));
  put('sadness/stereo-44k1.wav', wav({ channels: 2, sampleRate: 44100, signal: [sec('sadness', 0.5, 44100, 62), sec('sadness', 0.5, 44100, 63)] }));

  // compressed files, from the committed fixtures
  const mp3 = fixture('lossy/mp3_48k_mono.mp3');
  const flac = fixture('formats/flac_s16_44k1_stereo.flac');
  const vorbis = fixture('lossy/vorbis_48k_mono.ogg');
  put('anger/id3-garbage.mp3', Buffer.concat([id3Tag(64), garbage(6000, 70)]));
  put('sadness/garbage-frames.flac', Buffer.concat([flac.subarray(0, flacFramesStart(flac)), garbage(8000, 71)]));
  const randomInfo = Buffer.from(flac);
  const rnd = lcg(72);
  for (let i = 8; i < 8 + 34; i++) randomInfo[i] = Math.floor(rnd() * 256);
  put('anger/random-streaminfo.flac', randomInfo);
  put('sadness/garbage-pages.ogg', Buffer.concat([vorbis.subarray(0, oggHeadersEnd(vorbis)), garbage(6000, 73)]));
  put('anger/lossy.mp3', mp3);
  put('sadness/lossless.flac', flac);
  put('anger/vorbis.ogg', vorbis);

  // folders, links and names
  put('sadness/folder.wav/inside.wav', wav({ signal: sec('sadness', 0.5, 16000, 80) }));
  fs.writeFileSync(path.join(outside, 'linked-target.wav'), wav({ signal: sec('anger', 0.5, 16000, 81) }));
  fs.symlinkSync(path.join('..', '..', 'outside', 'linked-target.wav'), path.join(dataset, 'anger', 'linked.wav'));
  fs.mkdirSync(path.join(outside, 'folder'));
  fs.writeFileSync(path.join(outside, 'folder', 'outside-clip.wav'), wav({ signal: sec('sadness', 0.5, 16000, 82) }));
  fs.symlinkSync(path.join('..', '..', 'outside', 'folder'), path.join(dataset, 'sadness', 'linked-folder'));
  fs.symlinkSync('loop-b.wav', path.join(dataset, 'anger', 'loop-a.wav'));
  fs.symlinkSync('loop-a.wav', path.join(dataset, 'anger', 'loop-b.wav'));
  fs.symlinkSync('.', path.join(dataset, 'sadness', 'again'));
  fs.symlinkSync(path.join('..', '..', 'outside', 'nothing-here.wav'), path.join(dataset, 'anger', 'dangling.wav'));
  put('sadness/vanishing.wav', wav({ signal: sec('sadness', 0.5, 16000, 83) }));
  put('anger/gone-later.wav', wav({ signal: sec('anger', 0.5, 16000, 84) }));
  put('sadness/no-permission.wav', wav({ signal: sec('sadness', 0.5, 16000, 85) }));
  fs.chmodSync(path.join(dataset, 'sadness', 'no-permission.wav'), 0o000);
  // a Latin-1 name: bytes that are not UTF-8, written through a Buffer path
  fs.writeFileSync(Buffer.concat([Buffer.from(path.join(dataset, 'sadness', 'latin1-caf')), Buffer.from([0xe9]), Buffer.from('.wav')]), wav({ signal: sec('sadness', 0.5, 16000, 86) }));
  put('anger/гнев запись.wav', wav({ signal: sec('anger', 0.5, 16000, 87) }));
  put('sadness/with space  and  tabs.wav', wav({ signal: sec('sadness', 0.5, 16000, 88) }));
  put(`anger/${LONG_NAME}`, wav({ signal: sec('anger', 0.5, 16000, 89) }));

  if (opts.long) writeLongWav(path.join(dataset, 'sadness', 'thirty-minutes.wav'), 30 * 60, 16000);
  return { dataset, outside };
}

/** A long 16-bit mono WAV written a second at a time (never the whole signal in memory). */
export function writeLongWav(file: string, seconds: number, sampleRate: number): void {
  const frames = seconds * sampleRate;
  const head = wav({ sampleRate, signal: new Float64Array(0), declaredDataBytes: frames * 2 });
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, head);
    const second = tone('sadness', 1, sampleRate, 90);
    const bytes = Buffer.alloc(sampleRate * 2);
    for (let s = 0; s < seconds; s++) {
      const gain = 0.5 + 0.5 * Math.sin((2 * Math.PI * s) / 60); // a slow swell, so the minutes differ
      for (let i = 0; i < sampleRate; i++) bytes.writeInt16LE(Math.round(second[i] * gain * 32767), i * 2);
      fs.writeSync(fd, bytes);
    }
  } finally {
    fs.closeSync(fd);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npx tsx scripts/make-robustness-corpus.ts OUT [--long]');
    process.exit(2);
  }
  const { dataset } = makeRobustnessCorpus(path.resolve(out), { long: process.argv.includes('--long') });
  console.log(`${CASES.filter((c) => !c.long || process.argv.includes('--long')).length} cases and ${CONTROLS.length} control clips in ${dataset}`);
}
