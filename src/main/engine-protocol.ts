import type { Envelope, ProgressEvent } from '../shared/contract';
import type { ErrorCode } from '../shared/errors';
import type { SettingsPatch } from '../shared/settings';

/** What the engine asks of the shell: the things only the main process has (a native dialog, the user's settings file). */
export type ShellRequest = { op: 'pickFolder' } | { op: 'settings:get' } | { op: 'settings:set'; patch: SettingsPatch };

/** Main -> engine: contract calls, file look-ups for the audio protocol, and the answers to the engine's ShellRequests. */
export type EngineRequest =
  | { kind: 'call'; id: number; channel: string; input: unknown }
  | { kind: 'clipFile'; id: number; clipId: number }
  | { kind: 'classifiedFile'; id: number; runId: number; idx: number }
  | { kind: 'shell-reply'; id: number; result: { ok: true; value: unknown } | { ok: false; error: { code: ErrorCode; message: string } } };

/** Engine -> main: ready (or why it could not open the workspace), replies by id, progress, and requests to the shell. */
export type EngineReply =
  | { kind: 'ready'; workspace: string }
  | { kind: 'failed'; error: { code: ErrorCode; message: string } }
  | { kind: 'reply'; id: number; envelope: Envelope<unknown> }
  | { kind: 'clipFile'; id: number; path: string | null; container: string | null }
  | { kind: 'classifiedFile'; id: number; path: string | null }
  | { kind: 'progress'; event: ProgressEvent }
  | { kind: 'shell'; id: number; request: ShellRequest };
