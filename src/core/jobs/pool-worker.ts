// The worker side of pool.ts, for its entries (a worker thread or a forked child process): tasks run one at a time,
// in the order they arrive, and each is answered before the next starts; a child process also waits until its
// answer is written. The pool sends tasks ahead (its `prefetch`), and this order is what lets it tell, when a worker
// dies, which task killed it: every answer given has been heard, and the first unanswered task is the culprit.
import { parentPort } from 'node:worker_threads';

export type PoolReply<O> = { id: number; ok: true; output: O } | { id: number; ok: false; error: { code: string; message: string } };

export function servePoolTasks<I, O>(
  run: (input: I) => Promise<O> | O,
  /** The coded error a failed task answers with. */
  onError: (err: unknown) => { code: string; message: string },
  /** What to transfer rather than copy (thread workers). */
  transferOf: (output: O) => ArrayBuffer[] = () => [],
): void {
  const send = (m: PoolReply<O>, transfer: ArrayBuffer[]): Promise<void> => {
    if (parentPort) {
      parentPort.postMessage(m, transfer);
      return Promise.resolve();
    }
    if (!process.send) throw new Error('a pool worker must run in a worker thread or a forked child process');
    return new Promise<void>((resolve) => void process.send!(m, undefined, undefined, () => resolve()));
  };
  const serve = async ({ id, input }: { id: number; input: I }): Promise<void> => {
    let reply: PoolReply<O>;
    let transfer: ArrayBuffer[] = [];
    try {
      const output = await run(input);
      reply = { id, ok: true, output };
      transfer = transferOf(output);
    } catch (err) {
      reply = { id, ok: false, error: onError(err) };
    }
    await send(reply, transfer);
  };
  let chain = Promise.resolve();
  const onMessage = (m: { id: number; input: I }): void => {
    chain = chain.then(() => serve(m)).catch(() => undefined);
  };
  if (parentPort) parentPort.on('message', onMessage);
  else if (process.send) process.on('message', onMessage as (m: unknown) => void);
  else throw new Error('a pool worker must run in a worker thread or a forked child process');
}
