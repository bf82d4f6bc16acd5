import type { Envelope, ProgressEvent } from '../shared/contract';

/** Messages between the Electron main process and the engine utility process. */
export type EngineRequest =
  | { kind: 'call'; id: number; channel: string; input: unknown }
  | { kind: 'clipFile'; id: number; clipId: number }
  | { kind: 'classifiedFile'; id: number; runId: number; idx: number };

export type EngineReply =
  | { kind: 'ready'; workspace: string }
  | { kind: 'reply'; id: number; envelope: Envelope<unknown> }
  | { kind: 'clipFile'; id: number; path: string | null; container: string | null }
  | { kind: 'classifiedFile'; id: number; path: string | null }
  | { kind: 'progress'; event: ProgressEvent };
