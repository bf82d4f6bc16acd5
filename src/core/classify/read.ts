/**
 * One pass over each input file before its features are extracted: the sha256 (the feature cache's key) and
 * the probe (duration, sample rate; empty, truncated and non-audio files fail here, with the codes import
 * uses). Clips are read into memory once for both; a file over IN_MEMORY_LIMIT is hashed as a stream while
 * its head is kept for the probe, and only a large compressed file (whose length needs a decode) is read again.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { AudioError, unreadable } from '../audio/errors';
import { probeHead, type AudioProbe } from '../audio/probe';

const IN_MEMORY_LIMIT = 64 * 1024 * 1024;
const HEAD_BYTES = 64 * 1024;

export interface ReadFile {
  sha256: string;
  probe: AudioProbe;
}

/** Hashes and probes `absPath`; errors are AudioErrors naming the file as `name`. */
export async function readAudioFile(absPath: string, name: string): Promise<ReadFile> {
  let size: number;
  try {
    const st = await fs.promises.stat(absPath);
    if (st.isDirectory()) throw new AudioError('unreadable', 'is a folder, not a file', name);
    size = st.size;
  } catch (err) {
    if (err instanceof AudioError) throw err;
    throw unreadable(name, err);
  }
  if (size === 0) throw new AudioError('empty', 'the file is empty (0 bytes)', name);
  const readAll = async (): Promise<Uint8Array> => {
    try {
      return await fs.promises.readFile(absPath);
    } catch (err) {
      throw unreadable(name, err);
    }
  };
  if (size <= IN_MEMORY_LIMIT) {
    // Clips are small: a synchronous read skips the promise and thread-pool hops (~0.3 ms a file, as in
    // audio/decode.ts), and nothing else waits on this thread while the files are read.
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(absPath);
    } catch (err) {
      throw unreadable(name, err);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { sha256, probe: await probeHead(bytes, bytes.length, name, async () => bytes) };
  }
  const { sha256, head } = await hashStreaming(absPath, name);
  return { sha256, probe: await probeHead(head, size, name, readAll) };
}

function hashStreaming(absPath: string, name: string): Promise<{ sha256: string; head: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    const parts: Buffer[] = [];
    let kept = 0;
    const s = fs.createReadStream(absPath, { highWaterMark: 1 << 20 });
    s.on('data', (chunk) => {
      const b = chunk as Buffer;
      h.update(b);
      if (kept < HEAD_BYTES) {
        parts.push(b.subarray(0, HEAD_BYTES - kept));
        kept += Math.min(b.length, HEAD_BYTES - kept);
      }
    });
    s.on('error', (err) => reject(unreadable(name, err)));
    s.on('end', () => resolve({ sha256: h.digest('hex'), head: Buffer.concat(parts) }));
  });
}
