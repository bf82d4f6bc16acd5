/**
 * The main process's side of the engine process, without Electron: requests by id, each settled exactly once
 * (with a timeout, or when the engine exits), progress relayed, the engine's questions to the shell answered, and
 * `ready` that settles once the engine has opened its workspace (or failed to). engine-client.ts gives it an
 * Electron utilityProcess; the tests give it an in-memory engine.
 */
import type { Envelope, ProgressEvent } from '../shared/contract';
import { errorInfo, type ErrorCode } from '../shared/errors';
import type { EngineReply, EngineRequest, ShellRequest } from './engine-protocol';

/** What the connection needs of a process: Electron's UtilityProcess has these. */
export interface EngineChild {
  postMessage(message: EngineRequest): void;
  on(event: 'message', listener: (message: EngineReply) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): unknown;
}

export interface EngineEvents {
  onProgress(event: ProgressEvent): void;
  /** Answers what the engine asks the shell (a folder picker, the settings); a throw goes back as an error. */
  onShell(request: ShellRequest): Promise<unknown>;
  /** The process ended (after ready: a crash, or kill() when it is replaced). */
  onExit?(code: number): void;
}

export class EngineStartError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type Pending = { resolve: (r: EngineReply) => void; timer: NodeJS.Timeout };

export class EngineConnection {
  /** The workspace folder the engine opened; rejects (EngineStartError) when it could not. */
  readonly ready: Promise<string>;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private exited = false;

  constructor(
    private readonly child: EngineChild,
    events: EngineEvents,
  ) {
    let settleReady: { resolve: (dir: string) => void; reject: (e: EngineStartError) => void } | undefined;
    this.ready = new Promise<string>((resolve, reject) => (settleReady = { resolve, reject }));
    this.ready.catch(() => undefined);
    child.on('message', (msg: EngineReply) => {
      if (msg.kind === 'progress') events.onProgress(msg.event);
      else if (msg.kind === 'ready') settleReady?.resolve(msg.workspace);
      else if (msg.kind === 'failed') {
        settleReady?.reject(new EngineStartError(msg.error.code, msg.error.message));
        this.kill();
      } else if (msg.kind === 'shell') {
        events.onShell(msg.request).then(
          (value) => this.post({ kind: 'shell-reply', id: msg.id, result: { ok: true, value } }),
          (err: unknown) => this.post({ kind: 'shell-reply', id: msg.id, result: { ok: false, error: errorInfo(err, 'internal') } }),
        );
      } else this.settle(msg.id, msg);
    });
    child.on('exit', (code: number) => {
      this.exited = true;
      settleReady?.reject(new EngineStartError('engine_exited', `The engine process stopped before opening the workspace (exit code ${code}).`));
      for (const [id] of this.pending) {
        this.settle(id, { kind: 'reply', id, envelope: { ok: false, error: { code: 'engine_exited', message: `The engine process exited (code ${code}).` } } });
      }
      events.onExit?.(code);
    });
  }

  private post(message: EngineRequest) {
    if (!this.exited) this.child.postMessage(message);
  }

  private settle(id: number, reply: EngineReply) {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve(reply);
  }

  private request(msg: EngineRequest, timeoutMs: number): Promise<EngineReply> {
    return new Promise((resolve) => {
      const { id } = msg;
      if (this.exited) {
        resolve({ kind: 'reply', id, envelope: { ok: false, error: { code: 'engine_exited', message: 'The engine process is not running.' } } });
        return;
      }
      const timer = setTimeout(
        () => this.settle(id, { kind: 'reply', id, envelope: { ok: false, error: { code: 'timeout', message: 'The engine did not answer in time.' } } }),
        timeoutMs,
      );
      this.pending.set(id, { resolve, timer });
      this.child.postMessage(msg);
    });
  }

  async call(channel: string, input: unknown): Promise<Envelope<unknown>> {
    // Imports of large corpora legitimately take long; they report progress meanwhile.
    const reply = await this.request({ kind: 'call', id: this.nextId++, channel, input }, 6 * 60 * 60 * 1000);
    return reply.kind === 'reply' ? reply.envelope : { ok: false, error: { code: 'internal', message: 'unexpected engine reply' } };
  }

  async clipFile(clipId: number): Promise<{ path: string; container: string } | null> {
    const reply = await this.request({ kind: 'clipFile', id: this.nextId++, clipId }, 10_000);
    return reply.kind === 'clipFile' && reply.path ? { path: reply.path, container: reply.container ?? '' } : null;
  }

  /** The file a classify run classified (run id, index in the run), or null: the engine decides, never the URL. */
  async classifiedFile(runId: number, idx: number): Promise<string | null> {
    const reply = await this.request({ kind: 'classifiedFile', id: this.nextId++, runId, idx }, 10_000);
    return reply.kind === 'classifiedFile' ? reply.path : null;
  }

  kill() {
    this.child.kill();
  }
}
