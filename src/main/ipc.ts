/**
 * Who may call the contract over IPC, without Electron (index.ts gives it Electron's events; tests/main gives it
 * plain objects): only the top frame of one of our windows, showing our own page. A frame inside the page (an
 * iframe), a window we did not create, or a page that is not ours (had it navigated somewhere, which will-navigate
 * denies) is refused before the call is even validated.
 */
import type { Envelope } from '../shared/contract';

/** The part of Electron's IpcMainInvokeEvent the check reads. */
export interface IpcEventLike {
  sender: { id: number; mainFrame: unknown };
  /** null when the frame navigated or was destroyed since it sent. */
  senderFrame: { url: string } | null;
}

/**
 * Whether `url` is the renderer page: the built index.html (file://, any query or hash) in the app, or the dev
 * server's origin under `electron-vite dev`.
 */
export function isRendererUrl(url: string, rendererUrl: string): boolean {
  let u: URL;
  let r: URL;
  try {
    u = new URL(url);
    r = new URL(rendererUrl);
  } catch {
    return false;
  }
  if (r.protocol === 'file:') return u.protocol === 'file:' && u.host === r.host && decodeURIComponent(u.pathname) === decodeURIComponent(r.pathname);
  return u.origin === r.origin;
}

/** The sender check every IPC handler runs first. */
export function senderAllowed(event: IpcEventLike, isOurWebContents: (id: number) => boolean, rendererUrl: string): boolean {
  const frame = event.senderFrame;
  return Boolean(frame && isOurWebContents(event.sender.id) && frame === event.sender.mainFrame && isRendererUrl(frame.url, rendererUrl));
}

export const UNKNOWN_SENDER: Envelope<never> = { ok: false, error: { code: 'forbidden', message: 'Unknown sender.' } };

/** The 'api:call' handler: the sender checked, then the shell validates and routes the call. */
export function apiCallHandler(
  shell: { call(channel: unknown, input: unknown): Promise<Envelope<unknown>> },
  allowed: (event: IpcEventLike) => boolean,
): (event: IpcEventLike, channel: unknown, input: unknown) => Promise<Envelope<unknown>> {
  return async (event, channel, input) => (allowed(event) ? shell.call(channel, input) : UNKNOWN_SENDER);
}
