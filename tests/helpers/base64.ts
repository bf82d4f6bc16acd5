/** Little-endian float32 values stored as base64 in JSON fixtures (numpy `.astype('<f4').tobytes()`). */
export function f32FromBase64(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(4 * i);
  return out;
}
