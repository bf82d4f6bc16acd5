import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

const AUDIO_MIME: Record<string, string> = {
  wav: 'audio/wav',
  flac: 'audio/flac',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
};

export function audioMime(container: string): string {
  return AUDIO_MIME[container] ?? 'application/octet-stream';
}

/** By file extension, for files a classify run read (it records no container). */
export function audioMimeOfFile(file: string): string {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return audioMime(ext === 'oga' ? 'ogg' : ext);
}

/** Streams one file with HTTP Range support (browsers seek <audio> with Range requests). */
export function sendFileRange(req: IncomingMessage, res: ServerResponse, file: string, mime: string, headers: Record<string, string> = {}): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('the file is gone from disk');
    return;
  }
  const range = req.headers.range ? /^bytes=(\d*)-(\d*)$/.exec(req.headers.range) : null;
  if (range && (range[1] || range[2])) {
    let start = range[1] ? Number(range[1]) : size - Number(range[2]);
    let end = range[1] && range[2] ? Number(range[2]) : size - 1;
    start = Math.max(0, start);
    end = Math.min(end, size - 1);
    if (start > end) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, {
      ...headers,
      'content-type': mime,
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${size}`,
      'accept-ranges': 'bytes',
    });
    fs.createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { ...headers, 'content-type': mime, 'content-length': size, 'accept-ranges': 'bytes' });
  fs.createReadStream(file).pipe(res);
}
