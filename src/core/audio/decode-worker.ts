// Worker-thread entry of decode-guard.ts: decodes the bytes it is sent with the codec it is told (decode-codec.ts)
// and answers with the channels (transferred) or the decoder's error message. A hang or a crash here ends this
// thread, not the process that asked.
import { parentPort } from 'node:worker_threads';
import { decodeWithCodec } from './decode-codec';
import type { GuardReply, GuardRequest } from './decode-guard';

const port = parentPort;
if (!port) throw new Error('decode-worker must run in a worker thread');

port.on('message', async ({ id, codec, bytes }: GuardRequest) => {
  let reply: GuardReply;
  try {
    const out = await decodeWithCodec(bytes, codec);
    reply = { id, ok: true, ...out };
  } catch (err) {
    reply = { id, ok: false, message: (err as Error)?.message ?? String(err) };
  }
  port.postMessage(reply, reply.ok ? reply.channelData.map((c) => c.buffer as ArrayBuffer) : []);
});
