/** Why a file could not be used as audio; the code is stable, the message is a sentence for people. */
import type { ErrorCode } from '../../shared/errors';

export type AudioErrorCode = Extract<ErrorCode, 'empty' | 'unsupported_format' | 'truncated' | 'corrupt' | 'unreadable' | 'implausible_header' | 'not_finite' | 'too_long' | 'link_loop'>;

export class AudioError extends Error {
  readonly code: AudioErrorCode;
  readonly file: string | undefined;

  constructor(code: AudioErrorCode, message: string, file?: string) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'AudioError';
    this.code = code;
    this.file = file;
  }
}

/** The first bytes of a file as people read them in an error ("starts with 'ID3'"). */
export function describeStart(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 4);
  if (head.length === 0) return 'is empty';
  const printable = Array.from(head).every((b) => b >= 0x20 && b < 0x7f);
  if (printable) return `starts with '${String.fromCharCode(...head)}'`;
  return `starts with bytes ${Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

/** A failed read of `file` (missing, a folder, no permission...) as an 'unreadable' AudioError. */
export function unreadable(file: string, err: unknown): AudioError {
  const code = (err as { code?: string })?.code;
  if (code === 'ELOOP') return new AudioError('link_loop', 'a symbolic link that leads back to itself (a loop of links), so there is no file to read', file);
  const why =
    code === 'ENOENT' ? 'file not found' :
    code === 'EACCES' || code === 'EPERM' ? 'permission denied' :
    code === 'EISDIR' ? 'is a folder, not a file' :
    `cannot be read (${(err as Error)?.message ?? String(err)})`;
  return new AudioError('unreadable', why, file);
}
