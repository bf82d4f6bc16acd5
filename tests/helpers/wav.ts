import { readFileSync } from 'node:fs';

/** Minimal RIFF/WAVE reader for test fixtures: PCM 16-bit or float32, channels averaged (librosa mono). */
export function readWavMono(file: string): { sampleRate: number; samples: Float32Array } {
  const buf = readFileSync(file);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file}: not a WAVE file`);
  let pos = 12;
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = dv.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      format = dv.getUint16(body, true);
      channels = dv.getUint16(body + 2, true);
      sampleRate = dv.getUint32(body + 4, true);
      bits = dv.getUint16(body + 14, true);
      if (format === 0xfffe) format = dv.getUint16(body + 24, true);
    } else if (id === 'data') {
      const bytesPer = bits / 8;
      const n = Math.floor(Math.min(size, buf.length - body) / (bytesPer * channels));
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let c = 0; c < channels; c++) {
          const at = body + (i * channels + c) * bytesPer;
          if (format === 1 && bits === 16) acc += dv.getInt16(at, true) / 32768;
          else if (format === 3 && bits === 32) acc += dv.getFloat32(at, true);
          else throw new Error(`${file}: unsupported format ${format}/${bits}`);
        }
        out[i] = channels === 1 ? acc : Math.fround(acc / channels);
      }
      return { sampleRate, samples: out };
    }
    pos = body + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}
