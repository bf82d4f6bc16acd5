import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Envelope, ProgressEvent } from '../shared/contract';
import { ERROR_HTTP_STATUS } from '../shared/errors';
import { createHandlers, dispatch } from '../core/api/service';
import type { SettingsAccess } from '../core/settings/store';
import { servableClipFile } from '../core/dataset/queries';
import type { Workspace } from '../core/workspace/workspace';
import { classifiedFile } from '../core/classify/runs';
import { resolveReportFile } from '../core/report/files';
import { audioMime, audioMimeOfFile, sendFileRange } from './audio';
import { CONTENT_SECURITY_POLICY, newToken, originAllowed, requestToken, tokensEqual } from './security';
import { serveStatic } from './static';

export interface BridgeOptions {
  port: number;
  rendererDir: string;
  token?: string;
  /** The user's settings (the settings file for `ser-studio serve`; in memory when absent). */
  settings?: SettingsAccess;
}

export interface Bridge {
  url: string;
  port: number;
  token: string;
  /** The HTTP server (its getConnections() counts every TCP connection, WebSockets included). */
  server: Server;
  /** WebSocket clients connected now. */
  openSockets(): number;
  close(): Promise<void>;
}

/** The largest request body a call may send (a contract input is a few KB; a long path list fits many times). */
export const MAX_BODY_BYTES = 1 << 20;
/** The largest WebSocket message a client may send: the socket only pushes progress, clients have nothing to say. */
export const MAX_WS_MESSAGE_BYTES = 4 << 10;
/** Everything but the page itself needs the token: calls, audio, written reports. */
const PROTECTED = ['/api/', '/audio/', '/classified/', '/reports/'];

/**
 * The web bridge: the contract over HTTP (calls) + WebSocket (progress), on 127.0.0.1 only,
 * behind a random token, so the same renderer runs in a browser.
 */
export async function startBridge(ws: Workspace, opts: BridgeOptions): Promise<Bridge> {
  const token = opts.token ?? newToken();
  const sockets = new Set<WebSocket>();
  const broadcast = (event: ProgressEvent) => {
    const data = JSON.stringify(event);
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(data);
  };
  const handlers = createHandlers(ws, { transport: 'web', emit: broadcast, settings: opts.settings });
  let port = opts.port;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      // A bug of ours, never a caller's mistake (those are answered with their own 4xx code above).
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { ok: false, error: { code: 'internal', message: String(err?.message ?? err) } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cache-control', 'no-store');
    if (!originAllowed(req, port)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: foreign origin or host');
      return;
    }
    const needsToken = PROTECTED.some((prefix) => url.pathname.startsWith(prefix));
    if (needsToken && !tokensEqual(requestToken(req, url), token)) {
      sendJson(res, 401, { ok: false, error: { code: 'unauthorized', message: 'Missing or wrong token.' } });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        sendJson(res, 405, { ok: false, error: { code: 'method_not_allowed', message: 'Use POST.' } });
        return;
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_BODY_BYTES) {
        tooLarge(res);
        return;
      }
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (err) {
        if (err instanceof BodyTooLarge) tooLarge(res);
        else sendJson(res, 400, { ok: false, error: { code: 'bad_request', message: (err as Error).message } });
        return;
      }
      let channel: string;
      try {
        channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      } catch {
        channel = url.pathname.slice('/api/'.length);
      }
      const envelope = await dispatch(handlers, channel, body);
      sendJson(res, statusOf(envelope), envelope);
      return;
    }
    if (url.pathname.startsWith('/audio/')) {
      // A clip of an imported dataset by its id (decimal digits only), never a path the request names.
      const m = /^\/audio\/([1-9]\d{0,11})$/.exec(url.pathname);
      const clip = m ? servableClipFile(ws.db, Number(m[1])) : null;
      if (!clip) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no such clip in this workspace');
        return;
      }
      sendFileRange(req, res, clip.absPath, audioMime(clip.container));
      return;
    }
    if (url.pathname.startsWith('/classified/')) {
      // A file a classify run classified, by run id and index: never a path the request names.
      const m = /^\/classified\/(\d{1,12})\/(\d{1,12})$/.exec(url.pathname);
      const file = m ? classifiedFile(ws.db, Number(m[1]), Number(m[2])) : null;
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no such classified file in this workspace');
        return;
      }
      sendFileRange(req, res, file, audioMimeOfFile(file));
      return;
    }
    if (url.pathname.startsWith('/reports/')) {
      let rel: string;
      try {
        rel = decodeURIComponent(url.pathname.slice('/reports/'.length));
      } catch {
        rel = '';
      }
      const found = resolveReportFile(ws.dir, rel);
      if (!found) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no such report file in this workspace');
        return;
      }
      const name = rel.slice(rel.lastIndexOf('/') + 1);
      sendFileRange(req, res, found.file, found.mime, { 'content-disposition': `inline; filename="${name}"` });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    serveStatic(opts.rendererDir, url.pathname, res);
  }

  // Clients only listen: a message is ignored, one over the limit closes its socket (1009, message too big).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/ws' || !originAllowed(req, port) || !tokensEqual(requestToken(req, url), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      // A malformed frame (a reserved opcode, no mask, an impossible length) is that socket's error: without a
      // listener ws's 'error' event was uncaught and ended the whole server.
      client.on('error', () => client.terminate());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function statusOf(envelope: Envelope<unknown>): number {
  return envelope.ok ? 200 : ERROR_HTTP_STATUS[envelope.error.code];
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

class BodyTooLarge extends Error {}

/** 413, and the connection closed once it is sent (the rest of the body is not read). */
function tooLarge(res: ServerResponse) {
  res.setHeader('connection', 'close');
  sendJson(res, 413, { ok: false, error: { code: 'payload_too_large', message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` } });
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        // Stop keeping it, but let the answer reach the caller (destroying the request here would cut it off).
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        reject(new BodyTooLarge('request body too large'));
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error('request body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}
