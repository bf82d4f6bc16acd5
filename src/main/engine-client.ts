import path from 'node:path';
import { utilityProcess, type UtilityProcess } from 'electron';
import type { Envelope, ProgressEvent } from '../shared/contract';
import type { EngineReply, EngineRequest } from './engine-protocol';

type Pending = { resolve: (r: EngineReply) => void; timer: NodeJS.Timeout };

/** Owns the engine utility process: request/reply by id, each settled exactly once, with a timeout. */
export class EngineClient {
  private child: UtilityProcess;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(env: Record<string, string>, onProgress: (e: ProgressEvent) => void, onExit: (code: number) => void) {
    this.child = utilityProcess.fork(path.join(__dirname, 'engine.js'), [], {
      serviceName: 'SER Studio engine',
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    this.child.on('message', (msg: EngineReply) => {
      if (msg.kind === 'progress') onProgress(msg.event);
      else if (msg.kind === 'reply' || msg.kind === 'clipFile' || msg.kind === 'classifiedFile') this.settle(msg.id, msg);
    });
    this.child.on('exit', (code) => {
      for (const [id] of this.pending) this.settle(id, { kind: 'reply', id, envelope: { ok: false, error: { code: 'engine_exited', message: `The engine process exited (code ${code}).` } } });
      onExit(code);
    });
  }

  private settle(id: number, reply: EngineReply) {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    p.resolve(reply);
  }

  private request(msg: Omit<EngineRequest, 'id'> & { kind: EngineRequest['kind'] }, timeoutMs: number): Promise<EngineReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => this.settle(id, { kind: 'reply', id, envelope: { ok: false, error: { code: 'timeout', message: 'The engine did not answer in time.' } } }),
        timeoutMs,
      );
      this.pending.set(id, { resolve, timer });
      this.child.postMessage({ ...msg, id });
    });
  }

  async call(channel: string, input: unknown): Promise<Envelope<unknown>> {
    // Imports of large corpora legitimately take long; they report progress meanwhile.
    const reply = await this.request({ kind: 'call', channel, input } as EngineRequest, 6 * 60 * 60 * 1000);
    return reply.kind === 'reply' ? reply.envelope : { ok: false, error: { code: 'internal', message: 'unexpected engine reply' } };
  }

  async clipFile(clipId: number): Promise<{ path: string; container: string } | null> {
    const reply = await this.request({ kind: 'clipFile', clipId } as EngineRequest, 10_000);
    return reply.kind === 'clipFile' && reply.path ? { path: reply.path, container: reply.container ?? '' } : null;
  }

  /** The file a classify run classified (run id, index in the run), or null: the engine decides, never the URL. */
  async classifiedFile(runId: number, idx: number): Promise<string | null> {
    const reply = await this.request({ kind: 'classifiedFile', runId, idx } as EngineRequest, 10_000);
    return reply.kind === 'classifiedFile' ? reply.path : null;
  }

  kill() {
    this.child.kill();
  }
}
