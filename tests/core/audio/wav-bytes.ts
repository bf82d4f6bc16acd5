/** Builds WAV files byte by byte for header edge cases (odd chunks, extensible, truncation). */
export interface WavSpec {
  formatTag?: number;
  channels?: number;
  sampleRate?: number;
  bitsPerSample?: number;
  /** WAVE_FORMAT_EXTENSIBLE wrapping `formatTag` as its sub-format. */
  extensible?: boolean;
  validBits?: number;
  /** Chunks inserted between fmt and data (id, body). */
  extraChunks?: { id: string; body: Uint8Array; omitPad?: boolean }[];
  data: Uint8Array;
  /** Data size written in the header (defaults to data.length). */
  declaredDataBytes?: number;
}

function chunk(id: string, body: Uint8Array, omitPad = false): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  const pad = body.length & 1 && !omitPad ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([head, Buffer.from(body), pad]);
}

export function buildWav(spec: WavSpec): Buffer {
  const tag = spec.formatTag ?? 1;
  const ch = spec.channels ?? 1;
  const sr = spec.sampleRate ?? 16000;
  const bits = spec.bitsPerSample ?? 16;
  const blockAlign = ch * (bits / 8);
  const fmt = Buffer.alloc(spec.extensible ? 40 : 16);
  fmt.writeUInt16LE(spec.extensible ? 0xfffe : tag, 0);
  fmt.writeUInt16LE(ch, 2);
  fmt.writeUInt32LE(sr, 4);
  fmt.writeUInt32LE(sr * blockAlign, 8);
  fmt.writeUInt16LE(blockAlign, 12);
  fmt.writeUInt16LE(bits, 14);
  if (spec.extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(spec.validBits ?? bits, 18);
    fmt.writeUInt32LE(ch === 2 ? 3 : 4, 20);
    // KSDATAFORMAT_SUBTYPE_*: {0000xxxx-0000-0010-8000-00aa00389b71}
    fmt.writeUInt16LE(tag, 24);
    Buffer.from([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]).copy(fmt, 26);
  }
  const parts = [chunk('fmt ', fmt), ...(spec.extraChunks ?? []).map((c) => chunk(c.id, c.body, c.omitPad))];
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 'ascii');
  dataHead.writeUInt32LE(spec.declaredDataBytes ?? spec.data.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE'), ...parts, dataHead, Buffer.from(spec.data)]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

export function int16Bytes(values: number[]): Uint8Array {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeInt16LE(v, i * 2));
  return b;
}

export function int24Bytes(values: number[]): Uint8Array {
  const b = Buffer.alloc(values.length * 3);
  values.forEach((v, i) => b.writeIntLE(v, i * 3, 3));
  return b;
}
