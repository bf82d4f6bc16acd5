import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallError, createWebClient, newRequestId, resolveClient } from '../../../src/renderer/src/lib/api';
import type { ApiClient } from '../../../src/shared/contract';

/** Just enough of a browser WebSocket to drive the client: records instances, lets the test push frames. */
class FakeSocket {
  static all: FakeSocket[] = [];
  listeners: Record<string, ((ev: { data?: unknown }) => void)[]> = {};
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  addEventListener(type: string, fn: (ev: { data?: unknown }) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  emit(type: string, ev: { data?: unknown } = {}) {
    for (const fn of this.listeners[type] ?? []) fn(ev);
  }
}

type FetchArgs = [string, { method: string; headers: Record<string, string>; body: string }];

function jsonResponse(status: number, body: unknown) {
  return { status, statusText: 'X', json: async () => body };
}

describe('web client', () => {
  let fetchMock: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  const client = () => createWebClient({ token: 'tok/en+1', wsUrl: 'ws://127.0.0.1:9/ws?token=x' });

  it('POSTs the input to /api/<channel> with the bearer token and unwraps the result', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { ok: true, result: { total: 3, clips: [] } }));
    const out = await client().call('datasets:clips', { id: 4, label: 'anger' });
    expect(out).toEqual({ total: 3, clips: [] });
    const [url, init] = fetchMock.mock.calls[0] as FetchArgs;
    expect(url).toBe('/api/datasets:clips');
    expect(init.method).toBe('POST');
    expect(init.headers.Authorization).toBe('Bearer tok/en+1');
    expect(JSON.parse(init.body)).toEqual({ id: 4, label: 'anger' });
  });

  it('turns an error envelope into a CallError with its code', async () => {
    fetchMock.mockResolvedValue(jsonResponse(404, { ok: false, error: { code: 'not_found', message: 'No dataset with id 9.' } }));
    const err = await client().call('datasets:get', { id: 9 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect((err as CallError).code).toBe('not_found');
    expect((err as CallError).message).toBe('No dataset with id 9.');
  });

  it('reports a non-JSON answer and an unreachable server plainly', async () => {
    fetchMock.mockResolvedValueOnce({ status: 502, statusText: 'Bad Gateway', json: async () => JSON.parse('<html>') });
    await expect(client().call('datasets:list', {})).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('502 Bad Gateway') });
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(client().call('datasets:list', {})).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('delivers progress frames to listeners until they unsubscribe, dropping malformed ones', () => {
    const api = client();
    const seen: unknown[] = [];
    const off = api.onProgress((e) => seen.push(e));
    const socket = FakeSocket.all[0];
    expect(socket.url).toBe('ws://127.0.0.1:9/ws?token=x');
    const event = { kind: 'import', requestId: 'r1', phase: 'probe', done: 2, total: 5 };
    socket.emit('message', { data: JSON.stringify(event) });
    socket.emit('message', { data: 'not json' });
    socket.emit('message', { data: JSON.stringify({ no: 'kind' }) });
    off();
    socket.emit('message', { data: JSON.stringify({ ...event, done: 3 }) });
    expect(seen).toEqual([event]);
  });

  it('reconnects the progress socket after it closes', () => {
    vi.useFakeTimers();
    client();
    expect(FakeSocket.all).toHaveLength(1);
    FakeSocket.all[0].emit('close');
    vi.advanceTimersByTime(600);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('builds clip audio URLs with the token in the query', () => {
    expect(client().clipAudioUrl(12)).toBe('/audio/12?token=tok%2Fen%2B1');
  });

  it('builds classified-file and report URLs: ids only, report paths segment by segment', () => {
    expect(client().predictionAudioUrl(3, 41)).toBe('/classified/3/41?token=tok%2Fen%2B1');
    expect(client().reportFileUrl('classify-3-ru/report.pdf')).toBe('/reports/classify-3-ru/report.pdf?token=tok%2Fen%2B1');
    expect(client().reportFileUrl('a b/#x.md')).toBe('/reports/a%20b/%23x.md?token=tok%2Fen%2B1');
  });
});

describe('resolveClient', () => {
  afterEach(() => vi.unstubAllGlobals());

  const fakeWindow = (search: string, api?: ApiClient) =>
    ({ api, location: { search, protocol: 'http:', host: '127.0.0.1:5187' } }) as unknown as Window;

  it('prefers the preload API when present', () => {
    const api = { transport: 'electron' } as ApiClient;
    expect(resolveClient(fakeWindow('', api))).toEqual({ client: api });
  });

  it('asks for the token URL when the page was opened without one', () => {
    const r = resolveClient(fakeWindow(''));
    expect(r.client).toBeNull();
    expect('problem' in r && r.problem).toMatch(/token/);
  });

  it('connects the web client to the page origin with the token', () => {
    FakeSocket.all = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    const r = resolveClient(fakeWindow('?token=abc'));
    expect(r.client?.transport).toBe('web');
    expect(FakeSocket.all[0].url).toBe('ws://127.0.0.1:5187/ws?token=abc');
  });
});

describe('newRequestId', () => {
  it('matches the contract pattern and differs between calls', () => {
    const a = newRequestId('import');
    expect(a).toMatch(/^import-[0-9a-f]{16}$/);
    expect(newRequestId('import')).not.toBe(a);
  });
});
