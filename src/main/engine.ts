// Runs in an Electron utilityProcess: the whole engine lives here so the main process never
// blocks on SQLite, hashing or DSP. It answers the main process's relayed contract calls.
import { createHandlers, dispatch } from '../core/api/service';
import { clipFile } from '../core/dataset/queries';
import { classifiedFile } from '../core/classify/runs';
import { openWorkspace } from '../core/workspace/workspace';
import type { EngineReply, EngineRequest } from './engine-protocol';

const port = process.parentPort;
const workspaceDir = process.env.SER_STUDIO_WORKSPACE;
const nativeBinding = process.env.SER_STUDIO_SQLITE_BINDING || undefined;
const ws = openWorkspace(workspaceDir, { nativeBinding });
const send = (msg: EngineReply) => port.postMessage(msg);
const handlers = createHandlers(ws, { transport: 'electron', emit: (event) => send({ kind: 'progress', event }) });

port.on('message', async ({ data }: { data: EngineRequest }) => {
  if (data.kind === 'call') {
    send({ kind: 'reply', id: data.id, envelope: await dispatch(handlers, data.channel, data.input) });
  } else if (data.kind === 'clipFile') {
    const clip = clipFile(ws.db, data.clipId);
    send({ kind: 'clipFile', id: data.id, path: clip?.absPath ?? null, container: clip?.container ?? null });
  } else if (data.kind === 'classifiedFile') {
    send({ kind: 'classifiedFile', id: data.id, path: classifiedFile(ws.db, data.runId, data.idx) });
  }
});
send({ kind: 'ready', workspace: ws.dir });
process.on('exit', () => ws.close());
