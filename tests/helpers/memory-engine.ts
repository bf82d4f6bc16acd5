// engine.ts in this process, for tests of the desktop shell: runEngine on an in-memory parent port that
// structured-clones every message as a utilityProcess does.
import { EventEmitter } from 'node:events';
import type { Workspace } from '../../src/core/workspace/workspace';
import { runEngine } from '../../src/main/engine-handlers';
import type { EngineChild } from '../../src/main/engine-connection';
import type { EngineReply, EngineRequest } from '../../src/main/engine-protocol';

export interface MemoryEngine extends EngineChild {
  dir: string;
  ws: Workspace | null;
  killed: boolean;
  /** Sends a message as if the engine had (a progress event of a run, say). */
  fromEngine(message: EngineReply): void;
  crash(code: number): void;
}

export function memoryEngine(dir: string): MemoryEngine {
  const toMain = new EventEmitter();
  const toEngine = new EventEmitter();
  const deliver = (emitter: EventEmitter, event: string, payload: unknown) => setImmediate(() => emitter.emit(event, structuredClone(payload)));
  const engine: MemoryEngine = {
    dir,
    ws: null,
    killed: false,
    postMessage: (message: EngineRequest) => deliver(toEngine, 'message', { data: message }),
    on: (event: string, listener: (arg: never) => void) => toMain.on(event, listener as (...args: unknown[]) => void),
    kill: () => {
      if (engine.killed) return;
      engine.killed = true;
      engine.ws?.close();
      setImmediate(() => toMain.emit('exit', 0));
    },
    fromEngine: (message) => deliver(toMain, 'message', message),
    crash: (code) => {
      engine.killed = true;
      engine.ws?.close();
      toMain.emit('exit', code);
    },
  } as MemoryEngine;
  setImmediate(() => {
    engine.ws = runEngine({ postMessage: (m) => deliver(toMain, 'message', m), on: (_e, listener) => toEngine.on('message', listener) }, dir);
  });
  return engine;
}
