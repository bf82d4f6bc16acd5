/**
 * A deterministic, format-aware mutator for decoder fuzzing: the same (seed file, case seed) always gives the
 * same bytes, so any case a run reports can be regenerated and shrunk. It knows where the header fields of
 * WAV/RF64, FLAC, MP3 and Ogg (Vorbis/Opus) sit, which byte ranges are chunks / metadata blocks / frames / pages,
 * and mutates them: bit flips, bytes set to boundary values, fields set to 0/1/0x7fffffff/0xffffffff/max,
 * truncations at field boundaries, duplicated/removed/swapped regions, splices from other seeds. Ogg pages get
 * their CRC recomputed most of the time so that decoders look past the page checksum.
 */
import { mulberry32 } from '../../../helpers/mulberry32';

export type SeedFormat = 'wav' | 'flac' | 'mp3' | 'ogg';

export interface Seed {
  name: string;
  format: SeedFormat;
  bytes: Uint8Array;
}

/** A header field: where it is, how wide (bytes), little- or big-endian, and what it is (for reports). */
export interface Field {
  at: number;
  width: 1 | 2 | 3 | 4 | 8;
  le: boolean;
  name: string;
  /** A size/length field: the boundary values matter most. */
  size?: boolean;
}

/** A structural unit (chunk, metadata block, frame, page) that may be duplicated, removed or swapped. */
export interface Region {
  start: number;
  end: number;
  name: string;
}

export interface Structure {
  fields: Field[];
  regions: Region[];
}

// ---------------------------------------------------------------------------------------------------------------
// randomness

export const rng = mulberry32;

/** A case's own seed from the run's seed and the case index (splitmix-style mixing). */
export function caseSeed(runSeed: number, index: number): number {
  let z = (Math.imul(runSeed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

const int = (r: () => number, n: number) => Math.floor(r() * n);
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[int(r, xs.length)];

// ---------------------------------------------------------------------------------------------------------------
// structure of each format

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const u32le = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

function wavStructure(b: Uint8Array): Structure {
  const fields: Field[] = [
    { at: 0, width: 4, le: false, name: 'RIFF id' },
    { at: 4, width: 4, le: true, name: 'RIFF size', size: true },
    { at: 8, width: 4, le: false, name: 'WAVE id' },
  ];
  const regions: Region[] = [];
  let at = 12;
  while (at + 8 <= b.length) {
    const id = ascii(b, at, 4);
    const size = u32le(b, at + 4);
    const body = at + 8;
    fields.push({ at, width: 4, le: false, name: `${id} id` }, { at: at + 4, width: 4, le: true, name: `${id} size`, size: true });
    if (id === 'fmt ') {
      const f = (o: number, width: 1 | 2 | 4, name: string, size = false) => body + o + width <= b.length && fields.push({ at: body + o, width, le: true, name, size });
      f(0, 2, 'fmt tag');
      f(2, 2, 'fmt channels');
      f(4, 4, 'fmt sample rate');
      f(8, 4, 'fmt byte rate');
      f(12, 2, 'fmt block align', true);
      f(14, 2, 'fmt bits');
      if (size >= 18) f(16, 2, 'fmt cbSize', true);
      if (size >= 40) {
        f(18, 2, 'fmt valid bits');
        f(20, 4, 'fmt channel mask');
        f(24, 2, 'fmt sub-format');
      }
    } else if (id === 'ds64') {
      for (const [o, name] of [[0, 'ds64 riff size'], [8, 'ds64 data size'], [16, 'ds64 sample count']] as const) {
        if (body + o + 8 <= b.length) fields.push({ at: body + o, width: 8, le: true, name, size: true });
      }
    }
    const end = Math.min(b.length, body + size + (size & 1));
    regions.push({ start: at, end, name: `chunk '${id}'` });
    if (id === 'data' || end <= at) break;
    at = end;
  }
  return { fields, regions };
}

function flacStructure(b: Uint8Array): Structure {
  const fields: Field[] = [{ at: 0, width: 4, le: false, name: 'fLaC id' }];
  const regions: Region[] = [];
  let at = 4;
  for (;;) {
    if (at + 4 > b.length) return { fields, regions };
    const last = (b[at] & 0x80) !== 0;
    const type = b[at] & 0x7f;
    const len = (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
    fields.push({ at, width: 1, le: false, name: `block ${type} header` }, { at: at + 1, width: 3, le: false, name: `block ${type} length`, size: true });
    if (type === 0) {
      const s = at + 4;
      fields.push(
        { at: s, width: 2, le: false, name: 'min block size', size: true },
        { at: s + 2, width: 2, le: false, name: 'max block size', size: true },
        { at: s + 4, width: 3, le: false, name: 'min frame size', size: true },
        { at: s + 7, width: 3, le: false, name: 'max frame size', size: true },
        { at: s + 10, width: 3, le: false, name: 'sample rate (20 bits) + channels' },
        { at: s + 12, width: 2, le: false, name: 'channels + bits per sample' },
        { at: s + 13, width: 1, le: false, name: 'bits + total samples (high)' },
        { at: s + 14, width: 4, le: false, name: 'total samples', size: true },
      );
    }
    regions.push({ start: at, end: Math.min(b.length, at + 4 + len), name: `metadata block ${type}` });
    at += 4 + len;
    if (last) break;
  }
  // frames: 0xFFF8/0xFFF9 sync codes after the metadata
  const syncs: number[] = [];
  for (let i = at; i + 1 < b.length; i++) if (b[i] === 0xff && (b[i + 1] & 0xfe) === 0xf8) syncs.push(i);
  for (let k = 0; k < syncs.length; k++) {
    const s = syncs[k];
    if (k < 2) {
      fields.push(
        { at: s + 1, width: 1, le: false, name: `frame ${k} blocking strategy` },
        { at: s + 2, width: 1, le: false, name: `frame ${k} block size/rate codes` },
        { at: s + 3, width: 1, le: false, name: `frame ${k} channels/sample size` },
        { at: s + 4, width: 1, le: false, name: `frame ${k} number` },
      );
    }
    regions.push({ start: s, end: k + 1 < syncs.length ? syncs[k + 1] : b.length, name: `frame ${k}` });
  }
  return { fields: fields.filter((f) => f.at + f.width <= b.length), regions };
}

const MP3_BITRATES_V1L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_RATES_V1 = [44100, 48000, 32000];

function mp3Structure(b: Uint8Array): Structure {
  const fields: Field[] = [];
  const regions: Region[] = [];
  let at = 0;
  if (b.length >= 10 && ascii(b, 0, 3) === 'ID3') {
    const size = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
    fields.push({ at: 0, width: 3, le: false, name: 'ID3 id' }, { at: 5, width: 1, le: false, name: 'ID3 flags' }, { at: 6, width: 4, le: false, name: 'ID3 size (syncsafe)', size: true });
    regions.push({ start: 0, end: Math.min(b.length, 10 + size), name: 'ID3v2 tag' });
    at = 10 + size;
  }
  let k = 0;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) {
      at++;
      continue;
    }
    const version = (b[at + 1] >> 3) & 3;
    const bitrate = MP3_BITRATES_V1L3[b[at + 2] >> 4] ?? 0;
    const rate = version === 3 ? MP3_RATES_V1[(b[at + 2] >> 2) & 3] : version === 2 ? MP3_RATES_V1[(b[at + 2] >> 2) & 3] / 2 : MP3_RATES_V1[(b[at + 2] >> 2) & 3] / 4;
    if (!bitrate || !rate) {
      at++;
      continue;
    }
    const padding = (b[at + 2] >> 1) & 1;
    const len = Math.floor(((version === 3 ? 144 : 72) * bitrate * 1000) / rate) + padding;
    if (k < 2) {
      fields.push(
        { at, width: 2, le: false, name: `frame ${k} sync/version/layer` },
        { at: at + 2, width: 1, le: false, name: `frame ${k} bitrate/rate/padding` },
        { at: at + 3, width: 1, le: false, name: `frame ${k} mode` },
      );
      // A Xing/Info header (frames and bytes counts) in the first frame.
      for (const tag of ['Xing', 'Info']) {
        const x = indexOf(b, tag, at, Math.min(b.length, at + 64));
        if (x >= 0) fields.push({ at: x + 4, width: 4, le: false, name: 'Xing flags' }, { at: x + 8, width: 4, le: false, name: 'Xing frames', size: true }, { at: x + 12, width: 4, le: false, name: 'Xing bytes', size: true });
      }
    }
    regions.push({ start: at, end: Math.min(b.length, at + len), name: `frame ${k}` });
    k++;
    at += Math.max(1, len);
  }
  return { fields: fields.filter((f) => f.at + f.width <= b.length), regions };
}

function indexOf(b: Uint8Array, s: string, from: number, to: number): number {
  outer: for (let i = from; i + s.length <= to; i++) {
    for (let j = 0; j < s.length; j++) if (b[i + j] !== s.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

interface OggPage {
  at: number;
  headerLen: number;
  end: number;
}

function oggPages(b: Uint8Array): OggPage[] {
  const pages: OggPage[] = [];
  let at = 0;
  while (at + 27 <= b.length && ascii(b, at, 4) === 'OggS') {
    const nseg = b[at + 26];
    const headerLen = 27 + nseg;
    if (at + headerLen > b.length) break;
    let body = 0;
    for (let i = 0; i < nseg; i++) body += b[at + 27 + i];
    const end = at + headerLen + body;
    if (end > b.length) break;
    pages.push({ at, headerLen, end });
    at = end;
  }
  return pages;
}

function oggStructure(b: Uint8Array): Structure {
  const fields: Field[] = [];
  const regions: Region[] = [];
  oggPages(b).forEach((p, k) => {
    regions.push({ start: p.at, end: p.end, name: `page ${k}` });
    if (k >= 3) return;
    fields.push(
      { at: p.at + 4, width: 1, le: true, name: `page ${k} version` },
      { at: p.at + 5, width: 1, le: true, name: `page ${k} header type` },
      { at: p.at + 6, width: 8, le: true, name: `page ${k} granule position`, size: true },
      { at: p.at + 14, width: 4, le: true, name: `page ${k} serial` },
      { at: p.at + 18, width: 4, le: true, name: `page ${k} sequence` },
      { at: p.at + 26, width: 1, le: true, name: `page ${k} segments`, size: true },
    );
    if (p.headerLen > 27) fields.push({ at: p.at + 27, width: 1, le: true, name: `page ${k} first lacing value`, size: true });
    const body = p.at + p.headerLen;
    if (k === 0 && b[body] === 0x01 && ascii(b, body + 1, 6) === 'vorbis') {
      fields.push(
        { at: body + 7, width: 4, le: true, name: 'vorbis version' },
        { at: body + 11, width: 1, le: true, name: 'vorbis channels' },
        { at: body + 12, width: 4, le: true, name: 'vorbis sample rate' },
        { at: body + 16, width: 4, le: true, name: 'vorbis bitrate max' },
        { at: body + 28, width: 1, le: true, name: 'vorbis block sizes' },
      );
    }
    if (k === 0 && ascii(b, body, 8) === 'OpusHead') {
      fields.push(
        { at: body + 8, width: 1, le: true, name: 'opus version' },
        { at: body + 9, width: 1, le: true, name: 'opus channels' },
        { at: body + 10, width: 2, le: true, name: 'opus pre-skip', size: true },
        { at: body + 12, width: 4, le: true, name: 'opus input rate' },
        { at: body + 16, width: 2, le: true, name: 'opus output gain' },
        { at: body + 18, width: 1, le: true, name: 'opus mapping family' },
      );
    }
  });
  return { fields: fields.filter((f) => f.at + f.width <= b.length), regions };
}

export function structureOf(format: SeedFormat, b: Uint8Array): Structure {
  const s = format === 'wav' ? wavStructure(b) : format === 'flac' ? flacStructure(b) : format === 'mp3' ? mp3Structure(b) : oggStructure(b);
  // (a file already cut short by an earlier mutation holds only part of its header)
  return { fields: s.fields.filter((f) => f.at + f.width <= b.length), regions: s.regions };
}

// ---------------------------------------------------------------------------------------------------------------
// Ogg CRC (polynomial 0x04c11db7, no reflection, init 0), so that a mutated page still passes its checksum.

const OGG_CRC = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** Recomputes the CRC of every complete Ogg page in `b`, in place. */
export function fixOggCrcs(b: Uint8Array): void {
  for (const p of oggPages(b)) {
    b.fill(0, p.at + 22, p.at + 26);
    let crc = 0;
    for (let i = p.at; i < p.end; i++) crc = ((crc << 8) ^ OGG_CRC[((crc >>> 24) ^ b[i]) & 0xff]) >>> 0;
    b[p.at + 22] = crc & 0xff;
    b[p.at + 23] = (crc >>> 8) & 0xff;
    b[p.at + 24] = (crc >>> 16) & 0xff;
    b[p.at + 25] = (crc >>> 24) & 0xff;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// mutations

function writeField(b: Uint8Array, f: Field, value: bigint): void {
  for (let i = 0; i < f.width; i++) {
    const byte = Number((value >> BigInt(8 * i)) & 0xffn);
    b[f.le ? f.at + i : f.at + f.width - 1 - i] = byte;
  }
}

function readField(b: Uint8Array, f: Field): bigint {
  let v = 0n;
  for (let i = 0; i < f.width; i++) v |= BigInt(b[f.le ? f.at + i : f.at + f.width - 1 - i]) << BigInt(8 * i);
  return v;
}

/** The values a field is set to: the boundaries that break size arithmetic, and small perturbations. */
export function specialValues(f: Field): bigint[] {
  const max = (1n << BigInt(8 * f.width)) - 1n;
  const vals = [0n, 1n, 2n, max, max >> 1n, (max >> 1n) + 1n];
  if (f.width >= 4) vals.push(0x7fffffffn, 0xffffffffn, 0x80000000n, 0xfffffff0n);
  if (f.width === 8) vals.push(0x100000000n, 0xffffffffffn);
  return [...new Set(vals.map((v) => v & max))];
}

const BOUNDARY_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];

export type Op =
  | 'bitflip'
  | 'boundary-byte'
  | 'field'
  | 'truncate-field'
  | 'truncate'
  | 'dup-region'
  | 'drop-region'
  | 'swap-regions'
  | 'splice'
  | 'insert-random'
  | 'delete-range';

const OPS: readonly Op[] = ['bitflip', 'boundary-byte', 'field', 'field', 'truncate-field', 'truncate', 'dup-region', 'drop-region', 'swap-regions', 'splice', 'insert-random', 'delete-range'];

/** A position biased toward the start of the file, where the headers are. */
function position(r: () => number, len: number): number {
  if (len <= 1) return 0;
  return r() < 0.5 ? int(r, Math.min(len, 512)) : int(r, len);
}

function applyOp(op: Op, b: Uint8Array, seed: Seed, others: readonly Seed[], r: () => number): { bytes: Uint8Array; what: string } {
  const s = structureOf(seed.format, b);
  switch (op) {
    case 'bitflip': {
      const out = b.slice();
      const k = 1 + int(r, 8);
      for (let i = 0; i < k && out.length; i++) out[position(r, out.length)] ^= 1 << int(r, 8);
      return { bytes: out, what: `${k} bit flip(s)` };
    }
    case 'boundary-byte': {
      const out = b.slice();
      const k = 1 + int(r, 4);
      for (let i = 0; i < k && out.length; i++) out[position(r, out.length)] = pick(r, BOUNDARY_BYTES);
      return { bytes: out, what: `${k} byte(s) set to boundary values` };
    }
    case 'field': {
      if (!s.fields.length) return applyOp('bitflip', b, seed, others, r);
      const f = pick(r, s.fields);
      const out = b.slice();
      const old = readField(out, f);
      const max = (1n << BigInt(8 * f.width)) - 1n;
      const choices = [...specialValues(f), (old + 1n) & max, (old - 1n) & max, (old * 2n) & max, old >> 1n, BigInt(Math.floor(r() * 2 ** 32)) & max];
      const v = f.size && r() < 0.6 ? pick(r, specialValues(f)) : pick(r, choices);
      writeField(out, f, v);
      return { bytes: out, what: `${f.name} = 0x${v.toString(16)}` };
    }
    case 'truncate-field': {
      if (!s.fields.length) return applyOp('truncate', b, seed, others, r);
      const f = pick(r, s.fields);
      const at = Math.max(0, Math.min(b.length, pick(r, [f.at, f.at + 1, f.at + f.width - 1, f.at + f.width, f.at + f.width + 1])));
      return { bytes: b.slice(0, at), what: `truncated at ${at} (${f.name})` };
    }
    case 'truncate': {
      const at = int(r, b.length + 1);
      return { bytes: b.slice(0, at), what: `truncated at ${at}` };
    }
    case 'dup-region': {
      if (!s.regions.length) return applyOp('splice', b, seed, others, r);
      const g = pick(r, s.regions);
      const out = concat(b.subarray(0, g.end), b.subarray(g.start, g.end), b.subarray(g.end));
      return { bytes: out, what: `${g.name} duplicated` };
    }
    case 'drop-region': {
      if (!s.regions.length) return applyOp('delete-range', b, seed, others, r);
      const g = pick(r, s.regions);
      return { bytes: concat(b.subarray(0, g.start), b.subarray(g.end)), what: `${g.name} removed` };
    }
    case 'swap-regions': {
      if (s.regions.length < 2) return applyOp('dup-region', b, seed, others, r);
      const i = int(r, s.regions.length - 1);
      const [x, y] = [s.regions[i], s.regions[i + 1]];
      if (x.end > y.start) return applyOp('drop-region', b, seed, others, r);
      const out = concat(b.subarray(0, x.start), b.subarray(y.start, y.end), b.subarray(x.end, y.start), b.subarray(x.start, x.end), b.subarray(y.end));
      return { bytes: out, what: `${x.name} and ${y.name} swapped` };
    }
    case 'splice': {
      const donor = pick(r, others.length ? others : [seed]).bytes;
      const from = position(r, donor.length);
      const n = Math.min(donor.length - from, 1 + int(r, 256));
      const at = position(r, b.length);
      const piece = donor.subarray(from, from + n);
      const out = r() < 0.5 ? concat(b.subarray(0, at), piece, b.subarray(at)) : concat(b.subarray(0, at), piece, b.subarray(Math.min(b.length, at + n)));
      return { bytes: out, what: `${n} bytes spliced in at ${at}` };
    }
    case 'insert-random': {
      const n = 1 + int(r, 64);
      const piece = Uint8Array.from({ length: n }, () => int(r, 256));
      const at = position(r, b.length);
      return { bytes: concat(b.subarray(0, at), piece, b.subarray(at)), what: `${n} random bytes inserted at ${at}` };
    }
    case 'delete-range': {
      const at = position(r, b.length);
      const n = 1 + int(r, 64);
      return { bytes: concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + n))), what: `${n} bytes deleted at ${at}` };
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface FuzzCase {
  /** Index in the run (what a report names, with the run's seed). */
  index: number;
  seed: string;
  format: SeedFormat;
  bytes: Uint8Array;
  /** The mutations applied, in words. */
  what: string[];
}

/**
 * The systematic cases of one seed: a truncation at both edges of every header field, then every header field
 * set to each of its boundary values. Deterministic and independent of any random seed.
 */
export function systematicCases(seed: Seed): { bytes: Uint8Array; what: string }[] {
  const { fields } = structureOf(seed.format, seed.bytes);
  const out: { bytes: Uint8Array; what: string }[] = [];
  const cuts = new Set<number>();
  for (const f of fields) for (const at of [f.at, f.at + f.width]) if (at < seed.bytes.length) cuts.add(at);
  for (const at of [...cuts].sort((a, b) => a - b)) out.push({ bytes: seed.bytes.slice(0, at), what: `truncated at ${at}` });
  for (const f of fields) {
    for (const v of specialValues(f)) {
      const b = seed.bytes.slice();
      writeField(b, f, v);
      if (seed.format === 'ogg') fixOggCrcs(b);
      out.push({ bytes: b, what: `${f.name} = 0x${v.toString(16)}` });
    }
  }
  return out;
}

/** One random case: 1 to 3 stacked mutations of a seed picked by the case's seed. */
export function randomCase(seeds: readonly Seed[], seedValue: number): { seed: Seed; bytes: Uint8Array; what: string[] } {
  const r = rng(seedValue);
  const seed = pick(r, seeds);
  const others = seeds.filter((s) => s !== seed);
  let bytes: Uint8Array = seed.bytes;
  const what: string[] = [];
  const n = 1 + int(r, r() < 0.7 ? 1 : 3);
  for (let i = 0; i < n; i++) {
    const m = applyOp(pick(r, OPS), bytes, seed, others, r);
    bytes = m.bytes;
    what.push(m.what);
  }
  if (seed.format === 'ogg' && r() < 0.75) {
    bytes = bytes.slice();
    fixOggCrcs(bytes);
    what.push('Ogg CRCs recomputed');
  }
  return { seed, bytes, what };
}

/**
 * The run's case list, lazily: systematic cases of every seed first (in seed order), then random ones. Case `i`
 * of a run is fully determined by (seeds, runSeed, i).
 */
export class CaseList {
  private readonly systematic: { seed: Seed; bytes: Uint8Array; what: string }[];

  constructor(
    private readonly seeds: readonly Seed[],
    private readonly runSeed: number,
  ) {
    this.systematic = seeds.flatMap((s) => systematicCases(s).map((c) => ({ seed: s, ...c })));
  }

  get systematicCount(): number {
    return this.systematic.length;
  }

  get(index: number): FuzzCase {
    if (index < this.systematic.length) {
      const c = this.systematic[index];
      return { index, seed: c.seed.name, format: c.seed.format, bytes: c.bytes, what: [c.what] };
    }
    const c = randomCase(this.seeds, caseSeed(this.runSeed, index));
    return { index, seed: c.seed.name, format: c.seed.format, bytes: c.bytes, what: c.what };
  }
}
