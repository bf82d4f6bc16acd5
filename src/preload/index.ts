// Exposes exactly the contract's calls to the renderer: no raw ipcRenderer, no Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiClient, Channel, Envelope, InputOf, OutputOf, ProgressEvent } from '../shared/contract';
import type { ErrorCode } from '../shared/errors';

class RemoteError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const api: ApiClient = {
  transport: 'electron',
  async call<C extends Channel>(channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
    const envelope = (await ipcRenderer.invoke('api:call', channel, input)) as Envelope<OutputOf<C>>;
    if (envelope.ok) return envelope.result;
    throw new RemoteError(envelope.error.code, envelope.error.message, envelope.error.details);
  },
  onProgress(listener: (event: ProgressEvent) => void) {
    const wrapped = (_e: IpcRendererEvent, event: ProgressEvent) => listener(event);
    ipcRenderer.on('api:progress', wrapped);
    return () => ipcRenderer.removeListener('api:progress', wrapped);
  },
  clipAudioUrl: (clipId: number) => `ser-audio://clip/${Math.trunc(clipId)}`,
  predictionAudioUrl: (runId: number, idx: number) => `ser-audio://classified/${Math.trunc(runId)}/${Math.trunc(idx)}`,
  reportFileUrl: (path: string) => `ser-report://reports/${path.split('/').map(encodeURIComponent).join('/')}`,
};

contextBridge.exposeInMainWorld('api', api);
