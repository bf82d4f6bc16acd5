// The renderer's only door to the engine. In Electron the preload already exposes `window.api`;
// in a browser (`ser-studio serve`) we speak the web bridge protocol with the token from the URL.
import type { ApiClient, Channel, Envelope, InputOf, OutputOf, ProgressEvent } from '../../../shared/contract';
import type { ErrorCode } from '../../../shared/errors';
import { t, tKey } from './i18n';

/** An error from the engine or the transport, with the code the UI can act on. */
export class CallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/**
 * An error as the window shows it: the engine's sentence (English, as it wrote it) after a short title for its code
 * in the window's language ("Источник не найден: /data/x: no such file or folder").
 */
export function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return withLeadIn(errorCode(err), message);
}

/** An error the engine recorded ({code, message}: a run's end, a failed file) with its code's title first. */
export function errorInfoText(info: { code?: string; message: string } | null | undefined): string {
  return info ? withLeadIn(info.code, info.message) : '';
}

function withLeadIn(code: string | undefined, message: string): string {
  const title = code ? tKey(`ui.error.${code}`, '') : '';
  return title ? t('ui.error.leadIn', { title, message }) : message;
}

export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

type ProgressListener = (event: ProgressEvent) => void;

/** Parses a WebSocket message; foreign shapes are dropped rather than crashing a listener. */
function parseProgress(data: unknown): ProgressEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as { kind?: unknown };
    return value && typeof value.kind === 'string' ? (value as ProgressEvent) : null;
  } catch {
    return null;
  }
}

export interface WebClientOptions {
  /** Origin-relative base, e.g. '' for the page's own server. */
  base?: string;
  token: string;
  /** ws:// URL of the progress stream; derived from the page location when omitted. */
  wsUrl: string;
}

export function createWebClient(opts: WebClientOptions): ApiClient {
  const base = opts.base ?? '';
  const listeners = new Set<ProgressListener>();
  let socket: WebSocket | null = null;
  let retryMs = 500;

  // Opened eagerly so it is connected before the first import starts emitting events.
  const connect = () => {
    socket = new WebSocket(opts.wsUrl);
    socket.addEventListener('open', () => (retryMs = 500));
    socket.addEventListener('message', (msg) => {
      const event = parseProgress(msg.data);
      if (event) for (const fn of listeners) fn(event);
    });
    socket.addEventListener('close', () => {
      socket = null;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    });
  };
  connect();

  return {
    transport: 'web',
    async call<C extends Channel>(channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
      let res: Response;
      try {
        res = await fetch(`${base}/api/${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${opts.token}` },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        throw new CallError('unreachable', t('ui.app.unreachable', { reason: err instanceof Error ? err.message : String(err) }));
      }
      let envelope: Envelope<OutputOf<C>>;
      try {
        envelope = (await res.json()) as Envelope<OutputOf<C>>;
      } catch {
        throw new CallError(res.status >= 500 ? 'internal' : 'bad_request', t('ui.app.noResult', { channel, status: `${res.status} ${res.statusText}`.trim() }));
      }
      if (!envelope.ok) throw new CallError(envelope.error.code, envelope.error.message, envelope.error.details);
      return envelope.result;
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clipAudioUrl(clipId) {
      return `${base}/audio/${clipId}?token=${encodeURIComponent(opts.token)}`;
    },
    predictionAudioUrl(runId, idx) {
      return `${base}/classified/${Math.trunc(runId)}/${Math.trunc(idx)}?token=${encodeURIComponent(opts.token)}`;
    },
    reportFileUrl(path) {
      return `${base}/reports/${reportPath(path)}?token=${encodeURIComponent(opts.token)}`;
    },
  };
}

/** A report file's path (`experiment-7-ru/report.pdf`) as URL path segments. */
export function reportPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export type ClientResolution = { client: ApiClient } | { client: null; problem: string };

/** Picks the transport: the preload's `window.api`, else the web bridge named by the page URL. */
export function resolveClient(win: Window = window): ClientResolution {
  if (win.api) return { client: win.api };
  const token = new URLSearchParams(win.location.search).get('token');
  if (!token) {
    return {
      client: null,
      problem: t('ui.app.noToken'),
    };
  }
  const wsProtocol = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const wsUrl = `${wsProtocol}//${win.location.host}/ws?token=${encodeURIComponent(token)}`;
  return { client: createWebClient({ token, wsUrl }) };
}

/** A fresh id to correlate progress events with the call that caused them. */
export function newRequestId(prefix = 'req'): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
