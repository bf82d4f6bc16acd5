/**
 * The engine's side of the desktop app, without Electron (engine.ts runs it in a utilityProcess; the tests run it
 * in plain Node over an in-memory port): the contract's handlers for one workspace, created with what the shell
 * provides (the native folder picker, the user's settings), asked for over the parent port; and the loop that
 * answers the main process's messages.
 */
import { createHandlers, dispatch, type Handlers } from '../core/api/service';
import { classifiedFile } from '../core/classify/runs';
import { servableClipFile } from '../core/dataset/queries';
import { openWorkspace, type Workspace } from '../core/workspace/workspace';
import { ApiError, errorInfo, type ErrorCode } from '../shared/errors';
import type { Settings } from '../shared/settings';
import type { EngineReply, EngineRequest, ShellRequest } from './engine-protocol';

/** The part of Electron's parentPort (or a test's stand-in) the engine uses. */
export interface ParentPortLike {
  postMessage(message: EngineReply): void;
  on(event: 'message', listener: (e: { data: EngineRequest }) => void): unknown;
}

/** Creates the handlers the shell's capabilities included, and serves the main process's requests with them. */
export function serveEngine(ws: Workspace, port: ParentPortLike): Handlers {
  const send = (m: EngineReply) => port.postMessage(m);
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ask = <T>(request: ShellRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      send({ kind: 'shell', id, request });
    });

  const handlers = createHandlers(ws, {
    transport: 'electron',
    emit: (event) => send({ kind: 'progress', event }),
    pickFolder: () => ask<string | null>({ op: 'pickFolder' }),
    settings: {
      get: () => ask<Settings>({ op: 'settings:get' }),
      set: (patch) => ask<Settings>({ op: 'settings:set', patch }),
    },
  });

  port.on('message', async ({ data }) => {
    if (data.kind === 'call') {
      send({ kind: 'reply', id: data.id, envelope: await dispatch(handlers, data.channel, data.input) });
    } else if (data.kind === 'clipFile') {
      const clip = servableClipFile(ws.db, data.clipId);
      send({ kind: 'clipFile', id: data.id, path: clip?.absPath ?? null, container: clip?.container ?? null });
    } else if (data.kind === 'classifiedFile') {
      send({ kind: 'classifiedFile', id: data.id, path: classifiedFile(ws.db, data.runId, data.idx) });
    } else if (data.kind === 'shell-reply') {
      const w = waiting.get(data.id);
      if (!w) return;
      waiting.delete(data.id);
      if (data.result.ok) w.resolve(data.result.value);
      else w.reject(new ApiError(data.result.error.code, data.result.error.message));
    }
  });
  return handlers;
}

/**
 * What the engine process does when it starts: opens the workspace and serves it, then says 'ready'; or, when the
 * workspace cannot be opened (written by a newer version, not writable...), says why ('failed') and returns null.
 */
export function runEngine(port: ParentPortLike, workspace: string | undefined, nativeBinding?: string): Workspace | null {
  let ws: Workspace;
  try {
    ws = openWorkspace(workspace, { nativeBinding });
  } catch (err) {
    port.postMessage({ kind: 'failed', error: openFailure(err, workspace) });
    return null;
  }
  serveEngine(ws, port);
  port.postMessage({ kind: 'ready', workspace: ws.dir });
  return ws;
}

/** Why a folder cannot be a workspace when the folder is the problem (a file, no permission, a name no system takes). */
const NOT_A_WORKSPACE = new Set(['EEXIST', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENAMETOOLONG', 'ELOOP', 'ERR_INVALID_ARG_VALUE', 'SQLITE_CANTOPEN', 'SQLITE_NOTADB', 'SQLITE_READONLY']);

/** The folder's fault is the caller's to fix (bad_request, a 4xx); anything else stays the engine's own failure. */
function openFailure(err: unknown, workspace: string | undefined): { code: ErrorCode; message: string } {
  const info = errorInfo(err, 'internal');
  const code = (err as { code?: unknown } | null)?.code;
  if (info.code !== 'internal' || typeof code !== 'string' || !NOT_A_WORKSPACE.has(code)) return info;
  return { code: 'bad_request', message: `${workspace ?? 'The workspace folder'} cannot be opened as a workspace: ${info.message}` };
}
