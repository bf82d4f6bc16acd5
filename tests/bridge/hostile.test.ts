// Hostile callers of the web bridge: every contract channel fuzzed with malformed input (generated from the
// contract itself, so a new channel is covered without a change here), the audio route, the token / Origin / Host
// checks one by one, the body and WebSocket message limits, and bursts of calls and dropped sockets that must leave
// no job or socket behind. A real bridge on a temp workspace, as server.test.ts starts it.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_BODY_BYTES, MAX_WS_MESSAGE_BYTES, startBridge, type Bridge } from '../../src/bridge/server';
import { openWorkspace, type Workspace } from '../../src/core/workspace/workspace';
import { channels } from '../../src/shared/contract';
import { ERROR_HTTP_STATUS } from '../../src/shared/errors';
import { BIG_ARRAY, checkAnswer, hostileCases, prototypesPolluted, UNKNOWN_CHANNELS, type HostileCase } from '../helpers/hostile-inputs';
import { contract } from '../../src/shared/contract';
import { pcm16Wav, tempDir, writeFile } from '../helpers/make-wav';

let ws: Workspace;
let bridge: Bridge;
let outside: string;
/** Clip ids of the dataset that stays imported, and of one imported then deleted. */
let kept: number[] = [];
let deletedClips: number[] = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(pathname: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent | false } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: bridge.port, path: pathname, method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent ?? agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const auth = () => ({ authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' });

async function call(channel: string, input: unknown): Promise<{ status: number; envelope: unknown }> {
  const body = input === undefined ? '' : JSON.stringify(input);
  const r = await request(`/api/${encodeURIComponent(channel)}`, { method: 'POST', headers: auth(), body });
  let envelope: unknown;
  try {
    envelope = JSON.parse(r.body);
  } catch {
    envelope = r.body;
  }
  return { status: r.status, envelope };
}

async function valid<T>(channel: string, input: unknown = {}): Promise<T> {
  const r = await call(channel, input);
  expect(r.status, JSON.stringify(r.envelope).slice(0, 300)).toBe(200);
  return (r.envelope as { result: T }).result;
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** The bridge's open TCP connections (HTTP keep-alive and WebSocket alike). */
const connections = () => new Promise<number>((resolve, reject) => bridge.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

async function until(what: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  ws = openWorkspace(tempDir('hostile-ws'));
  const data = tempDir('hostile-data');
  writeFile(data, 'calm/c1.wav', pcm16Wav({ seconds: 0.3, seed: 1 }));
  writeFile(data, 'fear/f1.wav', pcm16Wav({ seconds: 0.3, seed: 2 }));
  writeFile(data, 'fear/f2.wav', pcm16Wav({ seconds: 0.3, seed: 3 }));
  const other = tempDir('hostile-other');
  writeFile(other, 'calm/o1.wav', pcm16Wav({ seconds: 0.3, seed: 4 }));
  writeFile(other, 'fear/o2.wav', pcm16Wav({ seconds: 0.3, seed: 5 }));
  outside = tempDir('hostile-outside');
  writeFile(outside, 'secret.wav', pcm16Wav({ seconds: 0.7, seed: 9 }));
  const renderer = tempDir('hostile-renderer');
  writeFile(renderer, 'index.html', '<!doctype html><title>SER Studio</title>');
  bridge = await startBridge(ws, { port: 0, rendererDir: renderer });
  const a = await valid<{ id: number }>('datasets:import', { source: data, name: 'kept' });
  const b = await valid<{ id: number }>('datasets:import', { source: other, name: 'gone' });
  kept = (await valid<{ clips: { id: number }[] }>('datasets:clips', { id: a.id })).clips.map((c) => c.id);
  deletedClips = (await valid<{ clips: { id: number }[] }>('datasets:clips', { id: b.id })).clips.map((c) => c.id);
  await valid('datasets:delete', { id: b.id });
});
afterAll(async () => {
  agent.destroy();
  await bridge?.close();
  ws?.close();
});

describe('every contract channel, fed malformed input through the bridge', () => {
  const failures: string[] = [];
  let total = 0;

  it.each(channels.map((c) => [c]))('%s: a structured 4xx, never a 500 or a crash', async (channel) => {
    const cases = hostileCases(channel, contract[channel].input);
    total += cases.length;
    const problems = await pool(cases, 4, async (c: HostileCase) => {
      const r = await call(c.channel, c.input);
      // Judged on what the server received (JSON drops undefined, keeps own __proto__ keys).
      const problem = checkAnswer({ ...c, input: c.input === undefined ? undefined : JSON.parse(JSON.stringify(c.input)) }, r.envelope, r.status);
      return problem && `${c.channel} / ${c.name}: ${problem}`;
    });
    failures.push(...problems.filter((p): p is string => Boolean(p)));
    expect(problems.filter(Boolean)).toEqual([]);
    // Still serving, and nothing reached a prototype.
    expect((await valid<{ name: string }>('app:info')).name).toBeTruthy();
    expect(prototypesPolluted()).toBe(false);
  });

  it('covered every channel', () => {
    expect(total).toBeGreaterThan(channels.length * 13);
    expect(failures).toEqual([]);
  });

  it('left the imported datasets as they were (the baselines name ids no record has)', async () => {
    const list = await valid<{ name: string; clips: number }[]>('datasets:list');
    expect(list.find((d) => d.name === 'kept')?.clips).toBe(3);
    // A hostile source that is a folder (/etc) is imported as what it is: no clip, every file listed with its reason.
    for (const d of list.filter((d) => d.name !== 'kept')) expect(d.clips, d.name).toBe(0);
  });

  it('answers unknown channels with unknown_channel, whatever their name', async () => {
    for (const name of UNKNOWN_CHANNELS) {
      const r = await call(name, {});
      expect([r.status, (r.envelope as { error: { code: string } }).error.code], JSON.stringify(name)).toEqual([404, 'unknown_channel']);
    }
    // Names that are not even valid percent-encoding.
    for (const raw of ['%E0%A4%A', '%', '%zz', 'datasets%3alist%00']) {
      const r = await request(`/api/${raw}`, { method: 'POST', headers: auth(), body: '{}' });
      expect(r.status, raw).toBe(404);
      expect(JSON.parse(r.body).error.code).toBe('unknown_channel');
    }
  });

  it('answers a body that is not JSON, or not an object, with a 400', async () => {
    for (const body of ['{', 'undefined', "{'a':1}", '\u0000', '[1,2', '{"id":1,}', 'NaN', '['.repeat(200_000), '{"a":'.repeat(100_000)]) {
      const r = await request('/api/datasets:get', { method: 'POST', headers: auth(), body });
      expect(r.status, body).toBe(400);
      expect(['bad_request', 'invalid_input']).toContain(JSON.parse(r.body).error.code);
    }
    // A JSON value that is not an object: a validation error like any other.
    for (const body of ['1', '"x"', 'true', '[]', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}']) {
      const r = await request('/api/datasets:get', { method: 'POST', headers: auth(), body });
      expect([r.status, JSON.parse(r.body).error.code], body).toEqual([400, 'invalid_input']);
    }
    expect(prototypesPolluted()).toBe(false);
  });

  it('refuses an input of 100,000 values before its schema, at once and in a sentence', async () => {
    const started = performance.now();
    const r = await call('experiments:start', { request: { dataset: 1, augment: BIG_ARRAY }, requestId: 'big' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect([r.status, (r.envelope as { error: { code: string } }).error.code]).toEqual([400, 'invalid_input']);
    expect((r.envelope as { error: { message: string } }).error.message).toMatch(/more than 10000 values/);
    // Within the limit, 5,000 wrong values: the first issues are quoted, the rest counted.
    const some = await call('experiments:start', { request: { dataset: 1, augment: BIG_ARRAY.slice(0, 5000) }, requestId: 'big' });
    const message = (some.envelope as { error: { message: string } }).error.message;
    expect(message).toMatch(/; and 4990 more$/);
    expect(message.length).toBeLessThan(2000);
  });

  it('refuses other methods on the API', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const r = await request('/api/app:info', { method, headers: auth() });
      expect([r.status, JSON.parse(r.body).error.code], method).toEqual([405, 'method_not_allowed']);
    }
  });
});

describe('channels that take file paths (see docs/robustness.md, "Hostile callers")', () => {
  it('datasets:import: a path outside is imported only if it is a dataset; anything else is a 4xx with a reason', async () => {
    const before = (await valid<unknown[]>('datasets:list')).length;
    const answers: Record<string, string> = {};
    // (enough '..' to reach / from any checkout: a relative path is resolved against the engine's working folder)
    const up = '../'.repeat(32) + 'etc/passwd';
    for (const source of ['/etc/passwd', up, '/etc/passwd\u0000.csv', '/dev/zero', '/proc/self/environ', '/no/such/dir']) {
      const r = await call('datasets:import', { source, name: 'evil' });
      expect(r.status, source).toBeGreaterThanOrEqual(400);
      expect(r.status, source).toBeLessThan(500);
      answers[source] = (r.envelope as { error: { code: string } }).error.code;
    }
    expect(answers).toEqual({
      '/etc/passwd': 'bad_source',
      [up]: 'bad_source',
      '/etc/passwd\u0000.csv': 'source_not_found',
      '/dev/zero': 'bad_source',
      '/proc/self/environ': 'bad_source',
      '/no/such/dir': 'source_not_found',
    });
    expect((await valid<unknown[]>('datasets:list')).length).toBe(before);
  });

  it('experiments:start / classify:start / reports:export / explorer:project name a record first: an unknown one is not_found at once, no job started', async () => {
    const before = await valid<unknown[]>('jobs:list');
    const cases: [string, unknown][] = [
      ['experiments:start', { request: { dataset: '../../etc/passwd' }, requestId: 'h1' }],
      ['experiments:start', { request: { dataset: 987654 }, requestId: 'h2' }],
      ['classify:start', { request: { model: { experimentId: 987654 }, source: { kind: 'folder', path: '/etc' } }, requestId: 'h3' }],
      ['classify:start', { request: { model: { experimentId: 987654 }, source: { kind: 'files', paths: ['/etc/passwd', '/dev/zero'] } }, requestId: 'h4' }],
      ['reports:export', { experimentId: 987654 }],
      ['reports:export', { classifyRunId: 987654 }],
      ['explorer:project', { id: 987654 }],
    ];
    for (const [channel, input] of cases) {
      const r = await call(channel, input);
      expect([r.status, (r.envelope as { error?: { code: string } }).error?.code], `${channel} ${JSON.stringify(input)}`).toEqual([404, 'not_found']);
    }
    expect(await valid<unknown[]>('jobs:list')).toEqual(before);
  });

  it('workspaces:open is refused by the bridge (it serves one workspace), whatever the folder; a relative one is not even a folder', async () => {
    for (const dir of ['/etc', '/no/such/folder', ws.dir]) {
      const r = await call('workspaces:open', { dir });
      expect([r.status, (r.envelope as { error: { code: string } }).error.code], dir).toEqual([403, 'forbidden']);
    }
    for (const dir of ['../../etc/passwd', 'ws', '/tmp/a\u0000b']) {
      const r = await call('workspaces:open', { dir });
      expect([r.status, (r.envelope as { error: { code: string } }).error.code], dir).toEqual([400, 'invalid_input']);
    }
  });
});

describe('the page route', () => {
  it('answers a path that is not valid percent-encoding with a 400, and traversal with the page or a 403', async () => {
    for (const p of ['/%E0%A4%A', '/a/%', '/%zz']) expect((await request(p)).status, p).toBe(400);
    for (const p of ['/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/%00', '/..%5c..%5cetc%5cpasswd']) {
      const r = await request(p);
      expect([200, 403], p).toContain(r.status);
      expect(r.body, p).not.toContain('root:');
    }
  });
});

describe('the audio route serves only clips of an imported dataset', () => {
  const audio = (id: string) => request(`/audio/${id}?token=${bridge.token}`);

  it('serves a clip by id', async () => {
    const r = await audio(String(kept[0]));
    expect([r.status, r.headers['content-type'], r.body.slice(0, 4)]).toEqual([200, 'audio/wav', 'RIFF']);
  });

  it('refuses the clips of a deleted dataset, ids that are not decimal, traversal and paths', async () => {
    for (const id of deletedClips) expect((await audio(String(id))).status, `deleted clip ${id}`).toBe(404);
    const k = kept[0];
    for (const id of ['abc', '0', '-1', `${k}.0`, `${k}.5`, `0x${k.toString(16)}`, `${k}e0`, `+${k}`, `%20${k}`, `0${k}`, '1e3', 'Infinity', 'NaN', '99999999999999999999', '..%2f..%2fetc%2fpasswd', encodeURIComponent('/etc/passwd'), `${k}/..%2f..%2fetc%2fpasswd`, `${k}%00`, '']) {
      const r = await audio(id);
      expect(r.status, `/audio/${id}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `/audio/${id}`).toBeLessThan(500);
      expect(r.body.slice(0, 4), `/audio/${id}`).not.toBe('RIFF');
    }
  });

  it('refuses a clip whose file was swapped for a link to another file, or for something that is not a file', async () => {
    const clip = ws.db.prepare('SELECT abs_path FROM samples WHERE id = ?').get(kept[1]) as { abs_path: string };
    const original = fs.readFileSync(clip.abs_path);
    try {
      fs.rmSync(clip.abs_path);
      fs.symlinkSync(path.join(outside, 'secret.wav'), clip.abs_path);
      expect((await audio(String(kept[1]))).status).toBe(404);
      fs.rmSync(clip.abs_path);
      fs.symlinkSync('/dev/zero', clip.abs_path);
      expect((await audio(String(kept[1]))).status).toBe(404);
      fs.rmSync(clip.abs_path);
      fs.symlinkSync('/etc/passwd', clip.abs_path);
      expect((await audio(String(kept[1]))).status).toBe(404);
      fs.rmSync(clip.abs_path);
      fs.mkdirSync(clip.abs_path);
      expect((await audio(String(kept[1]))).status).toBe(404);
    } finally {
      fs.rmSync(clip.abs_path, { recursive: true, force: true });
      fs.writeFileSync(clip.abs_path, original);
    }
    expect((await audio(String(kept[1]))).status).toBe(200);
  });
});

describe('the bridge\'s gates, each on its own', () => {
  const api = (headers: Record<string, string>) => request('/api/datasets:list', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  const bearer = () => ({ authorization: `Bearer ${bridge.token}` });

  it('the token: missing, wrong, a prefix of it, or another scheme is 401', async () => {
    expect((await api(bearer())).status).toBe(200);
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${bridge.token.slice(0, -1)}` }, { authorization: `Bearer ${bridge.token}x` }, { authorization: `Basic ${bridge.token}` }, { authorization: bridge.token }]) {
      const r = await api(headers);
      expect([r.status, JSON.parse(r.body).error.code], JSON.stringify(headers)).toEqual([401, 'unauthorized']);
    }
    for (const p of ['/audio/1', '/classified/1/0', '/reports/experiment-1-en/report.md']) {
      expect((await request(`${p}?token=wrong`)).status, p).toBe(401);
      expect((await request(p)).status, p).toBe(401);
    }
  });

  it('the Origin: another site, a lookalike, null or https is 403 even with the token', async () => {
    expect((await api({ ...bearer(), origin: `http://127.0.0.1:${bridge.port}` })).status).toBe(200);
    for (const origin of ['http://evil.example', `http://127.0.0.1:${bridge.port}.evil.example`, `http://127.0.0.1:${bridge.port + 1}`, 'null', `https://127.0.0.1:${bridge.port}`, `http://127.0.0.1:${bridge.port}/`]) {
      const r = await api({ ...bearer(), origin });
      expect(r.status, origin).toBe(403);
    }
  });

  it('the Host: a rebound DNS name, another port, or none is 403 even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${bridge.port}`, `127.0.0.1:${bridge.port + 1}`, '127.0.0.1', `0.0.0.0:${bridge.port}`, `[::1]:${bridge.port}`]) {
      const r = await api({ ...bearer(), host });
      expect(r.status, host).toBe(403);
    }
    // The page itself too: a rebinding page would read it.
    expect((await request('/', { headers: { host: 'evil.example' } })).status).toBe(403);
  });

  it('the WebSocket: no token, a wrong one, a foreign Origin or Host is refused', async () => {
    const refused = (url: string, headers: Record<string, string> = {}) =>
      new Promise<boolean>((resolve) => {
        const s = new WebSocket(url, { headers });
        s.on('open', () => {
          s.terminate();
          resolve(false);
        });
        s.on('error', () => resolve(true));
      });
    const base = `ws://127.0.0.1:${bridge.port}/ws`;
    expect(await refused(`${base}?token=${bridge.token}`)).toBe(false);
    expect(await refused(base)).toBe(true);
    expect(await refused(`${base}?token=wrong`)).toBe(true);
    expect(await refused(`${base}?token=${bridge.token}`, { origin: 'http://evil.example' })).toBe(true);
    expect(await refused(`${base}?token=${bridge.token}`, { host: 'evil.example' })).toBe(true);
    expect(await refused(`ws://127.0.0.1:${bridge.port}/other?token=${bridge.token}`)).toBe(true);
  });

  it(`a body over ${MAX_BODY_BYTES} bytes is 413 payload_too_large, announced or not`, async () => {
    const big = JSON.stringify({ source: 'x'.repeat(MAX_BODY_BYTES), name: 'n' });
    // Announced by Content-Length: refused before it is read.
    const announced = await request('/api/datasets:import', { method: 'POST', headers: auth(), body: big, agent: false });
    expect([announced.status, JSON.parse(announced.body).error.code]).toEqual([413, 'payload_too_large']);
    expect(ERROR_HTTP_STATUS.payload_too_large).toBe(413);
    // Chunked (no length): refused once it passes the limit, and the answer still arrives.
    const chunked = await new Promise<Answer>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: bridge.port, path: '/api/datasets:import', method: 'POST', headers: { ...auth(), 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write(big.slice((i * big.length) / 4, ((i + 1) * big.length) / 4));
      req.end();
    });
    expect([chunked.status, JSON.parse(chunked.body).error.code]).toEqual([413, 'payload_too_large']);
    // Just under the limit is read (and refused by validation, not by size).
    const under = await call('datasets:import', { source: 'x'.repeat(MAX_BODY_BYTES - 100), name: 'n' });
    expect(under.status).toBe(400);
    expect(await valid<{ name: string }>('app:info')).toBeTruthy();
  });

  it(`a WebSocket message over ${MAX_WS_MESSAGE_BYTES} bytes closes that socket (1009); others are ignored`, async () => {
    const s = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws?token=${bridge.token}`);
    await new Promise((r) => s.on('open', r));
    s.send('hello');
    s.send(JSON.stringify({ channel: 'datasets:delete', input: { id: kept[0] } }));
    const closed = new Promise<number>((r) => s.on('close', (code) => r(code)));
    s.send(Buffer.alloc(MAX_WS_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009);
    expect((await valid<{ name: string; clips: number }[]>('datasets:list')).find((d) => d.name === 'kept')?.clips).toBe(3);
  });
});

describe('malformed WebSocket frames', () => {
  it('close that socket and nothing else (an unhandled ws error used to end the whole server)', async () => {
    const frames = [
      Buffer.from([0x83, 0x80, 1, 2, 3, 4]), // reserved opcode 3
      Buffer.from([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]), // a client frame without a mask
      Buffer.from([0xc1, 0x80, 1, 2, 3, 4]), // RSV1 set without an extension
      Buffer.from([0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // a length of 2^64 - 1
      Buffer.from([0x88, 0x81, 0, 0, 0, 0, 0x03]), // a close frame with half a status code
    ];
    for (const frame of frames) {
      const s = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws?token=${bridge.token}`);
      await new Promise((r) => s.on('open', r));
      s.on('error', () => undefined);
      const closed = new Promise((r) => s.on('close', r));
      (s as unknown as { _socket: net.Socket })._socket.write(frame);
      await closed;
    }
    expect((await valid<{ name: string }>('app:info')).name).toBeTruthy();
    await until(() => bridge.openSockets() === 0);
  });
});

describe('bursts and dropped connections leave nothing behind', () => {
  it('1,000 concurrent calls of mixed channels are all answered', async () => {
    const mixed: [string, unknown][] = [
      ['app:info', {}],
      ['datasets:list', {}],
      ['datasets:get', { id: 987654 }],
      ['datasets:clips', { id: 1, limit: 2 }],
      ['jobs:list', {}],
      ['experiments:list', {}],
      ['classify:list', {}],
      ['settings:get', {}],
      ['datasets:get', { id: 'x' }],
      ['no:such', {}],
    ];
    const fast = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => {
        const [channel, input] = mixed[i % mixed.length];
        return request(`/api/${channel}`, { method: 'POST', headers: auth(), body: JSON.stringify(input), agent: fast }).then((r) => [channel, r.status] as const);
      }),
    );
    fast.destroy();
    const want: Record<string, number> = { 'datasets:get': 0, 'no:such': 404 };
    for (const [channel, status] of answers) {
      if (channel === 'datasets:get') expect([400, 404]).toContain(status);
      else expect(status, channel).toBe(want[channel] ?? 200);
    }
    expect(answers).toHaveLength(1000);
  });

  it('50 WebSockets and 50 HTTP requests dropped mid-message leak no socket and no job', async () => {
    agent.destroy();
    await until(async () => (await connections()) === 0);
    const baseline = bridge.openSockets();
    for (let i = 0; i < 50; i++) {
      const s = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws?token=${bridge.token}`);
      await new Promise((r) => s.on('open', r));
      // Half a frame (a 2-byte header announcing 100 bytes, then 3), then the TCP connection is cut.
      const raw = (s as unknown as { _socket: net.Socket })._socket;
      raw.write(Buffer.from([0x81, 0xe4, 1, 2, 3, 4, 5, 6, 7]));
      raw.destroy();
      // An HTTP request whose body never finishes.
      const c = net.connect(bridge.port, '127.0.0.1');
      await new Promise((r) => c.on('connect', r));
      c.write(`POST /api/datasets:list HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nAuthorization: Bearer ${bridge.token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":`);
      c.destroy();
    }
    await until(async () => bridge.openSockets() === baseline && (await connections()) === 0);
    expect(await valid<unknown[]>('jobs:list')).toEqual([]);
  });
});
