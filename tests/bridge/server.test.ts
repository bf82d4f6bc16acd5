import { ERROR_HTTP_STATUS } from '../../src/shared/errors';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBridge, type Bridge } from '../../src/bridge/server';
import { ClassifyRunStore } from '../../src/core/store/classify-runs';
import { openWorkspace, type Workspace } from '../../src/core/workspace/workspace';
import { pcm16Wav, tempDir, writeFile } from '../helpers/make-wav';

let ws: Workspace;
let bridge: Bridge;
let datasetRoot: string;

beforeAll(async () => {
  ws = openWorkspace(tempDir('bridge-ws'));
  datasetRoot = tempDir('bridge-data');
  writeFile(datasetRoot, 'fear/f1.wav', pcm16Wav({ seconds: 0.5, seed: 1 }));
  writeFile(datasetRoot, 'calm/c1.wav', pcm16Wav({ seconds: 0.5, seed: 2 }));
  const renderer = tempDir('bridge-renderer');
  writeFile(renderer, 'index.html', '<!doctype html><title>SER Studio</title>');
  bridge = await startBridge(ws, { port: 0, rendererDir: renderer });
});
afterAll(async () => {
  await bridge.close();
  ws.close();
});

function request(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: bridge.port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.end(JSON.stringify(opts.body));
    else req.end();
  });
}

const auth = () => ({ authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' });

describe('web bridge', () => {
  it('listens on 127.0.0.1 with a token in its URL', () => {
    expect(bridge.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/\\?token=[A-Za-z0-9_-]{20,}$`));
  });

  it('refuses API calls without the token, or with a wrong one', async () => {
    expect((await request('/api/datasets:list', { method: 'POST', body: {} })).status).toBe(401);
    const wrong = await request('/api/datasets:list', { method: 'POST', headers: { authorization: 'Bearer nope' }, body: {} });
    expect(wrong.status).toBe(401);
  });

  it('refuses a foreign Origin even with the token', async () => {
    const r = await request('/api/datasets:list', { method: 'POST', headers: { ...auth(), origin: 'http://evil.example' }, body: {} });
    expect(r.status).toBe(403);
  });

  it('serves the contract with validation and envelopes', async () => {
    const imp = await request('/api/datasets:import', { method: 'POST', headers: auth(), body: { source: datasetRoot, name: 'b' } });
    expect(imp.status).toBe(200);
    expect(JSON.parse(imp.body)).toMatchObject({ ok: true, result: { clips: 2, classes: { calm: 1, fear: 1 } } });
    const list = JSON.parse((await request('/api/datasets:list', { method: 'POST', headers: auth(), body: {} })).body);
    expect(list.result).toHaveLength(1);
    const bad = await request('/api/datasets:get', { method: 'POST', headers: auth(), body: { id: 'one' } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('invalid_input');
    const unknown = await request('/api/fs:read', { method: 'POST', headers: auth(), body: {} });
    expect(unknown.status).toBe(404);
    // Application errors answer with the status their code has in the one union.
    const missing = await request('/api/datasets:import', { method: 'POST', headers: auth(), body: { source: '/no/such/folder', name: 'c' } });
    expect([missing.status, JSON.parse(missing.body).error.code]).toEqual([ERROR_HTTP_STATUS.source_not_found, 'source_not_found']);
    const noDataset = await request('/api/experiments:start', { method: 'POST', headers: auth(), body: { request: { dataset: 'b', epochs: 0 }, requestId: 'r' } });
    expect([noDataset.status, JSON.parse(noDataset.body).error.code]).toEqual([400, 'invalid_input']);
  });

  it('streams clip audio with Range support, only for imported clips', async () => {
    const clips = JSON.parse((await request('/api/datasets:clips', { method: 'POST', headers: auth(), body: { id: 1 } })).body).result.clips;
    const id = clips[0].id;
    const noToken = await request(`/audio/${id}`);
    expect(noToken.status).toBe(401);
    const part = await request(`/audio/${id}?token=${bridge.token}`, { headers: { range: 'bytes=0-11' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-type']).toBe('audio/wav');
    expect(part.body.slice(0, 4)).toBe('RIFF');
    expect((await request(`/audio/9999?token=${bridge.token}`)).status).toBe(404);
  });

  it('streams a classified file by run and index, with Range support, and nothing a run did not classify', async () => {
    const store = new ClassifyRunStore(ws.db);
    const runId = store.create({ experimentId: null, modelPath: '/m', model: {}, sourceKind: 'files', source: {}, labels: ['calm', 'fear'], workers: 1 });
    const wav = path.join(datasetRoot, 'fear/f1.wav');
    const secret = writeFile(tempDir('bridge-secret'), 'secret.wav', 'not audio at all');
    const row = { sha256: null, labelTrue: null, durationSec: 0.5, sampleRate: 22050, probabilities: [0.2, 0.8] };
    store.finish(runId, { status: 'completed', counts: { files: 2, classified: 1, failed: 1, skipped: 0 } }, [
      { ...row, idx: 0, file: 'f1.wav', absPath: wav, labelPred: 'fear', confidence: 0.8, error: null },
      { ...row, idx: 1, file: 'secret.wav', absPath: secret, labelPred: null, confidence: null, error: { code: 'unsupported_format', message: 'not audio' } },
    ]);
    expect((await request(`/classified/${runId}/0`)).status).toBe(401);
    const part = await request(`/classified/${runId}/0?token=${bridge.token}`, { headers: { range: 'bytes=0-3' } });
    expect([part.status, part.headers['content-type'], part.body]).toEqual([206, 'audio/wav', 'RIFF']);
    // A file the run could not classify (here: a file that is not audio) is never served, nor anything by path.
    expect((await request(`/classified/${runId}/1?token=${bridge.token}`)).status).toBe(404);
    expect((await request(`/classified/${runId}/7?token=${bridge.token}`)).status).toBe(404);
    expect((await request(`/classified/${runId + 1}/0?token=${bridge.token}`)).status).toBe(404);
    expect((await request(`/classified/${runId}/..%2f..%2fetc%2fpasswd?token=${bridge.token}`)).status).toBe(404);
    expect((await request(`/classified/${encodeURIComponent(wav)}?token=${bridge.token}`)).status).toBe(404);
  });

  it('serves written reports from the workspace reports folder only, with the token', async () => {
    const dir = path.join(ws.dir, 'reports', 'experiment-1-en');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'report.pdf'), '%PDF-1.7 test');
    fs.writeFileSync(path.join(dir, 'report.md'), '# Report\n');
    fs.writeFileSync(path.join(ws.dir, 'outside.md'), 'not a report');
    fs.symlinkSync(path.join(ws.dir, 'outside.md'), path.join(dir, 'linked.md'));
    expect((await request('/reports/experiment-1-en/report.pdf')).status).toBe(401);
    const pdf = await request(`/reports/experiment-1-en/report.pdf?token=${bridge.token}`);
    expect([pdf.status, pdf.headers['content-type'], pdf.body]).toEqual([200, 'application/pdf', '%PDF-1.7 test']);
    expect((await request(`/reports/experiment-1-en/report.md?token=${bridge.token}`)).headers['content-type']).toBe('text/markdown; charset=utf-8');
    for (const p of ['..%2fser-studio.sqlite', 'experiment-1-en/..%2f..%2fser-studio.sqlite', '..%2foutside.md', 'experiment-1-en/linked.md', '%2fetc%2fpasswd', 'experiment-1-en', 'experiment-1-en/missing.pdf', '%E0%A4%A']) {
      expect((await request(`/reports/${p}?token=${bridge.token}`)).status, p).toBe(404);
    }
  });

  it('serves the renderer with a CSP and refuses path traversal', async () => {
    const page = await request('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    const trav = await request('/..%2f..%2fetc%2fpasswd');
    expect(trav.body).not.toContain('root:');
  });

  it('pushes import progress over the WebSocket, which needs the token too', async () => {
    const denied = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws`);
    await new Promise<void>((resolve) => denied.on('error', () => resolve()));
    const sock = new WebSocket(`ws://127.0.0.1:${bridge.port}/ws?token=${bridge.token}`);
    await new Promise((r) => sock.on('open', r));
    const events: { kind: string; requestId: string; phase: string }[] = [];
    sock.on('message', (m) => events.push(JSON.parse(String(m))));
    await request('/api/datasets:import', { method: 'POST', headers: auth(), body: { source: datasetRoot, name: 'c', requestId: 'req-1' } });
    await new Promise((r) => setTimeout(r, 100));
    sock.close();
    expect(events.some((e) => e.requestId === 'req-1' && e.phase === 'done')).toBe(true);
  });
});
